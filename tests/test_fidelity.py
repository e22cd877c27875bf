"""The bundled content says what its source says: scopes of lead agencies, separators inside table
cells, the appendices' reference lines, names spelled as in commune.yaml. Each case compares the
seed text (tests/fixtures/seeds) with the content, the built PDF, the pages and the open data."""
from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from conftest import CONTENT, ROOT
from pdf_helpers import table_cells
from test_check import SEEDS, check, diag, diags, line_of, replace

from planpub import model
from planpub.diagnostics import Report
from planpub.load import load_content

LUNG_PHINH = "lung-phinh/kh-cchc-cds-2025-2030"
THUONG_XUAN = "thuong-xuan/kh-cchc-2026"
THIEN_PHU = "thien-phu/kh-cchc-2026-2030"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def norm(text: str) -> str:
    """For text read from a PDF: no whitespace at all (lines wrap anywhere in a cell)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def seed(number: str) -> list[str]:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def site() -> model.Site:
    report = Report(root=ROOT)
    loaded = load_content(CONTENT, report)
    assert not report.errors, [d.format() for d in report.errors]
    return loaded


def pdf_text(built_site: Path, doc_id: str) -> str:
    with pdfplumber.open(built_site / "pdf" / f"{doc_id}.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_cells(built_site: Path, doc_id: str) -> set[str]:
    """The text of every table cell of the PDF, without whitespace."""
    with pdfplumber.open(built_site / "pdf" / f"{doc_id}.pdf") as pdf:
        return {norm(c) for c in table_cells(pdf)}


# --- (a) a lead agency with its scope (Lùng Phình, Phụ lục I, objective I.2) ---------------------

def scoped_lead_lines() -> list[str]:
    """The seed's "Chủ trì" cell that gives each agency a part: ``Agency: đối với …``."""
    return [squash(ln) for ln in seed("004") if re.match(r"^\s*[^\t:]+: đối với ", ln)]


def test_lead_agencies_keep_the_scope_the_source_gives_them(site):
    lines = scoped_lead_lines()
    assert len(lines) == 2 and lines[0].endswith(";")
    doc = site.document(LUNG_PHINH)
    (task,) = [t for t in doc.tasks if any(r.scope for r in t.lead)]
    assert [squash(r.label) for r in task.lead] == lines
    assert [r.agency for r in task.lead] == ["cac-phong-ban", "vp-hdnd-ubnd"]
    assert squash(model.agencies_text(task.lead)) == " ".join(lines)


def test_the_scopes_are_printed_in_the_pdf_cell_and_on_the_pages(built_site, site):
    lines = scoped_lead_lines()
    assert norm("".join(lines)) in pdf_cells(built_site, LUNG_PHINH)  # the "5-Chủ trì" cell, whole
    (task,) = [t for t in site.document(LUNG_PHINH).tasks if any(r.scope for r in t.lead)]
    page = (built_site / "xa" / LUNG_PHINH / "nhiem-vu" / task.id / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'data-field="lead">(.*?)</dd>', page, re.S)[1]
    assert squash(re.sub(r"<[^>]+>", "", lead)) == " ".join(lines)
    with (built_site / "data" / "tasks.csv").open(encoding="utf-8-sig", newline="") as f:
        (row,) = [r for r in csv.DictReader(f) if r["plan_id"] == LUNG_PHINH and r["task_id"] == task.id]
    assert squash(row["lead"]) == " ".join(lines) and row["lead_ids"] == "cac-phong-ban;vp-hdnd-ubnd"


def test_a_scoped_agency_is_checked_like_any_other(content_copy):
    path = content_copy / LUNG_PHINH / "appendix-01.yaml"
    replace(path, '{agency: Văn phòng HĐND-UBND, scope:', '{agency: Văn phòng HĐND-UBNDD, scope:')
    replace(path, '{agency: "Các phòng, ban", scope:', '{agency: "Các phòng, ban", scop:')
    proc = check(content_copy)
    assert proc.returncode == 1
    line = line_of(path, r"scop: ")
    message, _ = diag(proc, path, line, None, "error", "agency-form")
    assert "scope" in message
    message, hint = diag(proc, path, line + 1, None, "error", "unknown-agency")
    assert "Văn phòng HĐND-UBNDD" in message and "Văn phòng HĐND-UBND" in hint


# --- (b) the appendices' reference lines (Lùng Phình) -------------------------------------------

def test_each_reference_line_is_the_sources_or_a_recorded_correction(built_site, site):
    """The PDF prints "(Kèm theo …)" under each appendix from the document's number, date and
    issuer; where the source's line differs, the difference is recorded under `corrections:`."""
    source = [squash(ln).replace(" )", ")") for ln in seed("004") if ln.strip().startswith("(Kèm theo Kế hoạch")]
    printed = [squash(m) for m in re.findall(r"\(Kèm theo Kế hoạch[^)]*\)", pdf_text(built_site, LUNG_PHINH))]
    assert len(source) == len(printed) == 2
    assert "của UBND xã Lùng Phình" in source[1] and "của Đảng ủy xã Lùng Phình" in printed[1]
    corrections = site.document(LUNG_PHINH).corrections
    for src, pdf in zip(source, printed):
        fixed = src
        for c in corrections:
            fixed = fixed.replace(squash(c.original), squash(c.corrected))
        assert fixed == pdf, (src, pdf)
    page = (built_site / "xa" / LUNG_PHINH / "index.html").read_text(encoding="utf-8")
    assert "của UBND xã Lùng Phình" in page.split('id="dinh-chinh"')[1]  # the page tells the reader


