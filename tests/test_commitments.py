"""Commitments written in the text of a plan (commitments.yaml), not in an appendix table.

Tuệ Tĩnh's plan (seed 003) states its commitments in prose: section II lists the focus tasks of
six reform areas as points a), b), c) …, and section V ("Tổ chức thực hiện") gives named agencies
their duties. The expected commitments are read from body.md here, independently of the content
file, and compared with what the loader, the checker, the built pages and the open data give.
"""
from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT
from test_check import check, diag, diags, line_of, replace

from planpub.diagnostics import Report
from planpub.load import load_content

TUE_TINH = "tue-tinh/kh-cchc-2026-2030"
PLAN_DIR = Path("tue-tinh") / "kh-cchc-2026-2030"
BODY = (CONTENT / PLAN_DIR / "body.md").read_text(encoding="utf-8")
# section V's sentence that gives each area of section II its lead: the area's words as V writes them
CHAIRS = {"1": "các nhiệm vụ về cải cách thể chế", "2": "các nhiệm vụ về cải cách thủ tục hành chính",
          "3": "cải cách tổ chức bộ máy hành chính nhà nước", "4": "cải cách chế độ công vụ",
          "5": "các nhiệm vụ về cải cách tài chính công", "6": "xây dựng chính quyền điện tử, chính quyền số"}


def words(text: str) -> str:
    return " ".join(text.split())


def section(roman: str) -> list[str]:
    """The non-empty lines of a top-level section of body.md."""
    lines = BODY.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"## {roman}. "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [ln.strip() for ln in lines[start + 1:end] if ln.strip()]


def items(roman: str) -> dict[str, list[str]]:
    """Item number → its lines (heading first), for the items ``1.`` … of a section."""
    out: dict[str, list[str]] = {}
    current = None
    for ln in section(roman):
        m = re.match(r"^(?:### )?(\d+)\. ", ln)
        if m:
            current = m[1]
            out[current] = []
        if current is not None:
            out[current].append(ln)
    return out


def expected_points() -> dict[str, str]:
    """``II.1.a`` → the point's text, for every point of section II."""
    out = {}
    for number, lines in items("II").items():
        for ln in lines:
            m = re.match(r"^([a-zđ])\) (.*)$", ln)
            if m:
                out[f"II.{number}.{m[1]}"] = m[2]
    return out


def expected_duties() -> list[tuple[str, str]]:
    """(``V.n``, text) for every duty bullet of section V (``- …``; V.3 is two paragraphs, V.7 one)."""
    out = []
    for number, lines in items("V").items():
        bullets = [ln[2:] for ln in lines if ln.startswith("- ")]
        if not bullets:  # an item written as paragraphs: the heading's own text after ":", or each paragraph
            head, rest = lines[0], lines[1:]
            bullets = rest if head.startswith("### ") else [head.split(": ", 1)[1]]
        out.extend((f"V.{number}", b) for b in bullets)
    return out


@pytest.fixture(scope="module")
def plan():
    report = Report(root=ROOT)
    site = load_content(CONTENT, report)
    assert not report.errors, [d.format() for d in report.errors]
    return site.document(TUE_TINH), site.commune("tue-tinh")


# --- the content --------------------------------------------------------------------------------

def test_tue_tinh_has_one_commitment_per_point_of_section_ii_and_per_duty_of_section_v(plan):
    doc, _ = plan
    points, duties = expected_points(), expected_duties()
    assert len(points) >= 20 and len(duties) >= 10  # the reading of body.md above found them
    assert len(doc.tasks) == len(points) + len(duties)
    assert all(t.appendix is None for t in doc.tasks)
    got_points = {t.source_section: words(t.content) for t in doc.tasks if t.source_section.startswith("II.")}
    assert got_points == {k: words(v) for k, v in points.items()}
    got_duties = [(t.source_section, words(t.content)) for t in doc.tasks if t.source_section.startswith("V.")]
    assert got_duties == [(s, words(v)) for s, v in duties]


