"""iCalendar files of deadlines (RFC 5545), per plan and per agency, written with ``icalendar``.

One all-day event per commitment that has a date: the end of a range; a recurring deadline is
one event with ``RRULE:FREQ=YEARLY`` until the end of the plan's period (31 December of each
year when the plan names no month, which the description says). Ongoing deadlines and those set
by another body have no date and no event. Every event links back to its commitment page:
relative to the ``.ics`` file, or absolute when ``site_url`` is set in ``mkdocs.yml``.
"""
from __future__ import annotations

import posixpath
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

from icalendar import Calendar, Event

from .. import model
from . import paths, words
from .catalog import Catalog

PRODID = "-//planpub//Ke hoach xa//VI"


def _calendar(name: str, description: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    return cal


def _link(ics_path: str, page: str, site_url: str | None) -> str:
    if site_url:
        return urljoin(site_url if site_url.endswith("/") else site_url + "/", paths.output(page))
    return posixpath.relpath(paths.output(page), posixpath.dirname(ics_path))


def _event(cat: Catalog, task: model.Task, ics_path: str, site_url: str | None) -> Event | None:
    dues = cat.dues(task)
    if not dues:
        return None
    doc = cat.plan_of[task.uid]
    dl = task.deadline
    first = dues[0].date
    url = _link(ics_path, paths.task_page(task.uid), site_url)
    ev = Event()
    ev.add("uid", f"{task.uid}@ke-hoach-xa")
    ev.add("dtstamp", datetime(cat.as_of.year, cat.as_of.month, cat.as_of.day, tzinfo=timezone.utc))
    ev.add("summary", f"Hạn: {words.short(task.content, 90)}")
    ev.add("dtstart", first)
    ev.add("dtend", first + timedelta(days=1))
    ev.add("transp", "TRANSPARENT")
    if dl.kind == "recurring":
        rule = {"freq": "yearly", "until": dues[-1].date}
        if first.month == 2 and first.day >= 28:  # the last day of February moves
            rule.update(bymonth=2, bymonthday=-1)
        ev.add("rrule", rule)
    lines = [task.content, "",
             f"Thời hạn ghi trong kế hoạch: {dl.text}",
             f"Cơ quan chủ trì: {'; '.join(r.text for r in task.lead)}"]
    if task.support:
        lines.append(f"Cơ quan phối hợp: {'; '.join(r.text for r in task.support)}")
    if not dues[0].precise:
        lines.append("Kế hoạch không ghi tháng: lịch đặt hạn vào ngày cuối năm.")
    lines += [f"Kế hoạch: {doc.subject}", f"Xem: {url}"]
    ev.add("description", "\n".join(lines))
    ev.add("url", url)
    if task.area:
        ev.add("categories", [words.AREA_NAMES[task.area]])
    return ev


def _write(cal: Calendar, cat: Catalog, tasks: list[model.Task], ics_path: str, site_url: str | None) -> bytes:
    for task in cat.by_deadline(tasks):
        ev = _event(cat, task, ics_path, site_url)
        if ev is not None:
            cal.add_component(ev)
    return cal.to_ical()


def plan_calendar(cat: Catalog, doc: model.Document, site_url: str | None = None) -> bytes:
    path = paths.plan_calendar(doc.id)
    commune = cat.communes[doc.commune]
    cal = _calendar(f"Thời hạn: {words.short(doc.subject, 60)}",
                    f"Thời hạn các nhiệm vụ của {doc.type_name.lower()} {doc.subject} ({commune.kind} {commune.name}).")
    return _write(cal, cat, doc.tasks, path, site_url)


def agency_calendar(cat: Catalog, commune_id: str, agency_id: str, site_url: str | None = None) -> bytes:
    path = paths.agency_calendar(commune_id, agency_id)
    agency = cat.agency(commune_id, agency_id)
    commune = cat.communes[commune_id]
    tasks = list({t.uid: t for t in [*cat.led.get((commune_id, agency_id), []),
                                     *cat.supported.get((commune_id, agency_id), [])]}.values())
    cal = _calendar(f"Thời hạn: {agency.name} ({commune.name})",
                    f"Thời hạn các nhiệm vụ {agency.name} ({commune.kind} {commune.name}) chủ trì hoặc phối hợp.")
    return _write(cal, cat, tasks, path, site_url)
