"""Cross references of the content for the website: who leads what, plans of a commune, deadlines as dates.

Everything is computed once from the :class:`~planpub.model.Site`; pages only read it.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .. import model
from . import pagination, paths


@dataclass(frozen=True)
class SharedAgency:
    """Agencies of the same name in several communes (each commune has its own): ``members`` are
    (commune id, agency), in the communes' order."""

    slug: str
    name: str
    members: tuple


# spelled out, so that "Văn phòng HĐND và UBND xã" and "Văn phòng Hội đồng nhân dân và Ủy ban nhân
# dân xã" are one name
_SPELLED_OUT = {"hdnd": "hoi dong nhan dan", "ubnd": "uy ban nhan dan", "ubmttq": "uy ban mat tran to quoc",
                "vp": "van phong", "tt": "trung tam"}


def agency_key(name: str, commune: model.Commune) -> str:
    """What an agency's name says whatever the commune: folded, abbreviations spelled out, without
    "xã" and the commune's name at its end (``Ủy ban nhân dân xã Thường Xuân`` → ``uy-ban-nhan-dan``)."""
    from .searchfold import fold
    words = re.findall(r"[^\W_]+", fold(name).lower())
    words = " ".join(_SPELLED_OUT.get(w, w) for w in words).split()
    tail = re.findall(r"[^\W_]+", fold(commune.name).lower())
    if tail and words[-len(tail):] == tail:
        words = words[:-len(tail)]
    while words and words[-1] == "xa":
        words = words[:-1]
    return "-".join(words)


@dataclass(frozen=True)
class Due:
    """One deadline of a task as a date; ``precise`` is False when the plan names no month."""

    date: date
    precise: bool


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


