"""Every kind of document a commune publishes (issue 13), built by the real command from a fixture
tree written for these tests: tests/fixtures/kinds/ (fictional communes, `example: true`).

- an-lac/qd-30-2026: a legal-normative decision, "Số: 30/2026/QĐ-UBND", issuing
  an-lac/quy-dinh-30-2026, a regulation (Quy định) with chapters, articles, clauses and points;
- an-lac/qd-45-2026: a decision issuing an-lac/ctr-cds-2026, a programme (Chương trình);
- tinh-an-hoa/kh-cchc-2026: a province plan, and an-lac/kh-cchc-2026 the commune plan implementing
  it (with a footnote);
- an-lac/kh-cds-2026: a published copy of an issued plan whose source lacks the signer's name;
- any other document under tests/fixtures/kinds/ (appendix shapes …).

Every PDF of the tree passes the same layout checks as the seeds' (tests/layout.py), whatever
documents the tree holds: the list is read from the folders.
"""
from __future__ import annotations

import json
import posixpath
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_build
from layout import EPS, TEXT_LEFT, TEXT_RIGHT, body_segments, check_header, check_layout, section_starts
from pdf_helpers import MM, find, open_pdf, segments, squash, text_without_page_numbers

from planpub.pipeline import load_and_check

KINDS = Path(__file__).parent / "fixtures" / "kinds"
AS_OF = "2026-11-23"
DECISION, REGULATION = "an-lac/qd-30-2026", "an-lac/quy-dinh-30-2026"
PROVINCE_PLAN, COMMUNE_PLAN, COPY = "tinh-an-hoa/kh-cchc-2026", "an-lac/kh-cchc-2026", "an-lac/kh-cds-2026"


