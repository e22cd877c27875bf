"""Appendix tables of any shape (issue 13 items 7 and 10): each shape one unit registered once
(planpub/appendices/), a general table whose columns the file declares, a budget table whose totals
the checker adds up, and tables that cross pages without a lone row or an open merged cell.

The fixture is the fictional commune tests/fixtures/kinds/binh-an (``example: true``): kh-cds-2026
(a general table with a "Ghi chú" column, rows 1.1 and 1.2, two levels of group rows and merged
cells; a budget table) and kh-so-hoa-2026 (a long general table with a merged cell taller than a page).
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import typing
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from pdf_helpers import is_bold, is_italic, is_landscape, open_pdf

BINH_AN = Path(__file__).parent / "fixtures" / "kinds" / "binh-an"
AS_OF = "2026-11-23"
PLAN = "binh-an/kh-cds-2026"
LONG = "binh-an/kh-so-hoa-2026"


@pytest.fixture(scope="module")
def shapes_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("shapes")
    content = base / "content"
    shutil.copytree(BINH_AN, content / "binh-an")
    site = base / "site"
    proc = run_build("--content", str(content), "--site", str(site), "--as-of", AS_OF, "-q")
    assert proc.returncode == 0, proc.stderr
    return site


def _pdf(site: Path, doc: str):
    return open_pdf(str(site / "pdf" / f"{doc}.pdf"))


def _appendix_pages(pdf, label: str) -> list:
    """The landscape pages of one appendix: from the page that prints its label to the next label."""
    pages, inside = [], False
    for page in pdf.pages:
        if not is_landscape(page):
            continue
        lines = [ln["text"] for ln in page.extract_text_lines()]
        if any(re.fullmatch(r"Phụ lục( [IVX]+)?", t) for t in lines):
            inside = label in lines
        if inside:
            pages.append(page)
    assert pages, f"no page of {label}"
    return pages


def _line(lines: list[dict], pattern: str) -> dict:
    found = [ln for ln in lines if re.search(pattern, ln["text"])]
    assert found, f"no line matching {pattern!r}: {[ln['text'] for ln in lines]}"
    return found[0]


def _header_x(page, text: str) -> tuple[float, float]:
    """The x range of the column whose header cell holds ``text`` (between the vertical lines around it)."""
    word = next(w for w in page.extract_words() if w["text"] == text.split()[0] and w["top"] < page.height / 2)
    xs = sorted({round(ln["x0"], 1) for ln in page.lines if ln["width"] == 0})
    left = max(x for x in xs if x <= word["x0"] + 0.5)
    right = min(x for x in xs if x >= word["x1"] - 0.5)
    return left, right


# --- one unit per shape, registered once --------------------------------------------------------

def test_each_shape_is_one_module_registered_once_and_it_drives_the_union_the_hints_and_templates():
    from planpub import appendices, load, model

    shapes = appendices.shapes()
    assert set(shapes) == {"task_table", "framework", "indicator_matrix", "plain_table", "general_table",
                           "budget_table"}
    union = typing.get_args(typing.get_args(model.AppendixContent)[0])
    assert sorted(m.__name__ for m in union) == sorted(s.model.__name__ for s in shapes.values()), \
        "the model's union is the registry's models, each once"
    for name, shape in shapes.items():
        assert typing.get_args(shape.model.model_fields["shape"].annotation) == (name,)
        assert shape.model.__module__ == f"planpub.appendices.{name}", "model and shape in one module"
        assert (ROOT / "templates" / "pdf" / shape.pdf_template).is_file()
        assert (ROOT / "templates" / "website" / "pages" / shape.page_template).is_file()
    # no template without its shape: a shape is its module and its two templates
    for folder, suffix in ((ROOT / "templates" / "pdf" / "appendix", ".html.j2"),
                           (ROOT / "templates" / "website" / "pages" / "appendix", ".md.j2")):
        assert {p.name.removesuffix(suffix) for p in folder.iterdir()} == set(shapes)
    # the loader's "did you mean" reads the shape's model from the registry
    known = load._known_fields_at(model.Document, ("appendices", 0, "content", "general_table", "rows", 0))
    assert {"group", "subgroup", "number", "content", "lead", "deadline", "rowspan", "colspan"} <= set(known)
    # no module outside the package knows a shape's class: they ask the registry
    names = "|".join(s.model.__name__ for s in shapes.values())
    for path in (ROOT / "planpub").rglob("*.py"):
        if "appendices" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert not re.search(rf"\bmodel\.({names})\b|\bimport .*\b({names})\b", text), path


def test_a_shape_name_cannot_be_registered_twice(monkeypatch):
    from planpub import appendices

    appendices.shapes()
    monkeypatch.setitem(appendices._MODULES, "general_table", "planpub.appendices.another_module")
    with pytest.raises(ValueError, match="general_table"):
        appendices._discover()


def test_an_unknown_shape_is_refused_with_every_shape_named(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BINH_AN, content / "binh-an")
    (content / "binh-an" / "kh-so-hoa-2026" / "appendix-01.yaml").write_text(
        "shape: bang_tu_do\nrows: []\n", encoding="utf-8")
    proc = run_build("--content", str(content), "check")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert re.search(r"kh-so-hoa-2026/appendix-01\.yaml:1:\d+: lỗi \[invalid-shape\]", out), out
    for name in ("task_table", "framework", "indicator_matrix", "plain_table", "general_table", "budget_table"):
        assert f"`shape: {name}`" in out


# --- the general table ---------------------------------------------------------------------------

def test_the_general_table_prints_its_own_columns_sub_numbered_rows_groups_and_merged_cells(shapes_site):
    page = _appendix_pages(_pdf(shapes_site, PLAN), "Phụ lục I")[0]
    lines = page.extract_text_lines()
    header = _line(lines, r"^STT Nội dung công việc")
    assert header["text"].endswith("Ghi chú")
    first = _line(lines, r"^1\.1 Rà soát đường truyền")
    assert first["text"].endswith("Báo cáo kết quả bằng")  # the note, in the Ghi chú column (wrapped)
    assert _line(lines, r"^1\.2 Thay thế máy tính")
    note_x = _header_x(page, "Ghi")
    note = next(w for w in page.extract_words() if w["text"] == "Báo" and abs(w["top"] - first["top"]) < 3)
    assert note_x[0] <= note["x0"] < note_x[1]
    # two levels of group rows: "I Hạ tầng số" bold, "1 Mạng và thiết bị" bold italic
    group1 = [c for c in page.chars if c["text"] == "H" and abs(c["top"] - _line(lines, r"^I Hạ tầng số")["top"]) < 3]
    group2 = [c for c in page.chars if c["text"] == "M" and abs(c["top"] - _line(lines, r"^1 Mạng và thiết bị")["top"]) < 3]
    assert is_bold(group1[0]["fontname"]) and not is_italic(group1[0]["fontname"])
    assert is_bold(group2[0]["fontname"]) and is_italic(group2[0]["fontname"])
    # merged cells: the lead of rows 2.1 and 2.2 is printed once, with no line across it between them
    assert page.extract_text().count("Công an xã") == 1
    row21, row22 = _line(lines, r"^2\.1 "), _line(lines, r"^2\.2 ")
    lead_x = _header_x(page, "Đơn")
    between = [ln for ln in page.lines if ln["height"] == 0 and row21["bottom"] < ln["top"] < row22["top"]]
    assert between, "a line between rows 2.1 and 2.2"
    assert not any(ln["x0"] < (lead_x[0] + lead_x[1]) / 2 < ln["x1"] for ln in between), "the lead cell is merged"
    # a cell over four columns: its text runs past the lead column's left edge on one line
    wide = _line(lines, r"Các nhiệm vụ phát sinh khác do Chủ tịch UBND xã giao trong năm")
    assert wide["x1"] > lead_x[1]


def test_the_general_table_rows_are_commitments_on_the_site_and_in_open_data(shapes_site):
    html = (shapes_site / "xa" / "binh-an" / "kh-cds-2026" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col">Ghi chú</th>' in html
    row = re.search(r'<tr id="nhiem-vu-pl-i-i-1-1">(.*?)</tr>', html, re.S)
    assert row and ">1.1</a>" in row[1] and "Báo cáo kết quả bằng văn bản" in row[1]
    assert re.search(r'<tr id="nhiem-vu-pl-i-i-1-2">.*?>1\.2</a>', html, re.S)
    assert re.search(r'<td data-label="Đơn vị chủ trì" rowspan="2">', html), "the merged lead cell"
    assert "<em>1. Mạng và thiết bị</em>" in html
    # row 2.2 holds its lead and deadline through the merged cells above it: a commitment too
    task = (shapes_site / "xa" / "binh-an" / "kh-cds-2026" / "nhiem-vu" / "pl-i-i-2-2" / "index.html")
    text = re.sub(r"<[^>]+>", " ", task.read_text(encoding="utf-8"))
    assert "Làm sạch dữ liệu hộ tịch đã số hóa" in text and "Công an xã" in text and "Thường xuyên" in text
    with (shapes_site / "data" / "tasks.csv").open(encoding="utf-8-sig") as f:
        rows = {r["task_id"]: r for r in csv.DictReader(f) if r["plan_id"] == PLAN}
    assert set(rows) == {"pl-i-i-1-1", "pl-i-i-1-2", "pl-i-i-2-1", "pl-i-i-2-2", "pl-i-ii-1", "pl-i-ii-2"}, \
        "every row with content, lead and deadline, and nothing else (the row with no lead is not one)"
    assert rows["pl-i-i-2-2"]["deadline_text"] == "Thường xuyên"
    assert rows["pl-i-i-1-1"]["source_section"] == "I.1.1"
    ics = (shapes_site / "xa" / "binh-an" / "kh-cds-2026" / "lich-binh-an-kh-cds-2026.ics").read_text(encoding="utf-8")
    assert "Rà soát đường truyền Internet" in ics.replace("\r\n ", "")


def _check(content: Path) -> str:
    proc = run_build("--content", str(content), "check")
    assert proc.returncode != 0
    return proc.stdout + proc.stderr


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def test_a_cell_outside_the_columns_and_a_cell_under_a_merged_one_are_reported_at_their_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BINH_AN, content / "binh-an")
    table = content / "binh-an" / "kh-cds-2026" / "appendix-01.yaml"
    text = table.read_text(encoding="utf-8")
    text = text.replace("    note: Theo dự toán được giao\n", "    ghi_chu: Theo dự toán được giao\n")
    text = text.replace("    support: [Phòng VH-XH]\n", "    support: [Phòng VH-XH]\n    deadline: Quý III/2026\n")
    table.write_text(text, encoding="utf-8")
    out = _check(content)
    where = "binh-an/kh-cds-2026/appendix-01.yaml"
    assert re.search(rf"{where}:{_line_of(table, 'ghi_chu:')}:\d+: lỗi \[table-column\] Ô `ghi_chu` không có trong "
                     r"`columns`", out), out
    assert re.search(rf"{where}:{_line_of(table, 'Quý III/2026')}:\d+: lỗi \[table-span\] Ô `deadline` đã được gộp",
                     out), out
    assert "Traceback" not in out


# --- the budget table ---------------------------------------------------------------------------

def test_the_budget_table_prints_amounts_the_vietnamese_way_with_its_totals(shapes_site):
    page = _appendix_pages(_pdf(shapes_site, PLAN), "Phụ lục II")[0]
    lines = page.extract_text_lines()
    assert _line(lines, r"Chia theo nguồn Chia theo năm")
    row1 = _line(lines, r"^1 Nâng cấp đường truyền")
    assert row1["text"].endswith("1.234,5 1.000 234,5 600 434,5 200")
    total = _line(lines, r"^Tổng cộng")
    assert total["text"] == "Tổng cộng 1.584,5 1.000 384,5 200 950 434,5 200"
    assert all(is_bold(c["fontname"]) for c in page.chars
               if abs(c["top"] - total["top"]) < 3 and c["text"].strip()), "the total row is bold"
    # amounts flush right in their column: the total's last digit ends where row 1's does
    ends = [max(w["x1"] for w in page.extract_words() if w["text"] == t and abs(w["top"] - ln["top"]) < 3)
            for t, ln in (("1.234,5", row1), ("1.584,5", total))]
    assert abs(ends[0] - ends[1]) < 1
    html = (shapes_site / "xa" / "binh-an" / "kh-cds-2026" / "index.html").read_text(encoding="utf-8")
    assert "<strong>1.584,5</strong>" in html and ">234,5<" in html
    plans = json.loads((shapes_site / "data" / "plans.json").read_text(encoding="utf-8"))
    doc = next(d for d in plans["documents"] if d["id"] == PLAN)
    budget = next(a["content"] for a in doc["appendices"] if a["id"] == "pl-ii")
    assert budget["total_row"]["total"] == 1584.5 and budget["rows"][0]["by_source"] == {"tinh": 1000, "xa": 234.5}
    assert budget["rows"][0]["by_year"] == {"2026": 600, "2027": 434.5, "2028": 200}
    schema = json.loads((shapes_site / "data" / "schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["BudgetRow"]["properties"]["total"]["anyOf"][0]["type"] == "number"


def test_a_wrong_total_is_reported_at_its_line_with_the_stated_and_the_expected_amount(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BINH_AN, content / "binh-an")
    budget = content / "binh-an" / "kh-cds-2026" / "appendix-02.yaml"
    text = budget.read_text(encoding="utf-8")
    text = text.replace('  total: "1.584,5"', '  total: "1.594,5"')  # the total row
    text = text.replace("    total: 350\n", "    total: 305\n")       # row 2
    budget.write_text(text, encoding="utf-8")
    out = _check(content)
    where = "binh-an/kh-cds-2026/appendix-02.yaml"
    assert re.search(rf"{where}:{_line_of(budget, '1.594,5')}:\d+: lỗi \[budget-total\] Dòng Tổng cộng: tổng kinh phí "
                     r"ghi 1\.594,5 triệu đồng, nhưng cộng các dòng được 1\.539,5 triệu đồng\.", out), out
    assert re.search(rf"{where}:{_line_of(budget, 'total: 305')}:\d+: lỗi \[budget-total\] Dòng 2: tổng kinh phí ghi "
                     r"305 triệu đồng, nhưng cộng các nguồn được 350 triệu đồng\.", out), out
    assert "Cách sửa:" in out and "Traceback" not in out


def test_an_amount_that_is_not_a_number_is_reported(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BINH_AN, content / "binh-an")
    budget = content / "binh-an" / "kh-cds-2026" / "appendix-02.yaml"
    budget.write_text(budget.read_text(encoding="utf-8").replace("total: 350", 'total: "ba trăm"'), encoding="utf-8")
    out = _check(content)
    assert re.search(rf"appendix-02\.yaml:{_line_of(budget, 'ba trăm')}:\d+: lỗi \[amount-form\] Số tiền “ba trăm”",
                     out), out


# --- tables across pages (item 10) --------------------------------------------------------------

def _rows_per_page(pages, number: str = "STT") -> list[list[str]]:
    """The rows each page holds, by what the number column prints (numbers and group labels)."""
    found = []
    for page in pages:
        left, right = _header_x(page, number)
        header_bottom = max(w["bottom"] for w in page.extract_words() if w["text"] == number)
        found.append([w["text"] for w in page.extract_words()
                      if left <= w["x0"] and w["x1"] <= right and w["top"] > header_bottom
                      and re.fullmatch(r"\d+(\.\d+)*|[IVX]+", w["text"])])
    return found


def test_no_appendix_page_holds_a_lone_row(shapes_site):
    pages = _appendix_pages(_pdf(shapes_site, LONG), "Phụ lục")
    rows = _rows_per_page(pages)
    assert len(pages) >= 3, "the table crosses pages"
    assert [r for page in rows for r in page] == ["1", *(f"1.{i}" for i in range(1, 11)), "2",
                                                 *(f"2.{i}" for i in range(1, 14))]
    assert all(len(r) >= 2 for r in rows), rows
    # the same on the short tables of the other plan
    for label, number in (("Phụ lục I", "STT"), ("Phụ lục II", "TT")):
        assert all(len(r) >= 2 for r in _rows_per_page(_appendix_pages(_pdf(shapes_site, PLAN), label), number))


def _open_stretches(page) -> list[tuple[str, tuple[float, float]]]:
    """Where the table's bottom line on this page, or the line under its header, has a gap."""
    verticals = [ln for ln in page.lines if ln["width"] == 0]
    horizontals = [ln for ln in page.lines if ln["height"] == 0]
    left, right = min(ln["x0"] for ln in verticals), max(ln["x0"] for ln in verticals)
    ys = sorted({round(ln["top"], 1) for ln in horizontals})
    gaps = []
    for y, where in ((ys[-1], "bottom"), (ys[1], "top")):
        reach = left
        for x0, x1 in sorted((ln["x0"], ln["x1"]) for ln in horizontals if abs(ln["top"] - y) < 1):
            if x0 > reach + 1:
                gaps.append((where, (reach, x0)))
            reach = max(reach, x1)
        if reach < right - 1:
            gaps.append((where, (reach, right)))
    return gaps