def test_each_commitment_has_a_lead_as_the_source_names_it_and_text_verbatim_from_the_body(plan):
    doc, commune = plan
    names = {a.id: {a.name.lower(), *(x.lower() for x in a.aliases)} for a in commune.agencies}
    v_items = items("V")
    body = words(BODY)
    for t in doc.tasks:
        assert t.lead and t.source_section, t.id
        for line in [t.content, *(t.summary or "").splitlines()]:
            assert words(line) in body, (t.id, line)
        for ref in t.lead:
            assert ref.text.lower() in names[ref.agency], (t.id, ref)
        if t.source_section.startswith("II."):
            # section II names no agency: the lead is the one section V makes chair of the area
            area_item = t.source_section.split(".")[1]
            assert t.lead_section and t.lead_section.startswith("V."), t.id
            text = words(" ".join(v_items[t.lead_section.split(".")[1]]))
            assert "Chủ trì" in text and CHAIRS[area_item] in text, (t.id, t.lead_section)
            lead_heading = v_items[t.lead_section.split(".")[1]][0]
            assert [r.text for r in t.lead] == [lead_heading.removeprefix("### ").split(". ", 1)[1]], t.id
        else:  # a duty of section V: the agency its item names
            heading = v_items[t.source_section.split(".")[1]][0]
            assert all(r.text in heading for r in t.lead), (t.id, heading)


def test_a_deadline_only_where_the_source_states_one(plan):
    doc, _ = plan
    with_deadline = [t for t in doc.tasks if t.deadline is not None]
    assert {t.deadline.text for t in with_deadline} == {"trong tháng 4/2026", "vào năm 2030", "hàng năm"}
    for t in doc.tasks:
        if t.deadline is None:
            assert t.deadline_in_source is False, t.id
        else:  # the words of the deadline are in the commitment's own sentence
            assert t.deadline.text in t.content + (t.summary or ""), t.id
            assert t.deadline.kind != "unknown", t.id


# --- the checker --------------------------------------------------------------------------------

def test_bundled_plans_all_have_commitments():
    proc = check(CONTENT)
    assert diags(proc, key="no-commitments") == []
    assert diags(proc, key="commitment-not-in-body") == []
    assert [d for d in diags(proc, key="deadline-missing") if "tue-tinh" in d[0]] == []


def test_a_plan_without_commitments_is_a_warning(content_copy):
    (content_copy / PLAN_DIR / "commitments.yaml").unlink()
    proc = check(content_copy)
    message, hint = diag(proc, content_copy / PLAN_DIR / "document.yaml", 1, 1, "warning", "no-commitments")
    assert "0 nhiệm vụ" in message and "commitments.yaml" in hint and "commitments: []" in hint
    assert diags(proc, key="no-commitments") == [(str(content_copy / PLAN_DIR / "document.yaml"), 1, 1,
                                                  "cảnh báo", "no-commitments")]


def test_a_plan_whose_source_has_no_commitment_says_so(content_copy):
    (content_copy / PLAN_DIR / "commitments.yaml").write_text("commitments: []\n", encoding="utf-8")
    proc = check(content_copy)
    assert diags(proc, key="no-commitments") == []


def test_deadline_missing_is_silent_only_where_the_content_says_the_source_has_none(content_copy):
    path = content_copy / PLAN_DIR / "commitments.yaml"
    line = line_of(path, r"^  - id: ii-1-a")
    replace(path, "    deadline_in_source: false\n", "")  # the first one: ii-1-a
    proc = check(content_copy)
    _, hint = diag(proc, path, line, None, "warning", "deadline-missing")
    assert "deadline_in_source: false" in hint
    assert len([d for d in diags(proc, key="deadline-missing") if d[0] == str(path)]) == 1