def _documents_with_a_pdf() -> list[str]:
    """Every document of the tree that has a PDF of its own (an attached one is printed in its
    decision's), read from the folders at collection time."""
    ids = []
    for path in sorted(KINDS.glob("*/*/document.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not data.get("attached_to"):
            ids.append(f"{path.parent.parent.name}/{path.parent.name}")
    return ids


@pytest.fixture(scope="module")
def kinds_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("kinds") / "site"
    proc = run_build("--content", str(KINDS), "--site", str(site), "--as-of", AS_OF, "-q")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return site


@pytest.fixture(scope="module")
def kinds_model():
    site, report = load_and_check(KINDS, ROOT, date.fromisoformat(AS_OF))
    assert not report.errors, report.errors
    assert all(c.example for c in site.communes), "fixtures are example data"
    return site


def _pdf(site: Path, doc_id: str):
    return open_pdf(str(site / "pdf" / f"{doc_id}.pdf"))


def _page(site: Path, kind: str, doc_id: str) -> str:
    return (site / kind / doc_id / "index.html").read_text(encoding="utf-8")


# --- every document passes the seeds' layout tests ---------------------------------------------

@pytest.mark.parametrize("doc_id", _documents_with_a_pdf())
def test_every_fixture_pdf_passes_the_seed_layout_checks(kinds_site, kinds_model, doc_id):
    doc = kinds_model.document(doc_id)
    docs = [doc, *(d for d in kinds_model.documents if d.attached_to == doc_id)]
    path = kinds_site / doc.pdf
    assert path.is_file(), doc.pdf
    check_layout(path, open_pdf(str(path)), docs)


def test_the_tree_holds_every_kind_the_issue_names(kinds_model):
    kinds = {(d.type, d.normative, bool(d.attached_to), bool(d.implements), bool(d.not_in_source))
             for d in kinds_model.documents}
    assert ("QĐ", True, False, False, False) in kinds          # legal-normative decision
    assert ("QYĐ", False, True, False, False) in kinds         # a regulation it issues
    assert ("CTr", False, True, False, False) in kinds         # a programme issued by a decision
    assert ("KH", False, False, True, False) in kinds          # a plan implementing a province plan
    assert ("KH", False, False, False, True) in kinds          # a published copy
    assert {c.kind for c in kinds_model.communes} >= {"xã", "tỉnh"}


# --- a legal-normative decision issuing a regulation -------------------------------------------

def test_the_legal_normative_decision_keeps_its_number_everywhere(kinds_site):
    first = segments(_pdf(kinds_site, DECISION).pages[0])
    find(first, r"Số: 30/2026/QĐ-UBND")
    plans = json.loads((kinds_site / "data" / "plans.json").read_text(encoding="utf-8"))
    doc = next(d for d in plans["documents"] if d["id"] == DECISION)
    assert doc["number_text"] == "30/2026/QĐ-UBND" and doc["normative"] is True
    assert "Quyết định 30/2026/QĐ-UBND" in _page(kinds_site, "xa", DECISION)


def _regulation_lines(pdf):
    return [s for _, segs in body_segments(pdf) for s in segs]


def test_the_regulation_is_printed_as_nd30_attaches_it(kinds_site, kinds_model):
    """ND30: the attached regulation has the issuer's header without number, place or date; QUY ĐỊNH,
    its subject and "(Kèm theo Quyết định số …)"; centred bold chapters, bold articles; and the
    decision's signer's block at its end, without a Nơi nhận of its own."""
    pdf = _pdf(kinds_site, DECISION)
    reg, decision = kinds_model.document(REGULATION), kinds_model.document(DECISION)
    starts = section_starts(pdf)
    assert len(starts) == 2, "the decision, then the regulation on a page of its own"
    segs, subject = check_header(pdf.pages[starts[1]], reg, attached=True)
    assert segs[segs.index(subject[0]) - 1].text == "QUY ĐỊNH"
    k = segs.index(subject[-1]) + 1
    lines = [segs[k]]
    while not lines[-1].text.endswith(")"):
        k += 1
        lines.append(segs[k])
    assert " ".join(s.text for s in lines) == ("(Kèm theo Quyết định số 30/2026/QĐ-UBND ngày 12 tháng 3 năm 2026 "
                                              "của Ủy ban nhân dân xã)")
    assert all(s.italic for s in lines)
    page_segs = [s for page in pdf.pages[starts[1]:] for s in segments(page)]
    center = (TEXT_LEFT + TEXT_RIGHT) / 2
    for chapter in reg.regulation.chapters:
        k, number = find(page_segs, f"Chương {chapter.numeral}")
        title = page_segs[k + 1]
        assert title.text == chapter.title
        for seg in (number, title):
            assert seg.bold and seg.size == 14 and abs(seg.center - center) <= EPS, seg.text
    left = TEXT_LEFT
    for article in reg.regulation.all_articles():
        _, seg = find(page_segs, re.escape(f"Điều {article.number}. {article.title}"))
        assert seg.bold and seg.size == 14
        assert abs(seg.x0 - left - 10 * MM) <= EPS, "ND30: indented from the left margin"
        for clause in article.clauses:
            _, line = find(page_segs, rf"{clause.number}\. " + re.escape(squash(clause.paragraphs[0])[:20]) + ".*")
            assert line.regular and line.size == 14
    text = text_without_page_numbers(pdf, 20 * MM)
    assert text.count("Nơi nhận:") == 1, "the regulation has no Nơi nhận of its own"
    assert text.count(decision.signature.name) == 2, "the decision's signer signs both"
    assert text.count("TM. ỦY BAN NHÂN DÂN") == 2
    last = [s for s in _regulation_lines(pdf) if s.top > 0][-1]
    assert last.text.endswith("./."), last.text


def test_the_regulation_has_pdf_bookmarks_and_named_destinations(kinds_site, kinds_model):
    reg = kinds_model.document(REGULATION).regulation
    pdf = _pdf(kinds_site, DECISION)
    outline = [(level, title) for level, title, *_ in pdf.doc.get_outlines()]
    expected = [(1, "QUYẾT ĐỊNH"), (1, "QUY ĐỊNH")]
    for chapter in reg.chapters:
        expected.append((2, f"Chương {chapter.numeral}. {chapter.title}"))
        expected += [(3, f"Điều {a.number}. {a.title}") for a in chapter.articles]
    assert outline == expected
    # each article's bookmark leads to the page that prints it
    pages = {page.page_obj.pageid: page for page in pdf.pages}
    for level, title, dest, *_ in pdf.doc.get_outlines():
        if title.startswith("Điều"):
            page = pages[dest[0].objid]
            assert title in squash(page.extract_text()), title
    # every part is a named destination (the website's anchors: #dieu-3-khoan-2-diem-b)
    from pdfminer.pdftypes import resolve1

    names: set[str] = set()
    stack = [resolve1(resolve1(pdf.doc.catalog["Names"])["Dests"])]
    while stack:
        node = resolve1(stack.pop())
        found = node.get("Names", [])
        names.update(found[i].decode() for i in range(0, len(found), 2))
        stack.extend(node.get("Kids", []))
    anchors = {c.anchor for c in reg.chapters}
    for article in reg.all_articles():
        anchors.add(article.anchor)
        anchors.update(p.anchor for p in article.points)
        for clause in article.clauses:
            anchors.add(clause.anchor)
            anchors.update(p.anchor for p in clause.points)
    assert {"chuong-i", "dieu-3", "dieu-3-khoan-2", "dieu-3-khoan-2-diem-b", "dieu-3-khoan-2-diem-dd",
            "dieu-6-diem-a"} <= anchors
    assert anchors <= names


def test_the_regulation_page_has_anchors_a_table_of_contents_and_permalinks(kinds_site, kinds_model, browser):
    reg = kinds_model.document(REGULATION).regulation
    html = _page(kinds_site, "xa", REGULATION)
    toc = re.search(r'<nav class="pp-reg-toc".*?</nav>', html, re.S)[0]
    for chapter in reg.chapters:
        assert f'href="#{chapter.anchor}"' in toc
        assert re.search(rf'<h3 class="pp-chapter" id="{chapter.anchor}">', html)
        for article in chapter.articles:
            assert f'href="#{article.anchor}">Điều {article.number}. {article.title}</a>' in toc
    for anchor in ("dieu-3", "dieu-3-khoan-2", "dieu-3-khoan-2-diem-b", "dieu-6-diem-c"):
        assert f'id="{anchor}"' in html
        assert re.search(rf'<a class="pp-permalink" href="#{anchor}"[^>]*aria-label="Liên kết tới [^"]+">#</a>', html)
    plans = json.loads((kinds_site / "data" / "plans.json").read_text(encoding="utf-8"))
    data = next(d for d in plans["documents"] if d["id"] == REGULATION)
    assert [c["anchor"] for c in data["regulation"]["chapters"]] == ["chuong-i", "chuong-ii", "chuong-iii"]
    # in a browser: an address with a part's anchor shows that part; its "#" is a visible link to it
    from website_server import serve

    with serve(kinds_site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(base + f"xa/{REGULATION}/index.html#dieu-6-diem-b")
        target = page.locator("#dieu-6-diem-b")
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < 800, box
        link = target.locator("a.pp-permalink")
        assert link.is_visible()
        page.locator("#dieu-3-khoan-2 a.pp-permalink").click()
        assert page.url.endswith("#dieu-3-khoan-2")
        page.close()


def _broken(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    content = tmp_path / "content"
    shutil.copytree(KINDS, content)
    body = content / REGULATION / "body.md"
    return content, body, body.read_text(encoding="utf-8").split("\n")


def _line(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def test_the_checker_reports_broken_numbering_at_file_and_line(tmp_path):
    content, body, lines = _broken(tmp_path)
    slips = {  # the line as written → as broken
        "### Điều 8.": "### Điều 9.",                      # an article number skipped
        "3. Danh mục": "4. Danh mục",                      # a clause number skipped
        "d) Không đăng": "e) Không đăng",                  # a point out of the Vietnamese order
        "b) Chịu trách": "f) Chịu trách",                  # a letter the order does not have
        "### Điều 5.": "### Điều 4.",                      # an article number repeated
    }
    where = {old: _line(lines, old) for old in slips}
    for old, new in slips.items():
        lines[where[old] - 1] = new + lines[where[old] - 1][len(old):]
    lines += ["", "## Chương IV. ĐIỀU KHOẢN THI HÀNH", ""]   # a chapter with no article
    body.write_text("\n".join(lines), encoding="utf-8")
    proc = run_build("check", "--content", str(content))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    out = proc.stderr
    rel = re.escape(str(body))
    expected = [
        (where["d) Không đăng"], "point-order", "Điểm “e)” của khoản 2 Điều 3 đứng sau “c)”"),
        (where["3. Danh mục"], "clause-gap", "Khoản 4 Điều 4 đứng ở chỗ của khoản 3 Điều 4"),
        (where["### Điều 5."], "article-repeat", "Điều 4 bị trùng"),
        (where["b) Chịu trách"], "point-letter", "Điểm “f)” của Điều 6 không có trong thứ tự chữ cái tiếng Việt"),
        (where["### Điều 8."], "article-gap", "Điều 9 đứng ở chỗ của Điều 8"),
        (len(lines) - 1, "chapter-empty", "Chương IV không có Điều nào"),
    ]
    for line, key, words in expected:
        assert re.search(rf"^{rel}:{line}:1: lỗi \[{key}\] {re.escape(words)}.*\n    Cách sửa: \S", out, re.M), \
            (key, out)
    # one message per slip: the articles after the repeat and after the gap are not flagged again
    assert out.count("[article-") == 2 and out.count("[point-") == 2 and out.count("[clause-") == 1


# --- a decision issuing a programme ------------------------------------------------------------

def test_a_programme_is_printed_after_its_decision_and_signed_by_its_signer(kinds_site, kinds_model):
    decision, programme = kinds_model.document("an-lac/qd-45-2026"), kinds_model.document("an-lac/ctr-cds-2026")
    pdf = _pdf(kinds_site, decision.id)
    starts = section_starts(pdf)
    assert len(starts) == 2
    segs, subject = check_header(pdf.pages[starts[1]], programme, attached=True)
    assert segs[segs.index(subject[0]) - 1].text == "CHƯƠNG TRÌNH"
    text = squash(text_without_page_numbers(pdf, 20 * MM))
    assert "(Kèm theo Quyết định số 45/QĐ-UBND ngày 02 tháng 4 năm 2026 của Chủ tịch Ủy ban nhân dân xã)" in text
    assert text.count("Nơi nhận:") == 1
    # the programme ends with the block of the decision's signer (a deputy signing for the chairman)
    tail = text[text.rindex("Trên đây là Chương trình"):]
    assert re.search(r"\./\. KT\. CHỦ TỊCH PHÓ CHỦ TỊCH Phạm Thị Dung$", tail), tail[-120:]
    page = kinds_site / "xa" / programme.id / "index.html"
    target = kinds_site / "xa" / decision.id / "index.html"
    resolved = {Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), h)))
                for h in re.findall(r'href="([^"#?:]+)', page.read_text(encoding="utf-8"))}
    assert target in resolved and target.is_file(), "the programme's page links to the decision issuing it"


# --- a province plan and the commune plan implementing it ----------------------------------------

def test_the_province_plan_and_the_commune_plan_link_both_ways(kinds_site):
    up_page = kinds_site / "xa" / COMMUNE_PLAN / "index.html"
    down_page = kinds_site / "tinh" / PROVINCE_PLAN / "index.html"
    assert not (kinds_site / "xa" / "tinh-an-hoa").exists(), "a province is published under tinh/"
    for page, target in ((up_page, f"tinh/{PROVINCE_PLAN}/index.html"), (down_page, f"xa/{COMMUNE_PLAN}/index.html")):
        hrefs = [h for h in re.findall(r'href="([^"#?]+)', page.read_text(encoding="utf-8")) if h.endswith(target)]
        assert hrefs, (page, target)
        resolved = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), hrefs[0])))
        assert resolved.is_file()


