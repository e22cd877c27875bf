"""The official PDFs, read back with pdfplumber and pdffonts from a site built by the real command
(`python build.py --site TMP --as-of 2026-11-23`), measured against ../shared/ND30.md.

Expected texts come from the same content, loaded through the real loader."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest

from conftest import CONTENT, DEMO, DEMO_AS_OF, ROOT
from layout import (EPS, TEXT_LEFT, TEXT_RIGHT, TEXT_WIDTH, TOP_MIN, body_segments, check_body,
                    check_bases_sections_and_end_mark, check_fonts, check_header, check_margins, check_page_numbers,
                    check_page_one_header, check_signature_and_recipients, closing_top, section_starts)
from pdf_helpers import (MM, find, fontconfig_without, is_landscape, norm, open_pdf, rule_under, segments, squash,
                         table_cells, text_without_page_numbers, top_margin_chars)

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
    check_fonts((demo_site if doc_id == REPORT else built_site) / LAYOUT[doc_id], pdf_of(doc_id))


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

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_page_one_header(pdf_of, site_model, doc_id):
    check_page_one_header(pdf_of(doc_id), site_model.document(doc_id))


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

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_portrait_pages_keep_the_margins(pdf_of, doc_id):
    check_margins(pdf_of(doc_id))


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_body_size_justification_indent_spacing(pdf_of, doc_id):
    check_body(pdf_of(doc_id))


@pytest.mark.parametrize("doc_id", LAYOUT)
def test_legal_bases_sections_and_end_mark(pdf_of, site_model, doc_id):
    docs = [site_model.document(doc_id)]
    if doc_id == DECISION:
        docs.append(site_model.document(ATTACHED))
    check_bases_sections_and_end_mark(pdf_of(doc_id), docs)


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
    check_signature_and_recipients(pdf_of(doc_id), site_model.document(doc_id))


# --- page numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", LAYOUT)
def test_page_numbers(pdf_of, doc_id):
    check_page_numbers(pdf_of(doc_id))


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
