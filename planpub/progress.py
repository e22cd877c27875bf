"""Progress of commitments: ``progress.yaml`` read and checked, and the status as of a date derived.

A plan's folder may hold ``progress.yaml`` (see ``docs/content-format.md``): dated entries per
commitment (what was done, the state, the day it was done, evidence) and the actual values of its
targets. Nothing here is typed by the clerk as a status: :func:`task_progress` derives it from the
entries, the deadline's meaning (:mod:`planpub.deadlines`, read into ``Task.deadline``) and a date
(``--as-of``, default today):

- ``done_on_time``  hoàn thành đúng hạn: done on or before the deadline;
- ``done_late``     hoàn thành quá hạn: done after it;
- ``in_progress``   đang thực hiện trong hạn: reported, not done, the deadline not passed (the day
  of the deadline is still in time); "thường xuyên" reported for the period;
- ``overdue``       quá hạn chưa hoàn thành: reported, not done, the deadline passed;
- ``stopped``       dừng thực hiện: the last entry says so, with its reason;
- ``no_report``     chưa có báo cáo: no entry (never "not done": nobody said so).

A recurring commitment ("hằng năm") has one occurrence per year of the plan, "thường xuyên" one
per quarter (it is reported every quarter and never overdue); the commitment's status is the worst
of its occurrences that are reported or whose period has come to its last day.
"""
from __future__ import annotations

import calendar
import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import model
from .diagnostics import Report

PROGRESS_FILE = "progress.yaml"
EVIDENCE_FOLDER = "minh-chung"

