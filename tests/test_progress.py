"""Progress on the fictional demo commune (examples/demo): statuses derived as of several dates,
and every fault of progress.yaml reported by ``build.py check`` with file:line:column, a key and a hint.

The demo's commitments (examples/demo/minh-hoa/kh-cchc-2026/appendix-01.yaml):
pl-1 Quý I/2026 done 20/03; pl-2 Trước ngày 15/04/2026 done 20/04 (late); pl-3 Tháng 6/2026 in progress
only; pl-4 Thường xuyên reported Q1 and Q2, Q3 missing; pl-5 Tháng 9/2026 done; pl-6 Cả năm 2026 and
pl-8 Hàng năm with no entry; pl-7 Quý IV/2026 stopped.
"""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, run_build

from planpub import progress
from planpub.diagnostics import Report
from planpub.pipeline import load_and_check

DEMO = ROOT / "examples" / "demo"
PLAN = Path("minh-hoa") / "kh-cchc-2026"
DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>lỗi|cảnh báo) \[(?P<key>[a-z0-9-]+)\] "
                  r"(?P<message>.+)\n    Cách sửa: (?P<hint>.+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def demo():
    site, report = load_and_check(DEMO, ROOT, date(2026, 11, 29))
    assert not report.errors, [d.format() for d in report.errors]
    assert not report.warnings, [d.format() for d in report.warnings]
    return site.document("minh-hoa/kh-cchc-2026")


def status(doc, task_id: str, day: str) -> str:
    task = next(t for t in doc.tasks if t.id == task_id)
    return progress.task_progress(doc, task, date.fromisoformat(day)).status


@pytest.mark.parametrize("day, expected", [
    ("2026-04-14", "in_progress"),   # the day before the deadline (15/04)
    ("2026-04-15", "in_progress"),   # the day of the deadline: still in time
    ("2026-04-16", "overdue"),       # the day after: overdue, reported and not done
    ("2026-04-20", "overdue"),       # done on 20/04, but recorded on 21/04: not known yet
    ("2026-04-21", "done_late"),     # done late
    ("2026-11-29", "done_late"),
])
def test_deadline_edges_and_done_late(demo, day, expected):
    assert status(demo, "pl-2", day) == expected


@pytest.mark.parametrize("day, expected", [
    ("2026-03-19", "no_report"),     # nothing recorded yet: "no report", never "not done"
    ("2026-03-25", "done_on_time"),
    ("2026-12-31", "done_on_time"),
])
def test_done_on_time(demo, day, expected):
    assert status(demo, "pl-1", day) == expected


@pytest.mark.parametrize("day, expected", [
    ("2026-06-29", "in_progress"), ("2026-06-30", "in_progress"), ("2026-07-01", "overdue"),
])
def test_in_progress_then_overdue(demo, day, expected):
    assert status(demo, "pl-3", day) == expected


def test_ongoing_commitment_with_one_quarter_missing(demo):
    task = next(t for t in demo.tasks if t.id == "pl-4")
    # Q1 and Q2 reported; Q3 closes on 30/09, its last day
    assert status(demo, "pl-4", "2026-09-29") == "in_progress"
    tp = progress.task_progress(demo, task, date(2026, 9, 30))
    assert tp.status == "no_report"  # never "overdue": ongoing is only reported or not
    assert [(o.occurrence.key, o.status) for o in tp.occurrences] == [
        ("2026-Q1", "in_progress"), ("2026-Q2", "in_progress"), ("2026-Q3", "no_report")]
    assert all(progress.task_progress(demo, task, date(2026, m, 28)).status != "overdue" for m in range(1, 13))


def test_no_entry_is_no_report_even_after_the_deadline(demo):
    for day in ("2026-06-01", "2026-12-31", "2027-06-01"):
        assert status(demo, "pl-6", day) == "no_report"
        assert status(demo, "pl-8", day) == "no_report"


def test_stopped_with_its_reason(demo):
    assert status(demo, "pl-7", "2026-10-09") == "no_report"
    task = next(t for t in demo.tasks if t.id == "pl-7")
    tp = progress.task_progress(demo, task, date(2026, 10, 10))
    assert tp.status == "stopped" and tp.latest.reason.startswith("Chờ dự án")


def test_counts_as_of_a_date(demo):
    rows = [progress.task_progress(demo, t, date(2026, 11, 29)) for t in demo.tasks]
    assert progress.counts(rows) == {"overdue": 1, "no_report": 3, "stopped": 1, "in_progress": 0,
                                     "done_late": 1, "done_on_time": 2}
    assert max(r.last_updated for r in rows if r.last_updated) == date(2026, 10, 10)


def test_periods():
    assert progress.parse_period("2026-Q1").end == date(2026, 3, 31)
    assert progress.parse_period("2026-H1").end == date(2026, 6, 30)
    assert progress.parse_period("2026").words == "năm 2026"
    assert progress.parse_period("2026-Q3").words == "quý III năm 2026"
    with pytest.raises(ValueError):
        progress.parse_period("2026-Q5")


# --- the checker ------------------------------------------------------------------------------

