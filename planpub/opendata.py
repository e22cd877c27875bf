"""Open data under ``site/data/``: plans.json with its JSON Schema, tasks.csv and targets.csv.

CSV files are UTF-8 with a BOM so that Excel shows Vietnamese; JSON is written with sorted keys
and no timestamps so that the same content gives the same bytes.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pydantic import BaseModel

from . import model

TASK_COLUMNS = ["plan_id", "task_id", "area", "number", "content", "deliverables", "lead", "support",
                "deadline_text", "deadline_kind", "deadline_start", "deadline_end",
                "commune", "appendix", "objective", "parent_task", "budget", "lead_ids", "support_ids",
                "recurrence", "depends_on", "source_section", "lead_section", "deadline_in_source"]
TARGET_COLUMNS = ["plan_id", "target_id", "name", "lead", "period", "comparator", "value", "unit", "value_text",
                  "commune", "area", "group", "appendix", "number", "lead_ids"]


class PlansFile(BaseModel):
    """The shape of plans.json."""

    communes: list[model.Commune]
    documents: list[model.Document]


def write_open_data(site: model.Site, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = PlansFile(communes=site.communes, documents=site.documents).model_dump(mode="json")
    _write_json(out_dir / "plans.json", data)
    schema = PlansFile.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kế hoạch của các xã (plans.json)"
    _write_json(out_dir / "schema.json", schema)
    _write_csv(out_dir / "tasks.csv", TASK_COLUMNS, (task_row(d, t) for d in site.documents for t in d.tasks))
    _write_csv(out_dir / "targets.csv", TARGET_COLUMNS,
               (target_row(d, t, v) for d in site.documents for t in d.targets for v in _values(t)))


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
        "source_section": t.source_section or "", "lead_section": t.lead_section or "",
        "deadline_in_source": "" if t.deadline_in_source is None else str(t.deadline_in_source).lower(),
    }


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
        "lead_ids": ";".join(r.agency for r in t.lead),
    }


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _write_csv(path: Path, columns: list[str], rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
