"""The layout of an official PDF, checked the way a văn thư checks it with a ruler: ND30 (or HD 36 for
a Party document) margins, face and sizes, the page-1 header, the body's spacing, the signature
block and Nơi nhận, page numbers. tests/test_pdf.py runs these checks over the seeds' PDFs and
tests/test_kinds.py over every document of the fixture tree tests/fixtures/kinds/ (each PDF passes
the same layout tests). Measured against ../shared/ND30.md; units are PDF points."""
from __future__ import annotations

import re
from pathlib import Path
from collections import Counter
from statistics import mode

from pdf_helpers import (ALLOWED_FONT, MM, find, hrules, is_landscape, pdffonts, rule_under, segments, squash,
                         top_margin_chars)

# ND30 page geometry, in points.
A4_PORTRAIT = (595.28, 841.89)
LEFT_MIN, LEFT_MAX = 30 * MM, 35 * MM          # left margin 30–35 mm
RIGHT_MIN, RIGHT_MAX = 15 * MM, 20 * MM        # right margin 15–20 mm
TOP_MIN, TOP_MAX = 20 * MM, 25 * MM            # top and bottom margins 20–25 mm
TEXT_LEFT, TEXT_RIGHT = 30 * MM, A4_PORTRAIT[0] - 15 * MM   # this project's margins (nd30.css)
TEXT_WIDTH = TEXT_RIGHT - TEXT_LEFT
EPS = 0.6                                      # rounding of positions
JUSTIFY_EPS = 1.5                              # WeasyPrint ends justified lines within ±0.5 mm of the edge
NATIONAL_TITLES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")
#: the type names a header page shows (planpub/model.py DOCUMENT_TYPES, upper case)
TYPE_NAMES = ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", "CHƯƠNG TRÌNH", "QUY ĐỊNH", "QUY CHẾ")


def section_starts(pdf) -> list[int]:
    """Pages that start a numbering section: page 1, an attached plan's first page (a page with
    the national title), the first page of each appendix (a landscape page after a portrait one,
    or one whose first line is a bold 14 pt "Phụ lục …" label)."""
    starts = [0]
    for i, page in enumerate(pdf.pages[1:], 1):
        segs = [s for s in segments(page) if s.bottom > TOP_MIN]
        if any(s.text in NATIONAL_TITLES for s in segs[:3]):
            starts.append(i)
        elif is_landscape(page) and (not is_landscape(pdf.pages[i - 1]) or any(
                s.bold and s.sizes == {14.0} and re.match(r"(PHỤ LỤC|Phụ lục)", s.text) for s in segs[:2])):
            starts.append(i)
    return starts


def closing_top(page) -> float | None:
    """Top of the Nơi nhận / signature block on a page, if it is there."""
    for s in segments(page):
        if s.text == "Nơi nhận:":
            return s.top
    return None


def signature_top(segs) -> float | None:
    """Top of a signature block with no Nơi nhận beside it (a regulation attached to its decision
    ends with the signer's block), among a page's body lines (``segs``, the header left out): its
    first line is bold, UPPER and wholly in the right half."""
    for s in segs:
        if s.x0 > TEXT_LEFT + TEXT_WIDTH / 2 and s.bold and s.text == s.text.upper() and re.search(r"[A-ZĐ]", s.text):
            return s.top
    return None


def _pct(x: float) -> float:
    return (x - TEXT_LEFT) / TEXT_WIDTH * 100