def test_a_merged_cell_crossing_a_page_has_its_borders_closed_on_both_pages(shapes_site):
    pages = _appendix_pages(_pdf(shapes_site, LONG), "Phụ lục")
    rows = _rows_per_page(pages)
    first = next(i for i, r in enumerate(rows) if "2.1" in r)
    last = next(i for i, r in enumerate(rows) if "2.13" in r)
    assert last > first, "the merged lead cell of rows 2.1 … 2.13 crosses a page"
    for page in pages[first:last + 1]:
        assert not _open_stretches(page), f"page {page.page_number}: the table is open at {_open_stretches(page)}"
        # the merged cell's own column is closed at the page bottom, and its side lines reach it
        lead = _header_x(page, "Đơn")
        horizontals = [ln for ln in page.lines if ln["height"] == 0]
        bottom = max(ln["top"] for ln in horizontals)
        assert any(ln["x0"] <= lead[0] + 1 and ln["x1"] >= lead[1] - 1 for ln in horizontals
                   if abs(ln["top"] - bottom) < 1)
        assert max(ln["bottom"] for ln in page.lines if ln["width"] == 0 and abs(ln["x0"] - lead[0]) < 1) >= bottom - 1


def test_every_appendix_page_of_the_bundled_plans_is_closed_at_its_bottom(built_site):
    """Lùng Phình's Phụ lục I has an objective whose merged cells cross a page (its 2nd page)."""
    checked = 0
    for pdf_path in sorted((built_site / "pdf").rglob("*.pdf")):
        for page in open_pdf(str(pdf_path)).pages:
            if is_landscape(page) and any(ln["width"] == 0 for ln in page.lines):
                assert not _open_stretches(page), (pdf_path.name, page.page_number, _open_stretches(page))
                checked += 1
    assert checked >= 25
