"""Open data under ``site/data/``: plans.json with its JSON Schema, tasks.csv, targets.csv and progress.csv.

CSV files are UTF-8 with a BOM so that Excel shows Vietnamese; JSON is written with sorted keys
and no timestamps so that the same content gives the same bytes.

A CSV cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by a spreadsheet program (``=HYPERLINK(…)``, ``=cmd|…``). As OWASP recommends
("CSV Injection"), such a cell gets a leading apostrophe ``'``: spreadsheets show the text as text
and the words stay readable. ``plans.json`` keeps the text exactly as written.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from . import model, progress

TASK_COLUMNS = ["plan_id", "task_id", "area", "number", "content", "deliverables", "lead", "support",
                "deadline_text", "deadline_kind", "deadline_start", "deadline_end",
                "commune", "appendix", "objective", "parent_task", "budget", "lead_ids", "support_ids",
                "recurrence", "depends_on", "changed_after_signing", "source_section", "lead_section",
                "deadline_in_source"]
TARGET_COLUMNS = ["plan_id", "target_id", "name", "lead", "period", "comparator", "value", "unit", "value_text",
                  "commune", "area", "group", "appendix", "number", "lead_ids", "row_kind", "source", "recorded_on",
                  "changed_after_signing"]
#: progress.csv: one row per progress entry recorded up to the build date, and one row (no date,
#: status no_report) per commitment that has none; ``status`` is derived as of ``as_of``.
PROGRESS_COLUMNS = {
    "plan_id": "id of the plan", "task_id": "id of the commitment in the plan",
    "date": "day the entry was recorded (empty: no entry)", "state": "not_started | in_progress | done | stopped",
    "period": "occurrence of a recurring commitment (2026, 2026-Q1); empty for a one-off one",
    "done_on": "day the work was finished", "percent": "share done, 0-100", "note": "what was done",
    "reason": "why it stopped", "evidence": "evidence: document ids, addresses, file names (one per line)",
    "status": "status of the commitment derived as of the build: done_on_time | done_late | in_progress | "
              "overdue | stopped | no_report", "status_text": "the status in words, as the website shows it",
    "as_of": "the day the status is derived for (the build date)", "commune": "id of the commune"}
TARGET_EXTRA_COLUMNS = {
    "row_kind": "planned (a value of the plan) or actual (a value measured, from progress.yaml)",
    "source": "actual rows: where the value comes from", "recorded_on": "actual rows: day the value was recorded"}


class PlansFile(BaseModel):
    """The shape of plans.json."""

    communes: list[model.Commune]
    documents: list[model.Document]


def write_open_data(site: model.Site, out_dir: Path, as_of: date | None = None, products=None,
                    full: bool = False) -> None:
    """The open data files of ``site``, assembled from each commune's part (:func:`commune_part`).
    With ``products`` (planpub/communes.py), a commune's part is the one kept in its store while its
    page key holds, else made and kept; the files are the same bytes either way."""
    as_of = as_of or date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    if products is None:
        of: dict[str, list[model.Document]] = {}
        for d in site.documents:
            of.setdefault(d.commune, []).append(d)
        parts = {c.id: commune_part(c, of.get(c.id, []), as_of) for c in site.communes}
    else:
        parts = products.data_parts(site, as_of, commune_part, full)
    docs = [parts[d.commune]["documents"][d.id] if d.commune in parts else document_part(d, as_of)
            for d in site.documents]
    # plans.json as json.dumps(PlansFile(…).model_dump(mode="json"), indent=1, sort_keys=True) writes
    # it, from each commune's and document's own text
    (out_dir / "plans.json").write_text(
        '{\n "communes": ' + _json_list([parts[c.id]["commune"] for c in site.communes])
        + ',\n "documents": ' + _json_list([d["json"] for d in docs]) + "\n}\n", encoding="utf-8")
    schema = PlansFile.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kế hoạch của các xã (plans.json)"
    schema["$defs"]["ProgressCsvRow"] = _csv_row("A row of progress.csv", PROGRESS_COLUMNS)
    schema["$defs"]["TargetsCsvProgressColumns"] = _csv_row(
        "The columns of targets.csv that tell planned and actual values apart", TARGET_EXTRA_COLUMNS)
    _write_json(out_dir / "schema.json", schema)
    _write_csv(out_dir / "tasks.csv", TASK_COLUMNS, [d["tasks"] for d in docs])
    _write_csv(out_dir / "targets.csv", TARGET_COLUMNS, [*(d["planned"] for d in docs), *(d["actual"] for d in docs)])
    _write_csv(out_dir / "progress.csv", list(PROGRESS_COLUMNS), [d["progress"] for d in docs])


def commune_part(commune: model.Commune, documents: list[model.Document], as_of: date) -> dict:
    """A commune's share of the open data, as text: its entry of plans.json and, per document, its
    entry and its rows of tasks.csv, targets.csv (planned, then actual values) and progress.csv."""
    return {
        "commune": _json_text(commune.model_dump(mode="json")),
        "documents": {d.id: document_part(d, as_of) for d in documents},
    }


def document_part(d: model.Document, as_of: date) -> dict[str, str]:
    """A document's entry of plans.json and its rows of tasks.csv, targets.csv and progress.csv, as text."""
    return {
        "json": _json_text(d.model_dump(mode="json")),
        "tasks": _csv_text(TASK_COLUMNS, [task_row(d, t) for t in d.tasks]),
        "planned": _csv_text(TARGET_COLUMNS, [target_row(d, t, v) for t in d.targets for v in _values(t)]),
        "actual": _csv_text(TARGET_COLUMNS, [actual_row(d, t, a) for t in d.targets
                                             for a in progress.actuals_of(d, t, as_of)]),
        "progress": _csv_text(list(PROGRESS_COLUMNS), [row for t in d.tasks for row in progress_rows(d, t, as_of)]),
    }