# --- (c) separators inside cells (Thường Xuân) ---------------------------------------------------

def thuong_xuan_rows() -> dict[tuple[int, int], list[str]]:
    """(appendix number, TT) → the row's cells as the seed prints them (a row cut by a page break joined)."""
    rows: dict[tuple[int, int], list[str]] = {}
    appendix, last = None, None
    for ln in seed("002"):
        m = re.match(r"\*\*Phụ lục số (\d+)", ln)
        if m:
            appendix = int(m[1])
        elif appendix and "\t" in ln:
            cells = [squash(re.sub(r"<[^>]+>", " ", c)) for c in ln.split("\t")]
            if cells[0].isdigit():
                last = (appendix, int(cells[0]))
                rows[last] = cells
            elif cells[0] == "" and last:
                rows[last] = [squash(f"{a} {b}") for a, b in zip(rows[last], cells)]
    return rows


def punctuation(text: str) -> list[str]:
    return re.findall(r"[;,]", text)


def test_cells_keep_the_separators_the_source_prints(site):
    rows = thuong_xuan_rows()
    doc = site.document(THUONG_XUAN)
    assert len(rows) == len(doc.tasks)
    for t in doc.tasks:
        cells = rows[(int(t.appendix.removeprefix("pl")), t.number)]
        assert punctuation(" ".join(t.deliverables)) == punctuation(cells[2]), (t.uid, cells[2])
        assert squash(model.agencies_text(t.lead)) == cells[3], t.uid
        assert squash(model.agencies_text(t.support)) == cells[4], t.uid


def test_the_pdf_prints_the_separators_inside_cells(built_site, site):
    cells = pdf_cells(built_site, THUONG_XUAN)
    doc = site.document(THUONG_XUAN)
    assert any(d.endswith(";") for t in doc.tasks for d in t.deliverables)
    for t in doc.tasks:
        assert norm("".join(f"- {d}" for d in t.deliverables)) in cells, t.uid
        if t.support:
            assert norm("".join(r.label for r in t.support)) in cells, t.uid
    rows = thuong_xuan_rows()
    assert norm(rows[(7, 4)][4]) in cells  # "Các Phòng ban chuyên môn, Trung tâm Văn hóa, TT&TT, …; các thôn …"
    assert norm(rows[(1, 1)][2]) in cells  # "- Kế hoạch; - Báo cáo rà soát"


# --- (d) names spelled as in commune.yaml --------------------------------------------------------

def test_the_sources_thien_phu_spelling_is_kept_and_warned():
    assert any("XÃ THIÊN PHỦ" in ln for ln in seed("000"))  # the source's own spelling
    path = CONTENT / THIEN_PHU / "document.yaml"
    proc = check(CONTENT)
    line = line_of(path, r"^    title: .*THIÊN PHỦ")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("THIÊN PHỦ") + 1
    message, hint = diag(proc, path.relative_to(ROOT), line, column, "warning", "name-spelling")
    assert "THIÊN PHỦ" in message and "Thiên Phú" in message and "THIÊN PHÚ" in hint
    assert len(diags(proc, key="name-spelling")) == 1


@pytest.mark.parametrize("file, old, new, written, right", [
    ("document.yaml", "header: [ỦY BAN NHÂN DÂN, XÃ TUỆ TĨNH]", "header: [ỦY BAN NHÂN DÂN, XÃ TUỆ TỈNH]",
     "TUỆ TỈNH", "TUỆ TĨNH"),
    ("document.yaml", "subject: Cải cách hành chính nhà nước trọng tâm giai đoạn 2026 – 2030 của xã Tuệ Tĩnh",
     "subject: Cải cách hành chính nhà nước trọng tâm giai đoạn 2026 – 2030 của xã Tuê Tĩnh", "Tuê Tĩnh", "Tuệ Tĩnh"),
    ("body.md", "### 4. Phòng Kinh tế", "### 4. Phòng Kinh tê", "Phòng Kinh tê", "Phòng Kinh tế"),
])
def test_a_name_spelled_otherwise_in_a_title_or_header_is_a_warning(content_copy, file, old, new, written, right):
    path = content_copy / "tue-tinh" / "kh-cchc-2026-2030" / file
    replace(path, old, new)
    proc = check(content_copy)
    line = line_of(path, re.escape(new))
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index(written) + 1
    message, hint = diag(proc, path, line, column, "warning", "name-spelling")
    assert f"“{written}”" in message and f"“{right}”" in hint


def test_the_place_of_a_tone_mark_is_not_a_misspelling(content_copy):
    path = content_copy / "tue-tinh" / "kh-cchc-2026-2030" / "body.md"
    replace(path, "### 2. Phòng Văn hóa-Xã hội", "### 2. Phòng Văn hoá-Xã hội")  # hoá = hóa
    replace(path, "### 3. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
            "### 3. Văn phòng Hội đồng nhân dân và Uỷ ban nhân dân xã")  # Uỷ = Ủy
    proc = check(content_copy)
    assert [d for d in diags(proc, key="name-spelling") if "tue-tinh" in d[0]] == []