# --- a published copy without the signer's name -----------------------------------------------

def test_a_published_copy_without_the_signers_name_stays_issued(kinds_site):
    page = _page(kinds_site, "xa", COPY)
    assert "Đã ban hành" in page and "Dự thảo" not in page
    assert "nguồn không ghi: họ tên người ký." in page
    pdf = _pdf(kinds_site, COPY)
    find(segments(pdf.pages[0]), r"Số: 18/KH-UBND")
    text = squash(text_without_page_numbers(pdf, 20 * MM))
    assert "(Bản công bố lại văn bản đã ban hành; nguồn không ghi: họ tên người ký.)" in text
    plans = json.loads((kinds_site / "data" / "plans.json").read_text(encoding="utf-8"))
    doc = next(d for d in plans["documents"] if d["id"] == COPY)
    assert doc["not_in_source"] == ["signer_name"] and doc["number_text"] == "18/KH-UBND"


# --- a footnote -----------------------------------------------------------------------------------

def test_a_footnote_is_a_pdf_footnote_and_a_note_on_the_page(kinds_site):
    note = "Kế hoạch số 45/KH-UBND ngày 08 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh An Hòa."
    page = _pdf(kinds_site, COMMUNE_PLAN).pages[0]
    lines = page.extract_text_lines()
    found = [ln for ln in lines if ln["text"].startswith("1. Kế hoạch số 45/KH-UBND")]
    assert found and found[0]["top"] > page.height * 0.75, "at the foot of the page"
    assert "[^1]" not in page.extract_text()
    html = _page(kinds_site, "xa", COMMUNE_PLAN)
    assert "[^1]" not in html
    assert re.search(r'<li id="fn1" class="footnote-item"><p>' + re.escape(note), html)