def test_a_deadline_together_with_deadline_in_source_false_is_an_error(content_copy):
    path = content_copy / PLAN_DIR / "commitments.yaml"
    replace(path, "    deadline_in_source: false\n", "    deadline: Quý I/2026\n    deadline_in_source: false\n")
    proc = check(content_copy)
    assert proc.returncode == 1
    line = line_of(path, r"^    deadline_in_source: false")
    message, hint = diag(proc, path, line, 5, "error", "deadline-contradiction")
    assert "Quý I/2026" in message and "deadline_in_source" in hint


def test_a_commitment_not_verbatim_from_the_body_is_a_warning(content_copy):
    path = content_copy / PLAN_DIR / "commitments.yaml"
    replace(path, "Xây dựng, hoàn thiện hệ thống văn bản quy phạm pháp luật, thúc đẩy",
            "Xây dựng, hoàn thiện văn bản quy phạm pháp luật, thúc đẩy")
    proc = check(content_copy)
    message, hint = diag(proc, path, line_of(path, r"^    content: .Xây dựng, hoàn thiện văn bản"), 5, "warning",
                         "commitment-not-in-body")
    assert "body.md" in message and "nguyên văn" in hint


# --- the built site and open data ----------------------------------------------------------------

class _Rows(HTMLParser):
    """The rows of one table (by id): each row's cells' text and links."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag == "td":
            self.cell = {"text": "", "links": []}
            self.rows[-1].append(self.cell)
        elif self.cell is not None and tag == "a":
            self.cell["links"].append(a.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "table" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def table_rows(html: str, table_id: str) -> list[list[dict]]:
    parser = _Rows(table_id)
    parser.feed(html)
    return [r for r in parser.rows if r]


def test_tue_tinh_plan_page_lists_its_commitments_and_agencies(built_site, plan):
    doc, _ = plan
    html = (built_site / "xa" / TUE_TINH / "index.html").read_text(encoding="utf-8")
    assert f"{len(doc.tasks)} nhiệm vụ" in html and "0 nhiệm vụ" not in html
    rows = table_rows(html, "nhiem-vu-noi-dung")
    assert len(rows) == len(doc.tasks)
    for row, t in zip(rows, doc.tasks):
        section_cell, content_cell, lead_cell = row[0], row[1], row[2]
        assert words(section_cell["text"]) == t.source_section
        assert content_cell["links"] == [f"nhiem-vu/{t.id}/index.html"]
        assert lead_cell["links"] == [f"../co-quan/{r.agency}/index.html" for r in t.lead]
        for r in t.lead:
            assert r.text in lead_cell["text"]
    # the agencies of the plan, each with a page that lists what it leads
    leads = {r.agency for t in doc.tasks for r in t.lead}
    assert len(leads) >= 7
    section = html[html.index('id="co-quan"'):]
    for agency in leads:
        assert f"co-quan/{agency}/" in section, agency
        page = (built_site / "xa" / "tue-tinh" / "co-quan" / agency / "index.html").read_text(encoding="utf-8")
        for t in doc.tasks:
            if agency in {r.agency for r in t.lead}:
                assert f"nhiem-vu/{t.id}/" in page, (agency, t.id)


def test_commitment_page_and_open_data_show_where_it_comes_from(built_site, plan):
    doc, _ = plan
    with (built_site / "data" / "tasks.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = {r["task_id"]: r for r in csv.DictReader(f) if r["plan_id"] == TUE_TINH}
    assert set(rows) == {t.id for t in doc.tasks}
    for t in doc.tasks:
        row = rows[t.id]
        assert row["source_section"] == t.source_section and row["lead_section"] == (t.lead_section or "")
        assert row["deadline_in_source"] == ("false" if t.deadline is None else "")
        page = (built_site / "xa" / TUE_TINH / "nhiem-vu" / t.id / "index.html").read_text(encoding="utf-8")
        assert f'data-field="source_section">{t.source_section}<' in page, t.id
        if t.deadline is None:
            assert 'data-field="deadline_in_source">Văn bản gốc không ghi thời hạn' in page, t.id