def _json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def _json_list(items: list[str]) -> str:
    """A list of JSON texts (:func:`_json_text`) as an item of the top-level object of a file
    written by :func:`_write_json`: each item's lines indented by two more spaces."""
    if not items:
        return "[]"
    return "[\n  " + ",\n  ".join(item.replace("\n", "\n  ") for item in items) + "\n ]"


def _csv_row(title: str, columns: dict[str, str]) -> dict:
    """A CSV row described in schema.json: every column a string, with what it holds."""
    return {"title": title, "type": "object",
            "properties": {k: {"type": "string", "description": v} for k, v in columns.items()}}


def progress_rows(doc: model.Document, t: model.Task, as_of: date) -> list[dict]:
    tp = progress.task_progress(doc, t, as_of)
    common = {"plan_id": doc.id, "task_id": t.id, "status": tp.status, "status_text": tp.words,
              "as_of": as_of.isoformat(), "commune": doc.commune}
    if not tp.entries:
        return [{**common, "date": "", "state": "", "period": "", "done_on": "", "percent": "", "note": "",
                 "reason": "", "evidence": ""}]
    return [{**common, "date": e.date.isoformat(), "state": e.state,
             "period": progress.occurrence_key(t, e), "done_on": e.done_on.isoformat() if e.done_on else "",
             "percent": "" if e.percent is None else e.percent, "note": e.note, "reason": e.reason or "",
             "evidence": "\n".join(ev.document or ev.url or ev.file or "" for ev in e.evidence)}
            for e in tp.entries]


def actual_row(doc: model.Document, t: model.Target, a: model.TargetActual) -> dict:
    # an actual value's period may be a quarter (2026-Q2), which a planned value's may not: the row is
    # built from the actual's own fields, not validated again as a planned value
    value = model.TargetValue.model_construct(period=a.period, year=None, value_text=a.value_text,
                                              comparator=a.comparator, value=a.value, unit=a.unit)
    row = target_row(doc, t, value)
    row.update(row_kind="actual", source=a.source, recorded_on=a.date.isoformat())
    return row


def task_row(doc: model.Document, t: model.Task) -> dict:
    dl = t.deadline
    rec = dl.recurrence if dl else None
    return {
        "plan_id": doc.id, "task_id": t.id, "area": t.area or "", "number": "" if t.number is None else t.number,
        "content": t.content, "deliverables": "\n".join(t.deliverables),
        "lead": model.agencies_text(t.lead), "support": model.agencies_text(t.support),
        "deadline_text": dl.text if dl else "", "deadline_kind": dl.kind if dl else "unknown",
        "deadline_start": dl.start.isoformat() if dl and dl.start else "",
        "deadline_end": dl.end.isoformat() if dl and dl.end else "",
        "commune": doc.commune, "appendix": t.appendix or "", "objective": t.objective or "",
        "parent_task": t.parent_task or "", "budget": t.budget or "",
        "lead_ids": ";".join(r.agency for r in t.lead), "support_ids": ";".join(r.agency for r in t.support),
        "recurrence": _recurrence_text(rec), "depends_on": dl.depends_on if dl and dl.depends_on else "",
        "changed_after_signing": _changed(doc),
        "source_section": t.source_section or "", "lead_section": t.lead_section or "",
        "deadline_in_source": "" if t.deadline_in_source is None else str(t.deadline_in_source).lower(),
    }


def _changed(doc: model.Document) -> str:
    """``true`` when the document is signed and its content changed since: the row is the edited
    text, not the signed one; ``false`` when signed and unchanged; empty when not signed."""
    if doc.signed is None:
        return ""
    return "true" if doc.signed.content_changed_after_signing else "false"


def _recurrence_text(rec) -> str:
    if rec is None:
        return ""
    parts = ["FREQ=YEARLY"]  # an iCalendar RRULE; a quarter is its three months
    if rec.month:
        parts.append(f"BYMONTH={rec.month}")
    elif rec.quarter:
        parts.append("BYMONTH=" + ",".join(str(3 * rec.quarter - k) for k in (2, 1, 0)))
    if rec.day:
        parts.append(f"BYMONTHDAY={rec.day}")
    return ";".join(parts)


_NO_VALUE = model.TargetValue(period="", value_text="")


def _values(t: model.Target) -> list[model.TargetValue]:
    """Each value of a target; a target whose source leaves every year empty still gets a row."""
    return t.values or [_NO_VALUE]


def target_row(doc: model.Document, t: model.Target, v: model.TargetValue) -> dict:
    value = "" if v.value is None else (int(v.value) if v.value == int(v.value) else v.value)
    return {
        "plan_id": doc.id, "target_id": t.id, "name": t.name, "lead": model.agencies_text(t.lead),
        "period": v.period, "comparator": v.comparator or "", "value": value, "unit": v.unit or "",
        "value_text": v.value_text, "commune": doc.commune, "area": t.area or "", "group": t.group or "",
        "appendix": t.appendix or "", "number": "" if t.number is None else t.number,
        "lead_ids": ";".join(r.agency for r in t.lead), "row_kind": "planned", "source": "", "recorded_on": "",
        "changed_after_signing": _changed(doc),
    }


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell a spreadsheet shows as text: a text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    """Rows of a CSV file as its writer writes them (formula starts made safe)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue()


def _write_csv(path: Path, columns: list[str], texts: list[str]) -> None:
    """A CSV file: its header, then rows already written (:func:`_csv_text`)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.DictWriter(f, fieldnames=columns).writeheader()
        f.writelines(texts)
