"""The short summary at the top of a plan's page, in plain words and only from the plan itself.

A plan page is long (Thiên Phú's is some 48 phone screens). Its first lines say what the plan is
for and what it holds: its purpose, quoted word for word (the first point under the body's heading
that names it: "Mục đích", or "Mục tiêu"), how many commitments and targets it has and in which
areas, which agencies lead most of them, what is due next, and its first targets with their values
as written. Nothing is paraphrased or made up: what the plan does not say is left out.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .. import model
from . import words
from .catalog import Catalog

_HEADING = re.compile(r"^#{1,6}\s")
_PURPOSE = (re.compile(r"^#{1,6}\s.*\bmục đích\b", re.IGNORECASE), re.compile(r"^#{1,6}\s.*\bmục tiêu\b", re.IGNORECASE))
_MARKER = re.compile(r"^(?:[-+*]|\d+[.)]|[a-zđ]\))\s+")
_NOTE_CALL = re.compile(r"\[\^[^\]\s]+\]")   # a footnote's call: the note itself is not quoted


def purpose(body: str) -> str | None:
    """The first point written under the heading that names the plan's purpose (its Markdown)."""
    lines = body.splitlines()
    for heading in _PURPOSE:
        for i, line in enumerate(lines):
            if heading.match(line.strip()):
                for text in lines[i + 1:]:
                    text = text.strip()
                    if text and not _HEADING.match(text):
                        return _NOTE_CALL.sub("", _MARKER.sub("", text))
    return None


@dataclass
class Summary:
    purpose: str | None
    tasks: int
    targets: int
    areas: list[tuple[str, int]] = field(default_factory=list)          # (area name, tasks), most first
    leads: list[tuple[str, model.Agency, int]] = field(default_factory=list)  # (commune, agency, tasks)
    next_due: list[tuple[date, model.Task]] = field(default_factory=list)
    first_targets: list[model.Target] = field(default_factory=list)


def summarise(cat: Catalog, doc: model.Document) -> Summary | None:
    """The summary of a plan with commitments or targets; None for other documents."""
    if not (doc.tasks or doc.targets):
        return None
    areas = Counter(t.area for t in doc.tasks if t.area)
    leads = Counter(r.agency for t in doc.tasks for r in {r.agency: r for r in t.lead}.values())
    due = sorted(((d, t) for t in doc.tasks if (d := cat.next_due(t)) is not None),
                 key=lambda x: (x[0], cat.position[x[1].uid]))
    return Summary(
        purpose=purpose(doc.body or ""),
        tasks=len(doc.tasks),
        targets=len(doc.targets),
        areas=[(words.AREA_NAMES[a], n) for a, n in sorted(areas.items(), key=lambda x: (-x[1], words.AREAS.index(x[0])))],
        leads=[(doc.commune, cat.agency(doc.commune, a), n) for a, n in leads.most_common(2)],
        next_due=due[:3],
        first_targets=doc.targets[:3],
    )