#: status key → (words, short English name); order = worst first (the order of counts and charts)
STATUSES: dict[str, str] = {
    "overdue": "Quá hạn chưa hoàn thành",
    "no_report": "Chưa có báo cáo",
    "stopped": "Dừng thực hiện",
    "in_progress": "Đang thực hiện trong hạn",
    "done_late": "Hoàn thành quá hạn",
    "done_on_time": "Hoàn thành đúng hạn",
}
STATE_NAMES: dict[str, str] = {"not_started": "Chưa triển khai", "in_progress": "Đang thực hiện",
                               "done": "Đã hoàn thành", "stopped": "Dừng thực hiện"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- periods ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """A reporting period: ``2026``, ``2026-H1``, ``2026-Q1``."""

    key: str
    start: date
    end: date

    @property
    def words(self) -> str:
        """``quý I năm 2026``, ``6 tháng đầu năm 2026``, ``năm 2026`` (as a report's title says it)."""
        year, _, part = self.key.partition("-")
        if part.startswith("Q"):
            return f"quý {_ROMAN[int(part[1])]} năm {year}"
        if part == "H1":
            return f"6 tháng đầu năm {year}"
        if part == "H2":
            return f"6 tháng cuối năm {year}"
        return f"năm {year}"

    @property
    def label(self) -> str:
        """``Quý I/2026``, ``6 tháng đầu năm 2026``, ``Năm 2026``."""
        year, _, part = self.key.partition("-")
        if part.startswith("Q"):
            return f"Quý {_ROMAN[int(part[1])]}/{year}"
        return self.words[0].upper() + self.words[1:]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(key: str) -> Period:
    """``2026-Q1`` → 1/1/2026–31/3/2026. Raises ValueError for anything else."""
    key = str(key).strip().upper()
    year_text, _, part = key.partition("-")
    if not (year_text.isdigit() and len(year_text) == 4):
        raise ValueError(key)
    year = int(year_text)
    if not part:
        return Period(key, date(year, 1, 1), date(year, 12, 31))
    if part in ("Q1", "Q2", "Q3", "Q4"):
        q = int(part[1])
        return Period(key, date(year, 3 * q - 2, 1), _last_day(year, 3 * q))
    if part in ("H1", "H2"):
        h = int(part[1])
        return Period(key, date(year, 6 * h - 5, 1), _last_day(year, 6 * h))
    raise ValueError(key)


def quarter_key(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


# --- occurrences and statuses -----------------------------------------------------------------

@dataclass(frozen=True)
class Occurrence:
    """One time a commitment is due: the whole of a one-off commitment (key ""), a year of a
    recurring one ("2026"), a quarter of an ongoing one ("2026-Q1")."""

    key: str
    label: str
    start: date | None
    due: date | None          # None: never overdue (ongoing, set by another body, unreadable)
    closes: date | None       # after this day an occurrence with no entry counts as "no report"


@dataclass
class OccurrenceStatus:
    occurrence: Occurrence
    status: str
    entries: list[model.ProgressEntry]
    done_on: date | None = None


@dataclass
class TaskProgress:
    """What a commitment's page, card and report row show, as of a date."""

    task: model.Task
    as_of: date
    status: str
    occurrences: list[OccurrenceStatus]
    entries: list[model.ProgressEntry] = field(default_factory=list)   # ≤ as_of, by date

    @property
    def words(self) -> str:
        return STATUSES[self.status]

    @property
    def last_updated(self) -> date | None:
        return self.entries[-1].date if self.entries else None

    @property
    def percent(self) -> int | None:
        values = [e.percent for e in self.entries if e.percent is not None]
        return values[-1] if values else None

    @property
    def latest(self) -> model.ProgressEntry | None:
        return self.entries[-1] if self.entries else None


def plan_years(doc: model.Document) -> list[int]:
    if doc.period:
        return list(range(doc.period.start, doc.period.end + 1))
    if doc.date:
        return [doc.date.year]
    return []


def occurrences(doc: model.Document, task: model.Task) -> list[Occurrence]:
    dl = task.deadline
    kind = dl.kind if dl else "unknown"
    if kind == "recurring" and dl.recurrence is not None:
        rec = dl.recurrence
        out = []
        for year in plan_years(doc):
            if rec.month and rec.day:
                try:
                    due = date(year, rec.month, rec.day)
                except ValueError:  # 29/02 in a common year
                    due = _last_day(year, rec.month)
            elif rec.month:
                due = _last_day(year, rec.month)
            elif rec.quarter:
                due = _last_day(year, 3 * rec.quarter)
            else:
                due = date(year, 12, 31)
            out.append(Occurrence(str(year), f"Năm {year}", date(year, 1, 1), due, due))
        return out
    if kind == "ongoing":
        out = []
        for year in plan_years(doc):
            for q in range(1, 5):
                p = parse_period(f"{year}-Q{q}")
                out.append(Occurrence(p.key, p.label, p.start, None, p.end))
        return out
    if kind == "range":
        return [Occurrence("", "", dl.start, dl.end, dl.end)]
    return [Occurrence("", "", None, None, None)]


def occurrence_key(task: model.Task, entry: model.ProgressEntry) -> str:
    """The occurrence an entry is about: its ``period``, else the year (recurring) or quarter
    (ongoing) of the day it was done or recorded; "" for a one-off commitment."""
    kind = task.deadline.kind if task.deadline else "unknown"
    when = entry.done_on or entry.date
    if kind == "recurring":
        return entry.period or str(when.year)
    if kind == "ongoing":
        return entry.period or quarter_key(when)
    return ""


_WORST = list(STATUSES)


def _occurrence_status(occ: Occurrence, entries: list[model.ProgressEntry]) -> OccurrenceStatus:
    done = [e for e in entries if e.state == "done"]
    if done:
        finished = done[0].done_on or done[0].date
        late = occ.due is not None and finished > occ.due
        return OccurrenceStatus(occ, "done_late" if late else "done_on_time", entries, finished)
    return OccurrenceStatus(occ, "no_report", entries)


def task_progress(doc: model.Document, task: model.Task, as_of: date) -> TaskProgress:
    """The status of a commitment as of a day, from the entries recorded up to that day."""
    entries = sorted((e for e in doc.progress if e.task == task.id and e.date <= as_of),
                     key=lambda e: (e.date, e.line_of()))
    occs = occurrences(doc, task)
    by_key: dict[str, list[model.ProgressEntry]] = {}
    for e in entries:
        by_key.setdefault(occurrence_key(task, e), []).append(e)
    shown: list[OccurrenceStatus] = []
    for occ in occs:
        own = by_key.get(occ.key, [])
        if not own and not (occ.closes is not None and occ.closes <= as_of) and len(occs) > 1:
            continue  # a recurring occurrence not yet due and not reported: not counted yet
        st = _occurrence_status(occ, own)
        if st.status == "no_report" and own:
            if own[-1].state == "stopped":
                st.status = "stopped"
            elif occ.due is not None and as_of > occ.due:
                st.status = "overdue"
            else:
                st.status = "in_progress"
        shown.append(st)
    status = min((s.status for s in shown), key=_WORST.index) if shown else "no_report"
    return TaskProgress(task, as_of, status, shown, entries)


def counts(rows: list[TaskProgress]) -> dict[str, int]:
    """How many commitments have each status, in the order of :data:`STATUSES`."""
    out = {k: 0 for k in STATUSES}
    for r in rows:
        out[r.status] += 1
    return out


def actuals_of(doc: model.Document, target: model.Target, as_of: date) -> list[model.TargetActual]:
    """The actual values of a target recorded up to a day, the latest per period, by period."""
    latest: dict[str, model.TargetActual] = {}
    for a in sorted((a for a in doc.actuals if a.target == target.id and a.date <= as_of), key=lambda a: a.date):
        latest[a.period] = a
    return [latest[k] for k in sorted(latest)]


def last_updated(docs: list[model.Document], as_of: date) -> date | None:
    """The day of the latest entry or value recorded up to ``as_of`` in these documents."""
    days = [e.date for d in docs for e in [*d.progress, *d.actuals] if e.date <= as_of]
    return max(days) if days else None


# --- reading progress.yaml --------------------------------------------------------------------

def load_progress(site: model.Site, content_dir: Path, report: Report) -> None:
    """Read ``progress.yaml`` of every document folder that has one into ``doc.progress`` and
    ``doc.actuals`` (called by :func:`planpub.load.load_content`)."""
    from .load import (  # the loader's readers; load.py imports this module late
        _read_yaml,
        _validate,
    )

    for doc in site.documents:
        folder = doc.source_file.parent if doc.source_file else None
        path = folder / PROGRESS_FILE if folder else None
        if path is None or not path.is_file():
            continue
        data = _read_yaml(path, report, content_dir)
        if data is None:
            continue
        loaded = _validate(model.ProgressFile, data, path, report, {"source": True})
        if loaded is None:
            continue
        for item in [*loaded.progress, *loaded.actuals]:
            item.plan_id = doc.id
            item.uid = f"{doc.id}/{item.task if isinstance(item, model.ProgressEntry) else item.target}"
        doc.progress, doc.actuals = loaded.progress, loaded.actuals


# --- checking ---------------------------------------------------------------------------------

def _col(obj, key: str) -> int:
    return obj.pos.column_of(key) if getattr(obj, "pos", None) else 1


def _plan_start(doc: model.Document) -> date | None:
    if doc.date is None:
        return None
    return date(doc.date.year, doc.date.month or 1, doc.date.day or 1)


def check_progress(site: model.Site, report: Report, as_of: date) -> None:
    """Every rule of ``progress.yaml``: the commitment or target exists, dates fall between the
    plan's date and ``as_of``, a done entry has its day, a stopped one its reason, evidence exists,
    a commitment is done once per occurrence, an actual value has the target's unit."""
    for doc in site.documents:
        if not (doc.progress or doc.actuals):
            continue
        path = doc.progress[0].source_file if doc.progress else doc.actuals[0].source_file
        if doc.type != "KH":
            report.error(path, 1, "progress-not-plan",
                         f"Chỉ kế hoạch mới có tiến độ; “{doc.id}” là {doc.type_name.lower()}.",
                         "Chuyển progress.yaml vào thư mục của kế hoạch.")
            continue
        _check_entries(doc, site, report, as_of)
        _check_actuals(doc, report, as_of)


def _check_dates(doc: model.Document, item, report: Report, as_of: date, noun: str) -> bool:
    start = _plan_start(doc)
    f = item.source_file
    if start is not None and item.date < start:
        report.error(f, item.line_of("date"), "progress-before-plan",
                     f"Ngày {item.date:%d/%m/%Y} của {noun} trước ngày của kế hoạch ({start:%d/%m/%Y}).",
                     "Sửa ngày cho đúng: tiến độ chỉ ghi từ ngày kế hoạch ban hành.", _col(item, "date"))
        return False
    if item.date > as_of:
        report.error(f, item.line_of("date"), "progress-in-future",
                     f"Ngày {item.date:%d/%m/%Y} của {noun} sau ngày dựng ({as_of:%d/%m/%Y}).",
                     "Chỉ ghi việc đã xảy ra; sửa ngày, hoặc dựng với `--as-of` là ngày muộn hơn.", _col(item, "date"))
        return False
    return True


def _unknown_id(report: Report, doc: model.Document, item, field: str, key: str, what: str, known: list[str],
                where: str) -> None:
    """An entry names a commitment or target the plan does not have: the nearest ids in the hint."""
    given = getattr(item, field)
    near = difflib.get_close_matches(given, known, n=3)
    report.error(item.source_file, item.line_of(field), key, f"Kế hoạch “{doc.id}” không có {what} mã “{given}”.",
                 (f"Mã gần nhất: {', '.join(near)}. " if near else "") + where, _col(item, field))


def _check_entries(doc: model.Document, site: model.Site, report: Report, as_of: date) -> None:
    tasks = {t.id: t for t in doc.tasks}
    done_seen: dict[tuple[str, str], model.ProgressEntry] = {}
    folder = doc.source_file.parent if doc.source_file else None
    for e in doc.progress:
        f = e.source_file
        task = tasks.get(e.task)
        if task is None:
            _unknown_id(report, doc, e, "task", "progress-unknown-task", "nhiệm vụ", list(tasks),
                        "Mã nhiệm vụ ghi ở trang của nhiệm vụ (Mã nhiệm vụ).")
            continue
        _check_dates(doc, e, report, as_of, "mục tiến độ")
        if e.done_on is not None:
            start = _plan_start(doc)
            if e.done_on > e.date:
                report.error(f, e.line_of("done_on"), "progress-done-after-entry",
                             f"Ngày hoàn thành {e.done_on:%d/%m/%Y} sau ngày ghi {e.date:%d/%m/%Y}.",
                             "Ngày hoàn thành không thể sau ngày ghi nhận; sửa một trong hai ngày.", _col(e, "done_on"))
            elif start is not None and e.done_on < start:
                report.error(f, e.line_of("done_on"), "progress-before-plan",
                             f"Ngày hoàn thành {e.done_on:%d/%m/%Y} trước ngày của kế hoạch ({start:%d/%m/%Y}).",
                             "Sửa ngày hoàn thành cho đúng.", _col(e, "done_on"))
            if e.state != "done":
                report.error(f, e.line_of("done_on"), "progress-done-date-state",
                             "Có ngày hoàn thành (`done_on`) nhưng trạng thái không phải `done`.",
                             "Ghi `state: done`, hoặc xóa `done_on`.", _col(e, "done_on"))
        if e.state == "done" and e.done_on is None:
            report.error(f, e.line_of("state"), "progress-done-date-missing",
                         f"Nhiệm vụ “{e.task}” được ghi là đã hoàn thành nhưng thiếu ngày hoàn thành.",
                         "Thêm dòng `done_on: YYYY-MM-DD` (ngày làm xong việc).", _col(e, "state"))
        if e.state == "stopped" and not e.reason:
            report.error(f, e.line_of("state"), "progress-reason-missing",
                         f"Nhiệm vụ “{e.task}” dừng thực hiện nhưng không ghi lý do.",
                         "Thêm dòng `reason: …` nói vì sao dừng.", _col(e, "state"))
        if e.state == "done" and e.percent not in (None, 100):
            report.warning(f, e.line_of("percent"), "progress-percent",
                           f"Đã hoàn thành nhưng tỷ lệ ghi {e.percent}%.",
                           "Ghi `percent: 100` hoặc bỏ dòng này.", _col(e, "percent"))
        occs = {o.key: o for o in occurrences(doc, task)}
        key = occurrence_key(task, e)
        if e.period is not None and "" in occs:
            report.error(f, e.line_of("period"), "progress-period-unexpected",
                         f"Nhiệm vụ “{e.task}” có thời hạn một lần ({task.deadline.text if task.deadline else 'không ghi'}); "
                         "không ghi kỳ (`period`).", "Xóa dòng `period:`.", _col(e, "period"))
        elif key not in occs:
            valid = ", ".join(list(occs)[:8])
            report.error(f, e.line_of("period" if e.period else "date"), "progress-period-unknown",
                         f"Kỳ “{key}” không thuộc các lần đến hạn của nhiệm vụ “{e.task}”.",
                         f"Các kỳ hợp lệ: {valid}{' …' if len(occs) > 8 else ''}.",
                         _col(e, "period" if e.period else "date"))
        if e.state == "done":
            first = done_seen.setdefault((e.task, key), e)
            if first is not e:
                report.error(f, e.line_of("state"), "progress-done-twice",
                             f"Nhiệm vụ “{e.task}”{' kỳ ' + key if key else ''} đã được ghi hoàn thành ở dòng "
                             f"{first.line_of('state')}.",
                             "Mỗi nhiệm vụ (mỗi kỳ) chỉ hoàn thành một lần; sửa mục cũ hoặc ghi trạng thái khác.",
                             _col(e, "state"))
        for ev in e.evidence:
            if ev.document and site.document(ev.document) is None:
                report.error(f, ev.line_of("document"), "evidence-missing",
                             f"Minh chứng trỏ tới văn bản “{ev.document}” không có trong content/.",
                             "Ghi mã văn bản dạng `<xã>/<thư mục>`, hoặc dùng `url:` cho văn bản đăng ở nơi khác.",
                             _col(ev, "document"))
            if ev.file:
                target = folder / EVIDENCE_FOLDER / ev.file if folder else None
                bad = "/" in ev.file or "\\" in ev.file or ev.file.startswith(".")
                if bad or target is None or not target.is_file():
                    report.error(f, ev.line_of("file"), "evidence-missing",
                                 f"Không thấy tệp minh chứng “{ev.file}” trong thư mục {EVIDENCE_FOLDER}/ của kế hoạch.",
                                 f"Đặt tệp vào {doc.id}/{EVIDENCE_FOLDER}/ (chỉ ghi tên tệp), hoặc sửa tên.",
                                 _col(ev, "file"))


def _check_actuals(doc: model.Document, report: Report, as_of: date) -> None:
    targets = {t.id: t for t in doc.targets}
    for a in doc.actuals:
        f = a.source_file
        target = targets.get(a.target)
        if target is None:
            _unknown_id(report, doc, a, "target", "actual-unknown-target", "chỉ tiêu", list(targets),
                        "Mã chỉ tiêu ghi ở trang Chỉ tiêu của kế hoạch.")
            continue
        _check_dates(doc, a, report, as_of, "giá trị thực tế")
        units = {v.unit for v in target.values if v.value is not None}
        if a.value is None:
            report.error(f, a.line_of("value_text"), "actual-not-a-number",
                         f"Giá trị thực tế “{a.value_text}” không có số.",
                         "Ghi một số, ví dụ `62%` hoặc `15`.", _col(a, "value_text"))
        elif units and a.unit not in units:
            report.error(f, a.line_of("value_text"), "actual-unit",
                         f"Giá trị thực tế “{a.value_text}” có đơn vị “{a.unit or 'không có'}”, "
                         f"khác đơn vị của chỉ tiêu ({', '.join(sorted(u or 'không có' for u in units))}).",
                         "Ghi cùng đơn vị với chỉ tiêu (ví dụ `%`).", _col(a, "value_text"))