# --- the regulation's source format, read and checked without a build -------------------------

FLAT = """### Điều 1. Phạm vi

Văn bản này quy định việc tiếp công dân
tại trụ sở xã.

### Điều 2. Trách nhiệm

Các cơ quan có trách nhiệm:

a) Bố trí nơi tiếp công dân;

b) Phân công người tiếp.

Cán bộ tiếp công dân phải đeo thẻ.
"""


def test_a_regulation_without_chapters_is_read_into_articles_clauses_and_points():
    from planpub import regulation

    reg = regulation.parse(FLAT)
    assert not reg.chapters and [a.anchor for a in reg.articles] == ["dieu-1", "dieu-2"]
    first, second = reg.articles
    assert first.paragraphs == ["Văn bản này quy định việc tiếp công dân tại trụ sở xã."], "a broken line is joined"
    assert second.paragraphs == ["Các cơ quan có trách nhiệm:"]
    assert [(p.letter, p.anchor, p.line) for p in second.points] == [("a", "dieu-2-diem-a", 10), ("b", "dieu-2-diem-b", 12)]
    assert second.points[-1].paragraphs == ["Phân công người tiếp.", "Cán bộ tiếp công dân phải đeo thẻ."]
    assert reg.last_part() is second.points[-1]
    from planpub.diagnostics import Report
    report = Report()
    regulation.check(reg, Path("body.md"), report)
    assert not report.errors