def check_party_header(page, doc):
    """Hướng dẫn 36-HD/VPTW, Phụ lục 3: the Party's header, number, date, type name and subject."""
    segs = segments(page)
    text = " ".join(s.text for s in segs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text and "Độc lập - Tự do - Hạnh phúc" not in text
    _, title = find(segs, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.size == 15 and title.bold, "HD36: UPPER, 15 pt, upright, bold"
    assert abs(_pct(title.center) - 72.5) <= 2.5, "at the right"
    x0, x1, _ = rule_under(page, title, within=4)
    assert abs(x0 - title.x0) <= EPS and abs(x1 - title.x1) <= EPS, "HD36: a rule as long as the title"
    issuer = [find(segs, re.escape(line.upper()))[1] for line in doc.issuer.header]
    for seg in issuer:
        assert seg.size == 14 and seg.bold and not seg.italic, "HD36: the committee 14 pt, bold"
        assert abs(_pct(seg.center) - 19.4) <= 2.5, "at the left"
        assert seg.top < title.bottom + 20
    if doc.parent_issuer:
        _, parent = find(segs, re.escape(doc.parent_issuer.upper()))
        assert parent.size == 14 and parent.regular and parent.bottom <= issuer[0].top
    _, star = find(segs, r"\*")
    assert star.top > issuer[-1].bottom and abs(star.center - issuer[-1].center) <= 1.0, "HD36: a star under it"
    number = next(s for s in segs if s.text.startswith("Số") and s.top < 60 * MM)
    assert re.fullmatch(r"Số \S*-KH/ĐU|Số\s+-KH/ĐU", number.text), number.text
    assert not number.text.startswith("Số:"), "HD36: no colon after Số"
    assert number.size == 14 and number.regular and number.top > star.bottom
    assert abs(number.center - issuer[0].center) <= 1.0
    date = next(s for s in segs if re.search(r"ngày .*tháng .*năm \d{4}$", s.text) and s.top < 60 * MM)
    assert date.size == 14 and date.italic and abs(date.center - title.center) <= 1.0
    assert abs(number.baseline - date.baseline) <= 2.0
    type_i, type_name = find(segs, re.escape(doc.type_name.upper()))
    assert type_name.size == 15 and type_name.bold, "HD36: the type name 15–16 pt, bold"
    assert abs(type_name.center - (TEXT_LEFT + TEXT_RIGHT) / 2) <= EPS
    subject = segs[type_i + 1]
    assert subject.text == squash(doc.subject) and subject.bold and subject.size == 14
    assert segs[type_i + 2].text == "-----", "HD36: five hyphens under the subject"
    return segs


def check_header(page, doc, attached: bool):
    segs = segments(page)
    _, national = find(segs, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert 12 <= national.size <= 13 and national.bold
    assert abs(_pct(national.center) - 72.5) <= 2.5
    i_motto, motto = find(segs, "Độc lập - Tự do - Hạnh phúc")
    assert 13 <= motto.size <= 14 and motto.bold and motto.top > national.top
    assert abs(motto.center - national.center) <= EPS
    # the motto's rule is as long as the motto, centred under it
    x0, x1, _ = rule_under(page, motto, within=4)
    assert abs(x0 - motto.x0) <= EPS and abs(x1 - motto.x1) <= EPS

    issuer = [find(segs, re.escape(line.upper()))[1] for line in doc.issuer.header]
    for seg in issuer:
        assert 12 <= seg.size <= 13 and seg.bold and not seg.italic
        assert abs(_pct(seg.center) - 17) <= 2.5
        assert seg.top < motto.bottom
        assert abs(seg.center - issuer[0].center) <= EPS
    if doc.parent_issuer:
        _, parent = find(segs, re.escape(doc.parent_issuer.upper()))
        assert 12 <= parent.size <= 13 and parent.regular
    x0, x1, _ = rule_under(page, issuer[-1], within=6)
    longest = max(s.width for s in issuer)
    assert longest / 3 - EPS <= x1 - x0 <= longest / 2 + EPS, (x1 - x0, longest)
    assert abs((x0 + x1) / 2 - issuer[-1].center) <= EPS

    numbers = [s for s in segs if s.text.startswith("Số") and s.top < 60 * MM]
    dates = [s for s in segs if re.search(r"ngày .*tháng .*năm \d{4}$", s.text) and s.top < 60 * MM]
    if attached:  # ND30: an attached plan has no number and no place or date
        assert not numbers and not dates
    else:
        number, date = numbers[0], dates[0]
        assert number.size == 13 and number.regular
        assert abs(number.center - issuer[0].center) <= 1.0
        assert 13 <= date.size <= 14 and date.italic
        assert abs(date.center - motto.center) <= 1.0
        assert abs(number.baseline - date.baseline) <= 2.0, "number and date on the same line"
        assert number.top > issuer[-1].bottom and date.top > motto.bottom
    type_i, type_name = find(segs, re.escape(doc.type_name.upper()))
    assert 13 <= type_name.size <= 14 and type_name.bold
    assert abs(type_name.center - (TEXT_LEFT + TEXT_RIGHT) / 2) <= EPS
    # the subject: bold lines under the type, down to its rule (a plan) or the italic line (attached)
    stop = min((r[2] for r in hrules(page) if r[2] > type_name.bottom), default=page.height)
    subject_lines = []
    for seg in segs[type_i + 1:]:
        if not seg.bold or seg.sizes != type_name.sizes or seg.top > stop:
            break
        subject_lines.append(seg)
    assert " ".join(s.text for s in subject_lines) == squash(doc.subject)
    for seg in subject_lines:
        assert abs(seg.center - type_name.center) <= EPS
    return segs, subject_lines


def footnote_top(page, segs) -> float | None:
    """Top of the footnotes at the foot of a page: the rule (the border of WeasyPrint's footnote area)
    over lines all smaller than the body's."""
    bottom = page.height - TOP_MIN  # the area ends at the bottom margin and spans the text block
    for top in sorted({round(r["top"], 1) for r in page.rects
                       if r["width"] > 0.9 * TEXT_WIDTH and abs(r["bottom"] - bottom) <= 2}):
        below = [s for s in segs if s.top > top]
        if top > page.height / 2 and below and all(max(s.sizes) < 13 for s in below):
            return top
    return None


def body_segments(pdf) -> list[tuple[int, list]]:
    """Per portrait page: the body's lines (below the title on a header page, above Nơi nhận or a
    signature block, page numbers, footnotes and their calls left out)."""
    out = []
    for i, page in enumerate(pdf.pages):
        if is_landscape(page):
            continue
        segs = [s for s in segments(page) if s.top > TOP_MIN]
        if any(s.text in NATIONAL_TITLES for s in segs[:3]):
            k = next(k for k, s in enumerate(segs) if s.text in TYPE_NAMES)
            while k + 1 < len(segs) and (segs[k + 1].bold or segs[k + 1].italic or segs[k + 1].text == "-----") \
                    and segs[k + 1].sizes <= {13.0, 14.0} and abs(segs[k + 1].center - (TEXT_LEFT + TEXT_RIGHT) / 2) <= 1:
                k += 1
            segs = segs[k + 1:]
        end = closing_top(page)
        end = signature_top(segs) if end is None else end
        notes = footnote_top(page, segs)
        if notes is not None:
            end = notes if end is None else min(end, notes)
        segs = [s for s in segs if not (s.text.isdigit() and max(s.sizes) < 10)]  # a raised footnote call
        if end is not None:
            segs = [s for s in segs if s.top < end]
        out.append((i, segs))
    return out


def check_fonts(path: Path, pdf) -> None:
    """ND30: Times New Roman (or Liberation Serif, its metric twin), every font embedded."""
    rows = pdffonts(path)
    assert rows
    for row in rows:
        assert ALLOWED_FONT.match(row["name"]), f"font {row['name']} is not Times New Roman / Liberation Serif"
        assert row["emb"] == "yes", f"{row['name']} not embedded"
    fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
    assert all(ALLOWED_FONT.match(f) for f in fonts), fonts
    # every Vietnamese letter is drawn with the serif face (Liberation 1.07 would fall back to DejaVu)
    drawn = {c["text"]: c["fontname"] for page in pdf.pages for c in page.chars}
    for letter in "ơạảếệịốờụỦđư":
        if letter in drawn:
            assert ALLOWED_FONT.match(drawn[letter])
def check_page_one_header(pdf, doc) -> None:
    page = pdf.pages[0]
    if doc.family == "party":
        check_party_header(page, doc)
        return
    _, subject_lines = check_header(page, doc, attached=False)
    # the subject's rule: 1/3–1/2 of its length, centred
    x0, x1, _ = rule_under(page, subject_lines[-1], within=6)
    longest = max(s.width for s in subject_lines)
    assert longest / 3 - EPS <= x1 - x0 <= longest / 2 + EPS
    assert abs((x0 + x1) / 2 - subject_lines[0].center) <= 1.0


def check_margins(pdf) -> None:
    for page in pdf.pages:
        if is_landscape(page):
            continue
        assert (round(page.width, 1), round(page.height, 1)) == (595.3, 841.9), "A4 portrait"
        for c in page.chars:
            if not c["text"].strip() or c["bottom"] <= TOP_MIN:
                continue  # page numbers sit in the top margin (tested below)
            assert c["x0"] >= LEFT_MIN - EPS and c["x1"] <= page.width - RIGHT_MIN + JUSTIFY_EPS, \
                (c["text"], c["x0"], c["x1"])
            assert c["top"] >= TOP_MIN - EPS and c["bottom"] <= page.height - TOP_MIN + EPS, (c["text"], c["top"])
    lines = [s for _, segs in body_segments(pdf) for s in segs]
    assert LEFT_MIN - EPS <= min(s.x0 for s in lines) <= LEFT_MAX, "the body starts at the left margin"
    widest = max(s.x1 for s in lines)
    assert A4_PORTRAIT[0] - RIGHT_MAX <= widest <= A4_PORTRAIT[0] - RIGHT_MIN + JUSTIFY_EPS, \
        "the body reaches the right margin (15–20 mm)"


def check_body(pdf) -> None:
    lines = [(i, s) for i, segs in body_segments(pdf) for s in segs]
    assert len(lines) > 20
    for _, s in lines:
        assert s.sizes <= {13.0, 14.0}, (s.text, s.sizes)
    # justified: most lines end at the right edge of the text block
    assert sum(1 for _, s in lines if abs(s.x1 - TEXT_RIGHT) <= JUSTIFY_EPS) >= len(lines) / 3
    # first-line indent 1 cm or 1.27 cm from the left edge
    left = min(s.x0 for _, s in lines)
    starts = {round(s.x0 - left, 1) for _, s in lines if s.x0 - left < 40}
    indents = {x for x in starts if x > 1}
    assert indents and all(abs(x - 10 * MM) <= EPS or abs(x - 12.7 * MM) <= EPS for x in indents), starts
    # line spacing single (≥ 1.11 × size) to 1.5 lines (≤ 1.725 × size); ≥ 6 pt between paragraphs;
    # page by page (a decision set tighter to fit its page differs from its attached plan)
    by_size: dict[float, list[float]] = {}
    for page in sorted({p for p, _ in lines}):
        on_page = [s for p, s in lines if p == page]
        page_size = mode(max(s.sizes) for s in on_page)
        by_size.setdefault(page_size, []).extend(b.baseline - a.baseline for a, b in zip(on_page, on_page[1:]))
    paragraph_gaps = 0
    for page_size, steps in by_size.items():
        # the line step: the smallest step that recurs (in a text of short paragraphs, such as a
        # regulation's clauses and points, the step between paragraphs can be the most frequent)
        counts = Counter(round(x, 1) for x in steps)
        line = min((x for x, n in counts.items() if n >= 2 and x > 0.5 * page_size), default=mode(counts.elements()))
        assert 1.11 * page_size <= line <= 1.725 * page_size, (line, page_size)
        for step in steps:
            assert abs(step - line) <= 0.3 or step >= line + 6 - 0.3, f"gap of {step - line:.1f} pt between lines"
        paragraph_gaps += sum(1 for step in steps if step >= line + 6 - 0.3)
    assert paragraph_gaps


def check_bases_sections_and_end_mark(pdf, docs) -> None:
    """``docs``: the documents printed in the file (a decision and the document it issues)."""
    segs = [s for _, page_segs in body_segments(pdf) for s in page_segs]
    texts = [s.text for s in segs]
    for doc in docs:
        for basis in doc.legal_bases:  # italic, one per line (each starts a line)
            head = squash(basis.text)[:30]
            k = next(k for k, t in enumerate(texts) if t.startswith(head))
            assert segs[k].italic and not segs[k].bold
        if doc.regulation is not None:  # chapters and articles, not sections: tests/test_kinds.py
            continue
        for heading in re.findall(r"^## (.+)$", doc.body, re.M):  # I. sections: UPPER, bold
            k = next(k for k, t in enumerate(texts) if t.startswith(squash(heading.upper())[:25]))
            assert segs[k].bold and segs[k].text == segs[k].text.upper()
        for heading in re.findall(r"^### (.+)$", doc.body, re.M):  # 1. items with a title: bold
            k = next(k for k, t in enumerate(texts) if t.startswith(squash(heading.replace("*", ""))[:25]))
            assert segs[k].bold
    # the body (of each document in the file) ends with ./.
    ends = [page_segs[-1].text for i, page_segs in body_segments(pdf)
            if page_segs and (closing_top(pdf.pages[i]) is not None or i == len(pdf.pages) - 1
                              or (i + 1 < len(pdf.pages) and (is_landscape(pdf.pages[i + 1])
                                                               or i + 1 in section_starts(pdf))))]
    assert ends and all(e.endswith("./.") for e in ends), ends


def check_signature_and_recipients(pdf, doc) -> None:
    pages = [p for p in pdf.pages if closing_top(p) is not None]
    assert len(pages) == 1, "one Nơi nhận (an attached plan has none of its own)"
    segs = segments(pages[0])
    k, heading = find(segs, "Nơi nhận:")
    assert abs(heading.x0 - TEXT_LEFT) <= EPS, "flush left"
    party = doc.family == "party"
    if party:  # HD36: 14 pt, upright, underlined
        assert heading.size == 14 and heading.regular
        assert any(abs(ln["x0"] - heading.x0) <= 1 and abs(ln["x1"] - heading.x1) <= 1
                   and heading.top < ln["top"] <= heading.bottom + 2 for ln in pages[0].lines), "underlined"
    else:
        assert heading.size == 12 and heading.bold and heading.italic
    sig = doc.signature
    first_text = sig.authority or sig.title
    _, first = find(segs, re.escape(first_text))
    assert abs(first.top - heading.top) <= 3, "Nơi nhận level with the signature block's first line"
    _, title = find(segs, re.escape(sig.title))
    for seg in {id(first): first, id(title): title}.values():
        assert seg.bold and 13 <= seg.size <= 14 and seg.text == seg.text.upper()
        assert seg.center > TEXT_LEFT + TEXT_WIDTH / 2, "in the right half"
        assert abs(_pct(seg.center) - 72.5) <= 2.5
    if sig.name:
        _, name = find(segs, re.escape(sig.name))
        assert name.bold and 13 <= name.size <= 14
        assert abs(name.center - title.center) <= EPS
        assert name.top - title.bottom >= 20 * MM, "space for signature and seal"
    # recipients: 11 pt (HD36: 12 pt), one per line, "- …;" and the last "- Lưu: … ." (HD36: "- Lưu …")
    lines = [s for s in segs[k + 1:] if s.x1 < TEXT_LEFT + TEXT_WIDTH / 2]  # in the left column (not a
    #                                                  published copy's note under both columns)
    assert all(s.size == (12 if party else 11) for s in lines)
    items: list[str] = []
    for s in lines:
        if s.text.startswith("- "):
            items.append(s.text)
        else:
            items[-1] += " " + s.text
    expected = [f"- {squash(r.text)};" for r in doc.recipients] + [f"- Lưu{'' if party else ':'} {doc.archive}."]
    assert items == expected


def check_page_numbers(pdf) -> None:
    starts = section_starts(pdf)
    assert starts[0] == 0
    number = 0
    for i, page in enumerate(pdf.pages):
        number = 1 if i in starts else number + 1
        chars = top_margin_chars(page, TOP_MIN)
        if number == 1:
            assert not chars, f"page {i + 1} is the first of its section: no number"
            continue
        text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
        assert text == str(number), f"page {i + 1}: {text!r}, expected {number}"
        assert all(13 <= round(c["size"], 1) <= 14 for c in chars)
        assert all(not ("Bold" in c["fontname"] or "Italic" in c["fontname"]) for c in chars)
        center = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
        if is_landscape(page):  # centred over the table, which spans the text block
            edges = [e for e in page.edges if e["orientation"] == "v"]
            mid = (min(e["x0"] for e in edges) + max(e["x1"] for e in edges)) / 2
        else:
            mid = (TEXT_LEFT + TEXT_RIGHT) / 2
        assert abs(center - mid) <= 1.0, f"page {i + 1}: number not centred"


def check_layout(path: Path, pdf, docs) -> None:
    """Every layout check of one PDF; ``docs``: the documents it prints, the first its own."""
    check_fonts(path, pdf)
    check_page_one_header(pdf, docs[0])
    check_margins(pdf)
    check_body(pdf)
    check_bases_sections_and_end_mark(pdf, docs)
    check_signature_and_recipients(pdf, docs[0])
    check_page_numbers(pdf)