class Catalog:
    def __setstate__(self, state: dict) -> None:
        """A catalog sent to another process (the calendars are written by a spawned one): the
        paths there follow this build's issuers too."""
        self.__dict__.update(state)
        paths.use_communes(self.site.communes)

    def __init__(self, site: model.Site, as_of: date) -> None:
        paths.use_communes(site.communes)  # every page of an issuer goes in its kind's folder
        self.site = site
        self.as_of = as_of
        self.communes = {c.id: c for c in site.communes}
        self.documents = list(site.documents)
        self.docs = {d.id: d for d in self.documents}
        self.agencies = {(c.id, a.id): a for c in site.communes for a in c.agencies}
        self.tasks: list[tuple[model.Document, model.Task]] = [(d, t) for d in self.documents for t in d.tasks]
        self.plan_of = {t.uid: d for d, t in self.tasks}
        self.position = {t.uid: i for d in self.documents for i, t in enumerate(d.tasks)}
        self.led: dict[tuple[str, str], list[model.Task]] = defaultdict(list)
        self.supported: dict[tuple[str, str], list[model.Task]] = defaultdict(list)
        self.targets_led: dict[tuple[str, str], list[model.Target]] = defaultdict(list)
        for d, t in self.tasks:
            for ref in {r.agency: r for r in t.lead}.values():
                self.led[(d.commune, ref.agency)].append(t)
            for ref in {r.agency: r for r in t.support}.values():
                self.supported[(d.commune, ref.agency)].append(t)
        for d in self.documents:
            for target in d.targets:
                for ref in {r.agency: r for r in target.lead}.values():
                    self.targets_led[(d.commune, ref.agency)].append(target)

    # --- documents -----------------------------------------------------------------------------

    def documents_of(self, commune_id: str) -> list[model.Document]:
        return [d for d in self.documents if d.commune == commune_id]

    def implementers(self, doc: model.Document) -> list[model.Document]:
        """The plans of other issuers (communes of a province) that carry this one out (``implements``)."""
        return sorted((d for d in self.documents if d.implements == doc.id), key=lambda d: d.id)

    def decision_issuing(self, doc: model.Document) -> model.Document | None:
        """The decision a plan is attached to (``attached_to``), if it is in the content."""
        return self.docs.get(doc.attached_to) if doc.attached_to else None

    def date_of(self, doc: model.Document) -> model.DocDate | None:
        """The document's date; a plan issued by a decision without a date of its own (``attached_to``):
        the decision's date, the day it was issued."""
        decision = self.decision_issuing(doc)
        return doc.date or (decision.date if decision is not None else None)

    def status(self, doc: model.Document) -> str:
        """``issued``, ``attached`` (issued by an issued decision) or ``draft``."""
        decision = self.decision_issuing(doc)
        if decision is not None and not decision.is_draft:
            return "attached"
        return "draft" if doc.is_draft else "issued"

    def appendix(self, doc: model.Document, appendix_id: str | None) -> model.Appendix | None:
        return next((a for a in doc.appendices if a.id == appendix_id), None)

    # --- agencies ------------------------------------------------------------------------------

    def agency(self, commune_id: str, agency_id: str) -> model.Agency:
        return self.agencies[(commune_id, agency_id)]

    def agency_in_use(self, commune_id: str, agency_id: str) -> bool:
        key = (commune_id, agency_id)
        return bool(self.led.get(key) or self.supported.get(key) or self.targets_led.get(key))

    def agencies_in_use(self, commune_id: str) -> list[model.Agency]:
        return [a for a in self.communes[commune_id].agencies if self.agency_in_use(commune_id, a.id)]

    def agencies_of(self, doc: model.Document) -> list[tuple[model.Agency, int, int]]:
        """(agency, tasks of this document it leads, tasks it supports), in the commune's order."""
        led: dict[str, int] = defaultdict(int)
        supported: dict[str, int] = defaultdict(int)
        for t in doc.tasks:
            for agency_id in {r.agency for r in t.lead}:
                led[agency_id] += 1
            for agency_id in {r.agency for r in t.support}:
                supported[agency_id] += 1
        return [(a, led[a.id], supported[a.id]) for a in self.communes[doc.commune].agencies
                if led[a.id] or supported[a.id]]

    @cached_property
    def shared_agencies(self) -> list[SharedAgency]:
        """Agencies (not groups, not outside bodies) of one name in two communes or more, with work
        in each: "Văn phòng HĐND và UBND" leads tasks in several communes."""
        found: dict[str, list[tuple[str, model.Agency]]] = {}
        for commune in self.site.communes:
            for agency in self.agencies_in_use(commune.id):
                if agency.kind == "agency":
                    found.setdefault(agency_key(agency.name, commune), []).append((commune.id, agency))
        out = []
        for slug, members in found.items():
            if pagination.is_page_folder(slug):  # co-quan/trang-2/ is page 2 of the agencies index
                slug = f"co-quan-{slug}"
            if len({c for c, _ in members}) >= 2:
                name = Counter(a.name for _, a in members).most_common(1)[0][0]
                out.append(SharedAgency(slug, name, tuple(members)))
        return sorted(out, key=lambda s: (-sum(len(self.led.get((c, a.id), [])) for c, a in s.members), s.slug))

    def shared_of(self, commune_id: str, agency_id: str) -> SharedAgency | None:
        return next((s for s in self.shared_agencies if any(c == commune_id and a.id == agency_id
                                                             for c, a in s.members)), None)

    @cached_property
    def agencies_by_load(self) -> list[tuple[str, model.Agency, int]]:
        """(commune id, agency, number of tasks it leads), most first."""
        rows = [(c, self.agencies[(c, a)], len(tasks)) for (c, a), tasks in self.led.items()]
        return sorted(rows, key=lambda r: (-r[2], r[0], r[1].name))

    # --- deadlines as dates --------------------------------------------------------------------

    def dues(self, task: model.Task) -> list[Due]:
        """Every deadline of a task as a date: the end of a range; each year of the plan's
        period for a recurring deadline (its month or quarter; 31 December when none is written)."""
        dl = task.deadline
        if dl is None:
            return []
        if dl.kind == "range":
            return [Due(dl.end, True)] if dl.end else []
        if dl.kind != "recurring" or dl.recurrence is None:
            return []
        rec = dl.recurrence
        out = []
        for year in self.period_years(self.plan_of[task.uid]):
            if rec.month and rec.day:
                try:
                    d = date(year, rec.month, rec.day)
                except ValueError:  # 29/02 in a common year
                    d = _last_day(year, rec.month)
                out.append(Due(d, True))
            elif rec.month:
                out.append(Due(_last_day(year, rec.month), True))
            elif rec.quarter:
                out.append(Due(_last_day(year, 3 * rec.quarter), True))
            else:
                out.append(Due(date(year, 12, 31), False))
        return out

    def dated(self, tasks: list[model.Task]) -> bool:
        """Whether any of the tasks has a deadline that is a date (and so an event in a calendar)."""
        return any(self.dues(t) for t in tasks)

    def has_calendar(self, doc: model.Document) -> bool:
        return self.dated(doc.tasks)

    def agency_has_calendar(self, commune_id: str, agency_id: str) -> bool:
        key = (commune_id, agency_id)
        return self.dated([*self.led.get(key, []), *self.supported.get(key, [])])

    def period_years(self, doc: model.Document) -> list[int]:
        if doc.period:
            return list(range(doc.period.start, doc.period.end + 1))
        if doc.date:
            return [doc.date.year]
        return [self.as_of.year]

    def next_due(self, task: model.Task, precise_only: bool = True) -> date | None:
        """The first deadline on or after the build date."""
        for due in self.dues(task):
            if due.date >= self.as_of and (due.precise or not precise_only):
                return due.date
        return None

    def upcoming(self, limit: int = 10) -> list[tuple[date, model.Document, model.Task]]:
        rows = []
        for d, t in self.tasks:
            when = self.next_due(t)
            if when is not None:
                rows.append((when, d, t))
        rows.sort(key=lambda r: (r[0], r[1].id, self.position[r[2].uid]))
        return rows[:limit]

    def sort_key(self, task: model.Task) -> tuple:
        """Order by deadline: dated deadlines by date (the next one of a recurring deadline),
        then ongoing, then those set by another body, then those not read as a date."""
        kind = task.deadline.kind if task.deadline else "unknown"
        dues = self.dues(task)
        if dues:
            upcoming = [x.date for x in dues if x.date >= self.as_of]
            when = upcoming[0] if upcoming else dues[-1].date
            rank = 0
        else:
            when = date.max
            rank = {"range": 0, "recurring": 0, "ongoing": 1, "dependent": 2}.get(kind, 3)
        return (rank, when, task.plan_id, self.position[task.uid])

    def by_deadline(self, tasks: list[model.Task]) -> list[model.Task]:
        return sorted(tasks, key=self.sort_key)

    def years(self, task: model.Task) -> list[int]:
        return sorted({x.date.year for x in self.dues(task)})

    def quarters(self, task: model.Task) -> list[str]:
        return sorted({f"{x.date.year}-q{_quarter(x.date)}" for x in self.dues(task) if x.precise})
