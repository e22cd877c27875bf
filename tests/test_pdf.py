"""The official PDFs, read back with pdfplumber and pdffonts from a site built by the real command
(`python build.py --site TMP --as-of 2026-11-23`), measured against ../shared/ND30.md.

Expected texts come from the same content, loaded through the real loader."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from statistics import mode

import pytest

from conftest import CONTENT, DEMO, DEMO_AS_OF, ROOT
from pdf_helpers import (ALLOWED_FONT, MM, find, fontconfig_without, hrules, is_landscape, norm, open_pdf, pdffonts, rule_under,
                         segments, squash, table_cells, text_without_page_numbers, top_margin_chars)

from planpub import appendices, model
from planpub.pipeline import BuildFailed, load_and_check

# Seeds: 000 Thiên Phú, 001 Phú Trung, 002 Thường Xuân, 003 Tuệ Tĩnh (decision + plan), 004 Lùng Phình.
PDFS = {
    "thien-phu/kh-cchc-2026-2030": "pdf/thien-phu/kh-cchc-2026-2030.pdf",
    "phu-trung/kh-cchc-2026-2030": "pdf/phu-trung/kh-cchc-2026-2030.pdf",
    "thuong-xuan/kh-cchc-2026": "pdf/thuong-xuan/kh-cchc-2026.pdf",
    "tue-tinh/qd-364-2026": "pdf/tue-tinh/qd-364-2026.pdf",
    "lung-phinh/kh-cchc-cds-2025-2030": "pdf/lung-phinh/kh-cchc-cds-2025-2030.pdf",
}
DECISION, ATTACHED = "tue-tinh/qd-364-2026", "tue-tinh/kh-cchc-2026-2030"
# The report of the fictional demo commune (examples/demo, built by `demo_site`) passes the same layout tests.
REPORT = "minh-hoa/bc-kh-cchc-2026-2026-q3"
LAYOUT = {**PDFS, REPORT: f"pdf/{REPORT}.pdf"}
ATTACHED_LINE = ("(Kèm theo Quyết định số 364/QĐ-UBND ngày 24 tháng 4 năm 2026 "
                 "của Chủ tịch Ủy ban nhân dân xã)")

# ND30 page geometry, in points.
A4_PORTRAIT = (595.28, 841.89)
LEFT_MIN, LEFT_MAX = 30 * MM, 35 * MM          # left margin 30–35 mm
RIGHT_MIN, RIGHT_MAX = 15 * MM, 20 * MM        # right margin 15–20 mm
TOP_MIN, TOP_MAX = 20 * MM, 25 * MM            # top and bottom margins 20–25 mm
TEXT_LEFT, TEXT_RIGHT = 30 * MM, A4_PORTRAIT[0] - 15 * MM   # this project's margins (nd30.css)
TEXT_WIDTH = TEXT_RIGHT - TEXT_LEFT
EPS = 0.6                                      # rounding of positions
JUSTIFY_EPS = 1.5                              # WeasyPrint ends justified lines within ±0.5 mm of the edge


# --- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_model():
    site, report = load_and_check(CONTENT, ROOT)
    assert not report.errors
    demo, demo_report = load_and_check(DEMO, ROOT, date.fromisoformat(DEMO_AS_OF))
    assert not demo_report.errors
    return model.Site(communes=site.communes + demo.communes, documents=site.documents + demo.documents)


@pytest.fixture(scope="session")
def pdf_of(built_site, demo_site):
    def get(doc_id: str):
        return open_pdf(str((demo_site if doc_id == REPORT else built_site) / LAYOUT[doc_id]))
    return get


def first_page_segments(pdf):
    return segments(pdf.pages[0])


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


# --- files, fonts, metadata ---------------------------------------------------------------------

def test_one_pdf_per_document_listed_in_plans_json(built_site, site_model):
    plans = json.loads((built_site / "data" / "plans.json").read_text(encoding="utf-8"))
    listed = {d["id"]: d["pdf"] for d in plans["documents"]}
    assert set(listed) == {d.id for d in site_model.documents if not d.id.startswith("minh-hoa/")}  # not the demo
    for doc_id, pdf in listed.items():
        assert (built_site / pdf).is_file(), f"{doc_id}: {pdf} missing"
    assert listed[ATTACHED] == listed[DECISION], "the attached plan is printed inside its decision's PDF"
    files = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "pdf").rglob("*.pdf"))
    assert files == sorted(set(listed.values())) == sorted(PDFS.values())


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_fonts_are_times_or_liberation_serif_and_embedded(built_site, demo_site, pdf_of, doc_id):
    rows = pdffonts((demo_site if doc_id == REPORT else built_site) / LAYOUT[doc_id])
    assert rows
    for row in rows:
        assert ALLOWED_FONT.match(row["name"]), f"font {row['name']} is not Times New Roman / Liberation Serif"
        assert row["emb"] == "yes", f"{row['name']} not embedded"
    fonts = {c["fontname"] for page in pdf_of(doc_id).pages for c in page.chars}
    assert all(ALLOWED_FONT.match(f) for f in fonts), fonts
    # every Vietnamese letter is drawn with the serif face (Liberation 1.07 would fall back to DejaVu)
    drawn = {c["text"]: c["fontname"] for page in pdf_of(doc_id).pages for c in page.chars}
    for letter in "ơạảếệịốờụỦđư":
        if letter in drawn:
            assert ALLOWED_FONT.match(drawn[letter])


def _xmp(pdf) -> bytes:
    return pdf.doc.catalog["Metadata"].resolve().get_data()


@pytest.mark.parametrize("doc_id,created", [
    ("thien-phu/kh-cchc-2026-2030", "D:20260101"),        # a draft of January 2026: its first day
    ("phu-trung/kh-cchc-2026-2030", "D:20260401"),
    ("thuong-xuan/kh-cchc-2026", "D:20260110"),
    ("tue-tinh/qd-364-2026", "D:20260424"),
    ("lung-phinh/kh-cchc-cds-2025-2030", "D:20250901"),
])
def test_metadata(pdf_of, site_model, doc_id, created):
    doc = site_model.document(doc_id)
    pdf = pdf_of(doc_id)
    meta = pdf.metadata
    assert doc.subject in meta["Title"] and doc.type_name in meta["Title"]
    assert meta["Author"] == doc.issuer.name
    assert meta["Subject"] == doc.subject
    assert doc.type_name in meta["Keywords"] and doc.issuer.short in meta["Keywords"]
    assert meta["CreationDate"] == created and meta["ModDate"] == created
    catalog = pdf.doc.catalog
    assert catalog["Lang"] == b"vi"
    # tagged for screen readers: headings, paragraphs, tables with header cells
    assert catalog["MarkInfo"]["Marked"] is True and "StructTreeRoot" in catalog
    kinds: set[str] = set()
    stack = list(pdf.structure_tree)
    while stack:
        node = stack.pop()
        kinds.add(node["type"])
        stack.extend(node.get("children", []))
    assert {"H1", "P"} <= kinds
    if any(a.content is not None for a in doc.appendices):
        assert {"Table", "TH", "TD"} <= kinds
    # PDF/A-2b as WeasyPrint writes it: XMP identification and an output intent
    xmp = _xmp(pdf)
    assert b'pdfaid:part="2"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert "OutputIntents" in catalog


def test_same_content_gives_the_same_bytes(built_site, site_model):
    """Two renders in this process and the one of the build (another process) are identical."""
    from planpub.pdf.render import render_document

    doc = site_model.document(DECISION)
    first, second = render_document(doc, site_model), render_document(doc, site_model)
    assert first == second
    assert first == (built_site / PDFS[DECISION]).read_bytes()


def test_weasyprint_problems_stop_the_build():
    """A CSS rule WeasyPrint would only log (and drop) is an error, not a silent layout change."""
    from planpub.pdf.render import html_to_pdf

    assert html_to_pdf('<html lang="vi"><p>x</p>').startswith(b"%PDF")
    with pytest.raises(BuildFailed, match="WeasyPrint"):
        html_to_pdf('<html lang="vi"><style>p { colr: red }</style><p>x</p>')
    with pytest.raises(BuildFailed, match="lang"):  # tagged PDF: the language is required
        html_to_pdf("<p>x</p>")


@pytest.mark.parametrize("rejected", [
    ["/usr/share/fonts/truetype/liberation2/*", "*/LiberationSerif*"],   # no serif face at all
    ["/usr/share/fonts/truetype/liberation2/*"],   # at most the old Liberation 1.07, without Vietnamese
])
def test_no_times_nor_liberation_stops_the_build(tmp_path, rejected):
    conf = fontconfig_without(tmp_path, rejected)
    site = tmp_path / "site"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(conf)}
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--only", "pdf", "--site", str(site), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 3, proc.stderr
    assert "Times New Roman" in proc.stderr and "Liberation Serif" in proc.stderr
    assert "fonts-liberation2" in proc.stderr
    assert "Lỗi nội bộ" not in proc.stderr
    assert not site.exists()


# --- page 1 header ------------------------------------------------------------------------------

def _pct(x: float) -> float:
    return (x - TEXT_LEFT) / TEXT_WIDTH * 100


NATIONAL_TITLES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")


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


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_page_one_header(pdf_of, site_model, doc_id):
    doc = site_model.document(doc_id)
    page = pdf_of(doc_id).pages[0]
    if doc.family == "party":
        check_party_header(page, doc)
        return
    _, subject_lines = check_header(page, doc, attached=False)
    # the subject's rule: 1/3–1/2 of its length, centred
    x0, x1, _ = rule_under(page, subject_lines[-1], within=6)
    longest = max(s.width for s in subject_lines)
    assert longest / 3 - EPS <= x1 - x0 <= longest / 2 + EPS
    assert abs((x0 + x1) / 2 - subject_lines[0].center) <= 1.0


@pytest.mark.parametrize("doc_id,number,date", [
    ("thien-phu/kh-cchc-2026-2030", r"Số: /KH-UBND", r"Thiên Phú, ngày tháng 01 năm 2026"),
    ("phu-trung/kh-cchc-2026-2030", r"Số: /KH-UBND", r"Phú Trung, ngày tháng 4 năm 2026"),
    ("thuong-xuan/kh-cchc-2026", r"Số: 09/KH-UBND", r"Thường Xuân, ngày 10 tháng 01 năm 2026"),
    ("tue-tinh/qd-364-2026", r"Số: 364/QĐ-UBND", r"Xã Tuệ Tĩnh, ngày 24 tháng 4 năm 2026"),
    ("lung-phinh/kh-cchc-cds-2025-2030", r"Số -KH/ĐU", r"…………, ngày tháng 9 năm 2025"),
])
def test_number_and_date_lines_and_draft_blanks(pdf_of, site_model, doc_id, number, date):
    page = pdf_of(doc_id).pages[0]
    segs = segments(page)
    _, num = find(segs, re.escape(number))
    _, day = find(segs, re.escape(date))
    doc = site_model.document(doc_id)
    if doc.number is None:  # a draft keeps a blank where the clerk writes the number …
        chars = num.visible()
        gap = next(chars[i + 1]["x0"] - chars[i]["x1"] for i in range(len(chars) - 1)
                   if chars[i + 1]["text"] in "/-")
        assert gap >= 15, f"blank before the symbol is only {gap:.1f} pt"
    if doc.date.day is None:  # … and the day
        chars = day.visible()
        k = next(i for i in range(len(chars)) if "".join(c["text"] for c in chars[i:i + 4]) == "ngày")
        gap = chars[k + 4]["x0"] - chars[k + 3]["x1"]
        assert gap >= 15, f"blank for the day is only {gap:.1f} pt"


# --- body -----------------------------------------------------------------------------------

def body_segments(pdf) -> list[tuple[int, list]]:
    """Per portrait page: the body's lines (below the title on a header page, above Nơi nhận,
    page numbers left out)."""
    out = []
    for i, page in enumerate(pdf.pages):
        if is_landscape(page):
            continue
        segs = [s for s in segments(page) if s.top > TOP_MIN]
        if any(s.text in NATIONAL_TITLES for s in segs[:3]):
            k = next(k for k, s in enumerate(segs) if s.text in ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO"))
            while k + 1 < len(segs) and (segs[k + 1].bold or segs[k + 1].italic or segs[k + 1].text == "-----") \
                    and segs[k + 1].sizes <= {13.0, 14.0} and abs(segs[k + 1].center - (TEXT_LEFT + TEXT_RIGHT) / 2) <= 1:
                k += 1
            segs = segs[k + 1:]
        end = closing_top(page)
        if end is not None:
            segs = [s for s in segs if s.top < end]
        out.append((i, segs))
    return out


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_portrait_pages_keep_the_margins(pdf_of, doc_id):
    pdf = pdf_of(doc_id)
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


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_body_size_justification_indent_spacing(pdf_of, doc_id):
    pdf = pdf_of(doc_id)
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
        line = mode(round(x, 1) for x in steps)
        assert 1.11 * page_size <= line <= 1.725 * page_size, (line, page_size)
        for step in steps:
            assert abs(step - line) <= 0.3 or step >= line + 6 - 0.3, f"gap of {step - line:.1f} pt between lines"
        paragraph_gaps += sum(1 for step in steps if step >= line + 6 - 0.3)
    assert paragraph_gaps


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_legal_bases_sections_and_end_mark(pdf_of, site_model, doc_id):
    pdf = pdf_of(doc_id)
    docs = [site_model.document(doc_id)]
    if doc_id == DECISION:
        docs.append(site_model.document(ATTACHED))
    segs = [s for _, page_segs in body_segments(pdf) for s in page_segs]
    texts = [s.text for s in segs]
    for doc in docs:
        for basis in doc.legal_bases:  # italic, one per line (each starts a line)
            head = squash(basis.text)[:30]
            k = next(k for k, t in enumerate(texts) if t.startswith(head))
            assert segs[k].italic and not segs[k].bold
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


def test_decision_authority_decides_and_articles(pdf_of, site_model):
    doc = site_model.document(DECISION)
    segs = [s for _, page_segs in body_segments(pdf_of(DECISION)) for s in page_segs]
    center = (TEXT_LEFT + TEXT_RIGHT) / 2
    _, authority = find(segments(pdf_of(DECISION).pages[0]), re.escape(doc.authority))
    assert authority.bold and 13 <= authority.size <= 14 and abs(authority.center - center) <= EPS
    _, decides = find(segs, "QUYẾT ĐỊNH:")
    assert decides.bold and abs(decides.center - center) <= EPS
    left = min(s.x0 for s in segs)
    for article in doc.articles:
        _, seg = find(segs, rf"Điều {article.number}\. .*")
        label = seg.visible()[:len(f"Điều{article.number}.")]
        rest = seg.visible()[len(label):]
        assert all("Bold" in c["fontname"] for c in label)
        assert rest and not any("Bold" in c["fontname"] or "Italic" in c["fontname"] for c in rest)
        assert abs(seg.x0 - left - 10 * MM) <= EPS or abs(seg.x0 - left - 12.7 * MM) <= EPS
    assert "ban hành kèm theo quyết định này kế hoạch" in squash(doc.articles[0].text).lower()


# --- signature and Nơi nhận -------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_signature_block_and_recipients(pdf_of, site_model, doc_id):
    doc = site_model.document(doc_id)
    pdf = pdf_of(doc_id)
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
    lines = [s for s in segs[k + 1:] if s.center < TEXT_LEFT + TEXT_WIDTH / 2]
    assert all(s.size == (12 if party else 11) for s in lines)
    items: list[str] = []
    for s in lines:
        if s.text.startswith("- "):
            items.append(s.text)
        else:
            items[-1] += " " + s.text
    expected = [f"- {squash(r.text)};" for r in doc.recipients] + [f"- Lưu{'' if party else ':'} {doc.archive}."]
    assert items == expected


# --- page numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_page_numbers(pdf_of, doc_id):
    pdf = pdf_of(doc_id)
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


def test_appendices_restart_their_numbering(pdf_of, site_model):
    """Seed 002 has seven appendices: each starts on a page without number."""
    pdf = pdf_of("thuong-xuan/kh-cchc-2026")
    doc = site_model.document("thuong-xuan/kh-cchc-2026")
    starts = section_starts(pdf)
    assert len(starts) == 1 + len([a for a in doc.appendices if a.content is not None])
    for s in starts[1:]:
        assert is_landscape(pdf.pages[s]) and not top_margin_chars(pdf.pages[s], TOP_MIN)


# --- appendices -----------------------------------------------------------------------------

def appendix_pages(pdf, site_model, doc_id):
    """(appendix, [pages]) in order."""
    doc = site_model.document(doc_id)
    printed = [a for a in doc.appendices if a.content is not None]
    starts = [s for s in section_starts(pdf) if is_landscape(pdf.pages[s])]
    assert len(starts) == len(printed)
    bounds = starts + [len(pdf.pages)]
    return [(a, pdf.pages[bounds[i]:bounds[i + 1]]) for i, a in enumerate(printed)]


# The "(Kèm theo …)" line of each appendix (whitespace squashed: a draft's blanks become one space).
REFERENCE = {
    "thien-phu/kh-cchc-2026-2030":
        "(Kèm theo Kế hoạch số /KH-UBND ngày tháng 01 năm 2026 của UBND xã Thiên Phú)",
    "thuong-xuan/kh-cchc-2026":  # ND30.md's own example
        "(Kèm theo Kế hoạch số 09/KH-UBND ngày 10 tháng 01 năm 2026 của UBND xã Thường Xuân)",
    "lung-phinh/kh-cchc-cds-2025-2030":
        "(Kèm theo Kế hoạch số -KH/ĐU ngày tháng 9 năm 2025 của Đảng ủy xã Lùng Phình)",
    REPORT: "(Kèm theo Báo cáo số 15/BC-UBND ngày 27 tháng 11 năm 2026 của UBND xã Minh Họa)",
}


@pytest.mark.parametrize("doc_id", ["thien-phu/kh-cchc-2026-2030", "thuong-xuan/kh-cchc-2026",
                                    "lung-phinh/kh-cchc-cds-2025-2030", REPORT])
def test_appendix_pages_landscape_heading_and_repeated_header_row(pdf_of, site_model, doc_id):
    pdf = pdf_of(doc_id)
    for appendix, pages in appendix_pages(pdf, site_model, doc_id):
        for page in pages:
            assert (round(page.width, 1), round(page.height, 1)) == (841.9, 595.3), "A4 landscape"
        segs = segments(pages[0])
        center = pages[0].width / 2 - (15 * MM - 20 * MM) / 2  # the text block's centre (20/15 mm)
        _, label = find(segs, re.escape(appendix.label))
        assert label.size == 14 and label.bold and abs(label.center - center) <= 1
        k, _ = find(segs, r"\(Kèm theo .*")
        ref_lines = [segs[k]]
        while not ref_lines[-1].text.endswith(")"):
            k += 1
            ref_lines.append(segs[k])
        assert " ".join(s.text for s in ref_lines) == REFERENCE[doc_id]
        assert all(s.italic and 13 <= s.size <= 14 for s in ref_lines)
        if appendix.title:
            title = " ".join(s.text for s in segs if s.bold and s.top > label.bottom and s.bottom < ref_lines[0].top)
            assert title == squash(appendix.title.upper())
        x0, x1, _ = rule_under(pages[0], ref_lines[-1], within=8)
        assert x1 - x0 < 0.5 * (x1 + x0), "a short line"
        # the header row on every page, bold, first
        # (as its shape prints it: a cell over several columns is followed by empty ones)
        view = appendices.of(appendix.content).view(appendix.content)
        header = [t for h in view.header_rows[0] for t in [squash(h.text), *[""] * (h.colspan - 1)]]
        for page in pages:
            tables = page.extract_tables()
            assert tables, f"{appendix.id}: a page with no table"
            assert [squash(c or "") for c in tables[0][0]] == header
            first = min(c["top"] for c in page.chars if c["top"] > TOP_MIN and any(
                c["x0"] >= e["x0"] for e in page.edges if e["orientation"] == "v"))
            head_chars = [c for c in page.chars if abs(c["top"] - first) < 2 and c["text"].strip()]
            assert head_chars and all("Bold" in c["fontname"] for c in head_chars)


def _rows(pages):
    for page in pages:
        for table in page.extract_tables():
            yield from table[1:]


def test_task_table_group_rows_span_the_table(pdf_of, site_model):
    doc_id = "thien-phu/kh-cchc-2026-2030"
    (appendix, pages), = appendix_pages(pdf_of(doc_id), site_model, doc_id)
    groups = [(g.label, g.title) for g in appendix.content.groups]
    found = [(r[0], squash(r[1] or "")) for r in _rows(pages) if r[0] and re.fullmatch(r"[IVX]+", r[0])
             and all(c is None for c in r[2:])]
    assert found == groups


def column_texts(pages, header: str) -> list[str]:
    """The text of one table column, page by page, under the header cell named ``header``."""
    out = []
    for page in pages:
        table = page.find_tables()[0]
        head = next(c for c, t in zip(table.rows[0].cells, table.extract()[0]) if squash(t or "") == header)
        out.append(page.crop((head[0], head[3], head[2], table.bbox[3])).extract_text())
    return out


def test_framework_spans_and_budget(pdf_of, site_model):
    doc_id = "lung-phinh/kh-cchc-cds-2025-2030"
    appendix, pages = appendix_pages(pdf_of(doc_id), site_model, doc_id)[0]
    framework = appendix.content
    assert framework.shape == "framework"
    columns = {k: squash(v) for k, v in framework.columns.items()}
    assert columns["budget"] in [squash(c or "") for c in pages[0].extract_tables()[0][0]]
    objective_text = norm("".join(column_texts(pages, columns["objective"])))
    task_text = norm("".join(column_texts(pages, columns["task"])))
    budget_text = "\n".join(column_texts(pages, columns["budget"]))
    activities = [a for g in framework.groups for o in g.objectives for t in o.tasks for a in t.activities]
    for group in framework.groups:
        for objective in group.objectives:
            # written once, in a cell spanning its activities (not once per activity)
            assert objective_text.count(norm(objective.objective)) == 1, objective.objective
            for ftask in objective.tasks:
                assert task_text.count(norm(ftask.task)) >= 1, ftask.task
    # every activity's budget in the budget column, one per activity row
    assert len(re.findall(r"Theo dự toán\s+ngân\s+sách\s+hàng\s+năm", budget_text)) == \
        sum(1 for a in activities if a.budget == "Theo dự toán ngân sách hàng năm")
    # the first objective's cell spans its activities: no rule crosses its column between them
    first = framework.groups[0].objectives[0]
    page = pages[0]
    table = page.find_tables()[0]
    head = next(c for c, t in zip(table.rows[0].cells, table.extract()[0]) if squash(t or "") == columns["objective"])
    col = page.crop((head[0], head[3], head[2], table.bbox[3]))
    words = col.extract_words()
    top = min(w["top"] for w in words if w["text"] == first.objective.split()[0])
    last = [a for t in first.tasks for a in t.activities][-1]
    act_col = next(c for c, t in zip(table.rows[0].cells, table.extract()[0]) if squash(t or "") == columns["activity"])
    act_words = page.crop((act_col[0], head[3], act_col[2], table.bbox[3])).extract_words()
    bottom = max(w["bottom"] for w in act_words if w["text"] == last.content.split()[-1])
    crossing = [e for e in page.edges if e["orientation"] == "h" and top < e["top"] < bottom
                and e["x0"] < (head[0] + head[2]) / 2 < e["x1"]]
    assert not crossing, "the objective's cell is cut by a row rule"


def test_indicator_matrix_values_in_their_year(pdf_of, site_model):
    doc_id = "lung-phinh/kh-cchc-cds-2025-2030"
    appendix, pages = appendix_pages(pdf_of(doc_id), site_model, doc_id)[1]
    matrix = appendix.content
    assert matrix.shape == "indicator_matrix"
    rows = {(r[0], norm(r[1] or "")): r for r in _rows(pages) if r[0] and r[0].isdigit()}
    for group in matrix.groups:
        for ind in group.indicators:
            row = rows[(str(ind.number), norm(ind.name))]
            for k, year in enumerate(matrix.years):
                assert norm(row[2 + k] or "") == norm(ind.values.get(year, "")), (ind.name, year)


# --- a decision with its attached plan -------------------------------------------------------

def test_decision_and_attached_plan_in_one_pdf(pdf_of, site_model):
    pdf = pdf_of(DECISION)
    plan = site_model.document(ATTACHED)
    starts = section_starts(pdf)
    assert len(starts) == 2, "the decision, then the plan"
    start = starts[1]
    assert start >= 1 and not is_landscape(pdf.pages[start])
    segs, subject_lines = check_header(pdf.pages[start], plan, attached=True)
    k = segs.index(subject_lines[-1]) + 1
    lines = [segs[k]]
    while not lines[-1].text.endswith(")"):
        k += 1
        lines.append(segs[k])
    assert " ".join(s.text for s in lines) == ATTACHED_LINE
    assert all(s.italic and s.size == 14 for s in lines)
    x0, x1, _ = rule_under(pdf.pages[start], lines[-1], within=8)
    assert x1 - x0 < TEXT_WIDTH / 3, "a short line"
    # no signature block and no Nơi nhận for the plan: the only ones are the decision's, before it
    text = text_without_page_numbers(pdf, TOP_MIN)
    assert text.count("Nơi nhận:") == 1 and text.count(site_model.document(DECISION).signature.name) == 1
    assert [i for i, p in enumerate(pdf.pages) if closing_top(p) is not None][0] < start
    assert squash(text).endswith("./.")
    assert norm(plan.preamble) in norm(text)


# --- nothing lost between content and paper --------------------------------------------------

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_every_task_and_target_is_printed(pdf_of, site_model, doc_id):
    pdf = pdf_of(doc_id)
    docs = [d for d in site_model.documents if d.pdf == LAYOUT[doc_id]]
    text = norm(text_without_page_numbers(pdf, TOP_MIN))
    cells = [norm(c) for c in table_cells(pdf)]
    checked = 0
    for doc in docs:
        for task in doc.tasks:
            if task.appendix:  # whole in one cell: the row was not split across pages
                assert any(norm(task.content) == c for c in cells), task.content
                for item in task.deliverables:
                    assert any(norm(item) in c for c in cells), item
            else:
                assert norm(task.content) in text, task.content
                if task.summary:
                    assert norm(task.summary) in text, task.summary
            checked += 1
        for target in doc.targets:
            for value in target.values:
                assert norm(value.value_text) in text, (target.name, value.value_text)
            if target.appendix:
                assert any(norm(target.name) == c for c in cells), target.name
            elif target.quote:  # a sentence of the body, or of a task row in an appendix
                assert norm(target.quote) in text or any(norm(target.quote) in c for c in cells), target.quote
            checked += 1
        for appendix in doc.appendices:  # a report's tables: every cell, whole
            if appendix.content is not None and appendix.content.shape == "plain_table":
                for row in appendix.content.rows:
                    for value in row.values():
                        if value:
                            assert any(norm(value) == c for c in cells), value
                    checked += 1
    assert checked > 0


# --- the forms of numbers and dates (ND30 Phụ lục I), and a parent body in the header ----------

def _plain(markup) -> str:
    return re.sub(r"<[^>]+>", "", str(markup))


@pytest.mark.parametrize("number,symbol,expected", [
    ("5", "KH-UBND", "Số: 05/KH-UBND"),          # a leading 0 below 10
    ("09", "KH-UBND", "Số: 09/KH-UBND"),
    ("364", "QĐ-UBND", "Số: 364/QĐ-UBND"),
    (None, "KH-UBND", "Số:      /KH-UBND"),      # a draft keeps the blank
    ("12", "KH/ĐU", "Số 12-KH/ĐU"),              # a party committee's form
    (None, "KH/ĐU", "Số      -KH/ĐU"),
])
def test_number_forms(site_model, number, symbol, expected):
    from planpub.pdf.view import number_line
    doc = site_model.document("thuong-xuan/kh-cchc-2026").model_copy(update={"number": number, "symbol": symbol})
    assert _plain(number_line(doc)) == expected


@pytest.mark.parametrize("date,expected", [
    ({"year": 2026, "month": 1, "day": 5}, "ngày 05 tháng 01 năm 2026"),
    ({"year": 2026, "month": 2, "day": 28}, "ngày 28 tháng 02 năm 2026"),
    ({"year": 2026, "month": 3, "day": 9}, "ngày 09 tháng 3 năm 2026"),
    ({"year": 2026, "month": 12, "day": 24}, "ngày 24 tháng 12 năm 2026"),
    ({"year": 2026, "month": 1}, "ngày      tháng 01 năm 2026"),
    ({"year": 2026}, "ngày      tháng      năm 2026"),
])
def test_date_forms(date, expected):
    from planpub.model import DocDate
    from planpub.pdf.view import date_words
    assert _plain(date_words(DocDate(**date))) == expected


def test_parent_issuer_in_the_header(site_model, tmp_path):
    """A parent body (not in the seeds) prints above the issuer, UPPER, not bold, 12–13 pt."""
    from planpub.pdf.render import render_document

    doc = site_model.document("thuong-xuan/kh-cchc-2026").model_copy(update={"parent_issuer": "UBND TỈNH THANH HÓA"})
    path = tmp_path / "parent.pdf"
    path.write_bytes(render_document(doc, site_model))
    page = open_pdf(str(path)).pages[0]
    segs = segments(page)
    _, parent = find(segs, "UBND TỈNH THANH HÓA")
    _, issuer = find(segs, "ỦY BAN NHÂN DÂN")
    assert parent.regular and 12 <= parent.size <= 13
    assert parent.bottom <= issuer.top and abs(parent.center - issuer.center) <= EPS
    check_header(page, doc, attached=False)


def test_a_letter_the_face_lacks_stops_the_build(site_model):
    """A character the serif face cannot draw would be printed with another face: refused."""
    from planpub.pdf.render import document_html

    doc = site_model.document("thuong-xuan/kh-cchc-2026")
    with pytest.raises(BuildFailed, match="中"):
        document_html(doc.model_copy(update={"subject": doc.subject + " 中"}), site_model)