@pytest.mark.parametrize("text, key, line", [
    ("Lời nói đầu.\n\n### Điều 1. Phạm vi\n\nNội dung.\n", "text-outside-article", 1),
    ("## Chương một: QUY ĐỊNH CHUNG\n\n### Điều 1. Phạm vi\n\nNội dung.\n", "chapter-heading", 1),
    ("### Điều 1. Phạm vi\n\nNội dung.\n\n### Điều 2 Đối tượng\n\nNội dung.\n", "article-heading", 5),
    ("### Điều 1. Phạm vi\n\n1. Một.\n\n3. Ba.\n", "clause-gap", 5),
    ("### Điều 1. Phạm vi\n\n1. Một:\na) x;\nc) z.\n", "point-order", 5),
    ("### Điều 1. Phạm vi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "regulation-block", 3),
    ("### Điều 1. A\n\nx\n\n## Chương I. B\n\n### Điều 2. C\n\ny\n", "article-outside-chapter", 1),
    ("## Chương I. A\n\n### Điều 1. B\n\nx\n\n## Chương III. C\n\n### Điều 2. D\n\ny\n", "chapter-gap", 7),
    ("Chỉ một đoạn.\n", "regulation-empty", 1),
])
def test_each_slip_of_the_format_has_its_key_and_line(text, key, line):
    from planpub import regulation
    from planpub.diagnostics import Report

    report = Report()
    regulation.check(regulation.parse(text), Path("body.md"), report)
    assert (key, line) in [(d.key, d.line) for d in report.errors], [(d.key, d.line) for d in report.errors]


@pytest.mark.parametrize("doc_type, symbol, refused", [
    ("CTr", "CTr-UBND", False),     # ND30 Phụ lục III writes the programme's abbreviation "CTr"
    ("QYĐ", "QYĐ-UBND", False),
    ("CTr", "CTR-UBND", True),
])
def test_a_programme_or_regulation_issued_on_its_own_has_its_nd30_symbol(kinds_model, doc_type, symbol, refused):
    from planpub.check import check_document
    from planpub.diagnostics import Report

    doc = kinds_model.document(COPY).model_copy(update={"type": doc_type, "symbol": symbol})
    report = Report()
    check_document(doc, report)
    assert any(d.key == "symbol-form" for d in report.errors) == refused, [d.format() for d in report.errors]