@pytest.fixture
def demo_copy(tmp_path) -> Path:
    dest = tmp_path / "demo"
    shutil.copytree(DEMO, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _check(content: Path, *options: str) -> tuple[int, list[dict]]:
    proc = run_build("check", "--content", str(content), *options)
    assert "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr, proc.stderr
    return proc.returncode, [m.groupdict() for m in DIAG.finditer(proc.stderr)]


CASES = [  # (old text in progress.yaml, new text, key, line offset of the reported key from the edit)
    ("  - task: pl-5\n", "  - task: pl-55\n", "progress-unknown-task", 0),
    ("    date: 2026-03-25\n", "    date: 2025-12-25\n", "progress-before-plan", 0),
    ("    date: 2026-09-18\n", "    date: 2026-12-18\n", "progress-in-future", 0),
    ("        file: danh-sach-tthc.csv\n", "        file: khong-co.csv\n", "evidence-missing", 0),
    ("    reason: Chờ dự án chung của tỉnh trang bị hạ tầng mạng cho cấp xã.\n", "", "progress-reason-missing", -2),
    ("    done_on: 2026-09-15\n", "", "progress-done-date-missing", -1),
    ("    value_text: 48%\n", "    value_text: 48 hồ sơ\n", "actual-unit", 0),
    ("    period: 2026-Q2\n    date: 2026-06-26\n", "    period: 2027-Q2\n    date: 2026-06-26\n",
     "progress-period-unknown", 0),
    ("  - target: ct-2\n", "  - target: ct-9\n", "actual-unknown-target", 0),
]


@pytest.mark.parametrize("old, new, key, offset", CASES, ids=[c[2] for c in CASES])
def test_progress_faults_are_checker_errors(demo_copy, old, new, key, offset):
    path = demo_copy / PLAN / "progress.yaml"
    line = _edit(path, old, new)
    code, diags = _check(demo_copy, "--as-of", "2026-11-29")
    assert code == 1
    found = [d for d in diags if d["key"] == key]
    assert found, diags
    d = found[0]
    assert d["file"].endswith("progress.yaml") and d["severity"] == "lỗi"
    assert int(d["line"]) == line + offset and int(d["column"]) >= 1
    assert re.search(r"[ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôốồộổỗơớờợởỡưứừựửữ]", d["message"], re.IGNORECASE)
    assert d["hint"]


def test_done_twice(demo_copy):
    path = demo_copy / PLAN / "progress.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("actuals:\n", "  - task: pl-1\n    date: 2026-04-02\n    state: done\n"
                                               "    done_on: 2026-04-01\n    note: Ghi lại lần nữa.\nactuals:\n"),
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  - task: pl-1", 40) + 1
    code, diags = _check(demo_copy, "--as-of", "2026-11-29")
    assert code == 1
    twice = [d for d in diags if d["key"] == "progress-done-twice"]
    assert twice and int(twice[0]["line"]) == line + 2 and "dòng 5" in twice[0]["message"]


def test_progress_only_in_plans_and_no_status_field(demo_copy):
    path = demo_copy / PLAN / "progress.yaml"
    _edit(path, "    state: stopped\n", "    state: stopped\n    status: overdue\n")
    code, diags = _check(demo_copy, "--as-of", "2026-11-29")
    assert code == 1 and any(d["key"] == "unknown-field" for d in diags)  # a status is derived, never typed


def test_real_communes_have_no_progress():
    for path in (ROOT / "content").rglob("*"):
        assert path.name != progress.PROGRESS_FILE, f"{path}: the communes in content/ are real; no invented progress"
    site, report = load_and_check(ROOT / "content", ROOT, date(2026, 11, 29))
    assert not any(d.progress or d.actuals for d in site.documents)
    assert not any(c.example for c in site.communes)
    assert isinstance(report, Report)


# --- speed: a progress entry renders again only what shows it ----------------------------------

def test_a_progress_entry_changes_neither_the_plan_html_nor_its_pdf(demo_copy):
    from planpub.pdf.render import document_html

    def plan_html():
        site, report = load_and_check(demo_copy, ROOT, date(2026, 11, 29))
        assert not report.errors
        return document_html(site.document("minh-hoa/kh-cchc-2026"), site)

    before = plan_html()
    path = demo_copy / PLAN / "progress.yaml"
    _edit(path, "actuals:\n", "  - task: pl-6\n    date: 2026-11-20\n    state: in_progress\n    note: Mới.\nactuals:\n")
    assert plan_html() == before  # the PDF cache key: the plan's PDF is not rendered again


def test_a_progress_entry_rebuilds_only_the_pages_that_show_a_status(demo_copy, tmp_path):
    import hashlib

    site = tmp_path / "site"
    cache = ROOT / ".cache" / "pdf"

    def build():
        proc = run_build("--content", str(demo_copy), "--site", str(site), "--as-of", "2026-11-29")
        assert proc.returncode == 0, proc.stderr
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in site.rglob("*") if p.is_file()}

    before = build()
    cached = set(cache.iterdir()) if cache.is_dir() else set()
    _edit(demo_copy / PLAN / "progress.yaml", "actuals:\n",
          "  - task: pl-6\n    date: 2026-11-20\n    state: in_progress\n    note: Mới.\nactuals:\n")
    after = build()
    assert (set(cache.iterdir()) if cache.is_dir() else set()) == cached, "no PDF rendered again"
    changed = sorted(p for p in after if before.get(p) != after[p])
    assert "pdf/minh-hoa/kh-cchc-2026.pdf" not in changed and "pdf/minh-hoa/bc-kh-cchc-2026-2026-q3.pdf" not in changed
    assert "xa/minh-hoa/kh-cchc-2026/nhiem-vu/pl-6/index.html" in changed and "data/progress.csv" in changed
    # the sitemap lists the new status facet page (a commitment is now "in progress"): nothing else
    changed = [p for p in changed if p != "so-do-trang/index.html" or "tinh-trang/in_progress" in
               (site / p).read_text(encoding="utf-8")]
    for page in changed:
        if page.endswith(".html") and page != "so-do-trang/index.html":
            text = (site / page).read_text(encoding="utf-8")
            assert "pp-status" in text or "Cập nhật lần cuối" in text, page
    unchanged = [p for p in after if p.endswith(".html") and before.get(p) == after[p]]
    assert "van-ban/index.html" in unchanged and "xa/minh-hoa/bc-kh-cchc-2026-2026-q3/index.html" in unchanged
