"""The report a commune sends up on a plan (Báo cáo kết quả thực hiện Kế hoạch …): ``build.py report``.

:func:`write_report` writes a draft report document into ``content/`` beside the plan, as any
other document is written by hand: ``document.yaml`` (type BC, number form ``…/BC-UBND``,
``reports_on`` the plan, ``report_period``), a ``body.md`` whose narrative is prefilled with the
counts of :mod:`planpub.progress` and left for the clerk to finish (each unfinished part is a line
starting with :data:`TODO`, which ``check`` warns about), and two appendices of ``shape: table``:
every commitment (number, content, lead agency, deadline, status, result and evidence, note) and
every target (planned, actual). The tables are a snapshot as of the last day of the period: once
written, later entries never change them, and an issued, signed report is published as signed.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from . import model, progress
from .diagnostics import Report
from .load import BODY_FILE, DOCUMENT_FILE

#: A line of a draft report the clerk still has to write.
TODO = "[Cán bộ ghi tiếp:"

PROGRESS_COLUMNS = {"number": "TT", "content": "Nội dung nhiệm vụ", "lead": "Cơ quan chủ trì",
                    "deadline": "Thời hạn", "status": "Tình trạng", "result": "Kết quả, minh chứng",
                    "note": "Ghi chú"}
TARGET_COLUMNS = {"number": "TT", "name": "Chỉ tiêu", "planned": "Kế hoạch", "actual": "Thực hiện",
                  "source": "Nguồn số liệu"}


#: the order a report counts statuses in: what was done first
REPORT_ORDER = ("done_on_time", "done_late", "in_progress", "overdue", "stopped", "no_report")


class ReportRefused(Exception):
    """The report cannot be written; the message says why, for the clerk."""


def report_folder_name(plan: model.Document, period: progress.Period) -> str:
    return f"bc-{plan.id.split('/', 1)[1]}-{period.key.lower()}"[:80]


def _plan_ref(plan: model.Document) -> str:
    """``Kế hoạch số 01/KH-UBND ngày 05/01/2026 của UBND xã Minh Họa`` (a draft: without number)."""
    text = plan.type_name
    if plan.number:
        text += f" số {plan.number_text}"
    if plan.date and plan.date.complete:
        text += f" ngày {plan.date.as_date():%d/%m/%Y}"
    return f"{text} của {plan.issuer.short}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _evidence_text(e: model.ProgressEntry) -> str:
    parts = []
    for ev in e.evidence:
        what = ev.title or ev.document or ev.url or ev.file
        where = ev.url or (f"văn bản {ev.document}" if ev.document else f"tệp {ev.file}")
        parts.append(what if what == where else f"{what} ({where})")
    return "; ".join(parts)


def progress_rows(plan: model.Document, as_of: date) -> list[dict[str, str]]:
    rows = []
    for i, task in enumerate(plan.tasks, 1):
        tp = progress.task_progress(plan, task, as_of)
        results, notes = [], []
        for e in tp.entries:
            line = f"{e.date:%d/%m/%Y}: {e.note.rstrip('. ')}"
            if e.done_on:
                line += f" (hoàn thành ngày {e.done_on:%d/%m/%Y})"
            line += "."
            evidence = _evidence_text(e)
            if evidence:
                line += f" Minh chứng: {evidence}."
            results.append(line)
        if tp.latest and tp.latest.state == "stopped" and tp.latest.reason:
            notes.append(f"Lý do dừng: {tp.latest.reason}")
        if tp.percent is not None and tp.status not in ("done_on_time", "done_late"):
            notes.append(f"Đạt {tp.percent}%")
        for occ in tp.occurrences:
            if occ.occurrence.key:
                notes.append(f"{occ.occurrence.label}: {progress.STATUSES[occ.status].lower()}")
        rows.append({"number": str(i), "content": task.content,
                     "lead": "; ".join(r.text for r in task.lead),
                     "deadline": " ".join((task.deadline.text if task.deadline else "").split()),
                     "status": tp.words, "result": "\n".join(results), "note": "\n".join(notes)})
    return rows


def target_rows(plan: model.Document, as_of: date) -> list[dict[str, str]]:
    rows = []
    for i, t in enumerate(plan.targets, 1):
        actual = progress.actuals_of(plan, t, as_of)
        rows.append({"number": str(i), "name": t.name,
                     "planned": "\n".join(f"{v.period}: {v.value_text}" if v.period else v.value_text for v in t.values),
                     "actual": "\n".join(f"{a.period}: {a.value_text}" for a in actual),
                     "source": "\n".join(dict.fromkeys(a.source for a in actual))})
    return rows


def _next_words(period: progress.Period) -> str:
    _, _, part = period.key.partition("-")
    return {"": "NĂM TỚI", "H1": "6 THÁNG CUỐI NĂM", "H2": "NĂM TỚI"}.get(part, "QUÝ TỚI")


def report_body(plan: model.Document, period: progress.Period, as_of: date) -> str:
    rows = [progress.task_progress(plan, t, as_of) for t in plan.tasks]
    n = progress.counts(rows)
    counted = "; ".join(f"{n[k]} nhiệm vụ {progress.STATUSES[k][:1].lower()}{progress.STATUSES[k][1:]}"
                        for k in REPORT_ORDER)
    with_actual = sum(1 for t in plan.targets if progress.actuals_of(plan, t, as_of))
    ref = _plan_ref(plan)
    lines = [
        (f"Thực hiện {ref} về {_lower_first(plan.subject)}, {plan.issuer.short} báo cáo kết quả thực hiện "
         f"{period.words} như sau:"),
        "",
        "## I. KẾT QUẢ ĐẠT ĐƯỢC",
        "",
        (f"Kế hoạch có {len(plan.tasks)} nhiệm vụ. Tính đến ngày {as_of:%d/%m/%Y}: {counted} "
         "(Chi tiết tại Phụ lục I kèm theo)."),
    ]
    if plan.targets:
        lines += ["", (f"Kế hoạch có {len(plan.targets)} chỉ tiêu, trong đó {with_actual} chỉ tiêu đã có số liệu "
                       "thực hiện (Chi tiết tại Phụ lục II kèm theo).")]
    lines += ["", f"{TODO} những kết quả nổi bật trong kỳ.]",
              "", "## II. TỒN TẠI, HẠN CHẾ", "", f"{TODO} những việc chưa làm được, chậm tiến độ.]",
              "", "## III. NGUYÊN NHÂN", "", f"{TODO} nguyên nhân khách quan, chủ quan.]",
              "", f"## IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {_next_words(period)}", "",
              f"{TODO} các nhiệm vụ trọng tâm, giải pháp.]",
              "", f"Trên đây là báo cáo kết quả thực hiện {ref} {period.words}."]
    return "\n".join(lines) + "\n"


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_report(site: model.Site, plan: model.Document, period_key: str, today: date) -> Path:
    """Write the draft report on ``plan`` for ``period_key`` beside it; return its folder."""
    if plan.type != "KH":
        raise ReportRefused(f"“{plan.id}” là {plan.type_name.lower()}, không phải kế hoạch.")
    try:
        period = progress.parse_period(period_key)
    except ValueError:
        raise ReportRefused(f"Kỳ báo cáo “{period_key}” không đúng dạng (2026-Q1, 2026-H1 hoặc 2026).") from None
    if period.start > today:
        raise ReportRefused(f"Kỳ {period.label} chưa bắt đầu (hôm nay {today:%d/%m/%Y}).")
    as_of = min(period.end, today)
    folder = plan.source_file.parent.parent / report_folder_name(plan, period)
    existing = next((d for d in site.documents if d.reports_on == plan.id and d.report_period == period.key), None)
    if existing is not None or folder.exists():
        where = existing.id if existing is not None else folder.name
        raise ReportRefused(f"Đã có báo cáo {period.label} của kế hoạch này: “{where}”. Báo cáo đã có không "
                            "được viết lại; nếu là dự thảo muốn làm lại, xóa thư mục đó rồi chạy lại lệnh.")
    symbol = re.sub(r"^KH", "BC", plan.symbol or "KH-UBND")
    appendices = [{"id": "pl-i", "label": "Phụ lục I",
                   "title": f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ {period.words.upper()}", "file": "appendix-01.yaml"}]
    if plan.targets:
        appendices.append({"id": "pl-ii", "label": "Phụ lục II",
                           "title": f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {period.words.upper()}",
                           "file": "appendix-02.yaml"})
    document = {
        "type": "BC", "number": None, "symbol": symbol,
        "issuer": plan.issuer.model_dump(exclude={"pos"}), "parent_issuer": plan.parent_issuer,
        "place": plan.place, "date": {"year": today.year, "month": today.month},
        "subject": f"Kết quả thực hiện {plan.type_name} {_lower_first(plan.subject)}, {period.words}",
        "reports_on": plan.id, "report_period": period.key,
        "signature": plan.signature.model_dump(exclude={"pos"}) if plan.signature else None,
        "recipients": [r.text for r in plan.recipients if r.purpose == "b/c"],
        "archive": "VT",
        "appendices": appendices,
    }
    folder.mkdir()
    head = (f"# Báo cáo dự thảo do `build.py report {plan.id} --period {period.key}` viết ngày {today:%d/%m/%Y};\n"
            f"# số liệu tính đến ngày {as_of:%d/%m/%Y}. Sửa tiếp body.md rồi ban hành như mọi văn bản.\n")
    (folder / DOCUMENT_FILE).write_text(head + _dump(document), encoding="utf-8")
    (folder / BODY_FILE).write_text(report_body(plan, period, as_of), encoding="utf-8")
    (folder / "appendix-01.yaml").write_text(
        _dump({"shape": "plain_table", "columns": PROGRESS_COLUMNS, "rows": progress_rows(plan, as_of)}), encoding="utf-8")
    if plan.targets:
        (folder / "appendix-02.yaml").write_text(
            _dump({"shape": "plain_table", "columns": TARGET_COLUMNS, "rows": target_rows(plan, as_of)}), encoding="utf-8")
    return folder


def reports_of(site: model.Site, plan: model.Document) -> list[model.Document]:
    """The reports on a plan, by period."""
    return sorted((d for d in site.documents if d.reports_on == plan.id), key=lambda d: d.report_period or "")


def check_reports(site: model.Site, report: Report) -> None:
    for doc in site.documents:
        path = doc.source_file
        if doc.type != "BC":
            if doc.reports_on or doc.report_period:
                key = "reports_on" if doc.reports_on else "report_period"
                report.error(path, doc.line_of(key), "report-field",
                             f"Chỉ báo cáo (`type: BC`) mới có `{key}`.", "Xóa dòng này.")
            continue
        if not doc.reports_on:
            report.error(path, doc.line_of(), "report-plan-missing", "Báo cáo chưa ghi kế hoạch được báo cáo (`reports_on:`).",
                         "Ghi `reports_on: <xã>/<thư mục kế hoạch>`.")
        else:
            plan = site.document(doc.reports_on)
            if plan is None or plan.type != "KH":
                report.error(path, doc.line_of("reports_on"), "broken-link",
                             f"Không có kế hoạch “{doc.reports_on}”.", "Ghi mã kế hoạch dạng `<xã>/<thư mục>`.")
        if not doc.report_period:
            report.error(path, doc.line_of(), "report-period-missing", "Báo cáo chưa ghi kỳ báo cáo (`report_period:`).",
                         "Ghi `report_period: 2026-Q1` (quý), `2026-H1` (6 tháng) hoặc `2026` (năm).")
        if path is not None:
            for lineno, line in enumerate(doc.body.splitlines(), 1):
                if line.strip().startswith(TODO):
                    report.warning(path.parent / BODY_FILE, lineno, "report-unfinished",
                                   "Phần này của báo cáo còn để trống cho cán bộ viết tiếp.",
                                   "Thay dòng bắt đầu bằng “[Cán bộ ghi tiếp:” bằng nội dung báo cáo trước khi ban hành.",
                                   line.index(TODO) + 1)

