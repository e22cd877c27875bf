"""iCalendar files of deadlines (RFC 5545), per plan and per agency, written with ``icalendar``.

One all-day event per commitment that has a date: the end of a range; a recurring deadline is
one event with ``RRULE:FREQ=YEARLY`` until the end of the plan's period (31 December of each
year when the plan names no month, which the description says). Ongoing deadlines and those set
by another body have no date and no event. Every event links back to its commitment page:
relative to the ``.ics`` file, or absolute when ``site_url`` is set in ``mkdocs.yml`` (calendar
apps open only absolute links). A calendar's name says whose it is (the commune, the plan or the
agency); with ``site_url`` it also says where it lives (``SOURCE``, ``URL``) and how often to
fetch it again, for a subscription.

A commitment is in several calendars (its plan's, its lead agency's, each supporting agency's);
``icalendar`` writes each event once per build (``events``: what it wrote, by commitment and
link) and the calendars are put together from those bytes, the same bytes as ``Calendar.to_ical``
with the events added (tests/test_website.py compares them): writing events was most of the
cost of the calendars.
"""
from __future__ import annotations

import posixpath
from datetime import datetime, timedelta, timezone
from icalendar import Calendar, Event

from .. import model
from . import paths, words
from .catalog import Catalog

PRODID = "-//planpub//Ke hoach xa//VI"


def _calendar(name: str, description: str, ics_path: str, page: str, site_url: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    if site_url:  # RFC 7986: where the calendar lives, and fetch it again daily
        cal.add("source", paths.absolute(site_url, ics_path), parameters={"VALUE": "URI"})
        cal.add("url", paths.absolute(site_url, page), parameters={"VALUE": "URI"})
        cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "P1D")
    return cal


def _link(ics_path: str, page: str, site_url: str | None) -> str:
    if site_url:
        return paths.absolute(site_url, page)
    return posixpath.relpath(paths.output(page), posixpath.dirname(ics_path))


def _event(cat: Catalog, task: model.Task, url: str) -> Event | None:
    dues = cat.dues(task)
    if not dues:
        return None
    doc = cat.plan_of[task.uid]
    dl = task.deadline
    first = dues[0].date
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
    if doc.signed is not None and doc.signed.content_changed_after_signing:
        lines.append(words.CHANGED_AFTER_SIGNING)
    lines += [f"Kế hoạch: {doc.subject}", f"Xem: {url}"]
    ev.add("description", "\n".join(lines))
    ev.add("url", url)
    if task.area:
        ev.add("categories", [words.AREA_NAMES[task.area]])
    return ev


END = b"END:VCALENDAR\r\n"


def _write(cal: Calendar, cat: Catalog, tasks: list[model.Task], ics_path: str, site_url: str | None,
           events: dict) -> bytes:
    parts = []
    for task in cat.by_deadline(tasks):
        url = _link(ics_path, paths.task_page(task.uid), site_url)
        key = (task.uid, url)
        if key not in events:
            ev = _event(cat, task, url)
            events[key] = ev.to_ical() if ev is not None else b""
        parts.append(events[key])
    head = cal.to_ical()
    assert head.endswith(END)
    return head[:-len(END)] + b"".join(parts) + END


def plan_calendar(cat: Catalog, doc: model.Document, site_url: str | None = None,
                  events: dict | None = None) -> bytes:
    path = paths.plan_calendar(doc.id)
    commune = cat.communes[doc.commune]
    cal = _calendar(f"{commune.kind.capitalize()} {commune.name} – thời hạn {doc.type_name.lower()} "
                    f"{words.short(doc.subject, 60)}",
                    f"Thời hạn các nhiệm vụ của {doc.type_name.lower()} {doc.subject} ({commune.kind} {commune.name}).",
                    path, paths.document_page(doc.id), site_url)
    return _write(cal, cat, doc.tasks, path, site_url, {} if events is None else events)


def agency_tasks(cat: Catalog, commune_id: str, agency_id: str) -> list[model.Task]:
    return list({t.uid: t for t in [*cat.led.get((commune_id, agency_id), []),
                                    *cat.supported.get((commune_id, agency_id), [])]}.values())


def agency_calendar(cat: Catalog, commune_id: str, agency_id: str, site_url: str | None = None,
                    events: dict | None = None) -> bytes:
    path = paths.agency_calendar(commune_id, agency_id)
    agency = cat.agency(commune_id, agency_id)
    commune = cat.communes[commune_id]
    cal = _calendar(f"{agency.name} ({commune.kind} {commune.name}) – thời hạn nhiệm vụ",
                    f"Thời hạn các nhiệm vụ {agency.name} ({commune.kind} {commune.name}) chủ trì hoặc phối hợp.",
                    path, paths.agency_page(commune_id, agency_id), site_url)
    return _write(cal, cat, agency_tasks(cat, commune_id, agency_id), path, site_url,
                  {} if events is None else events)


def agencies_with_calendars(cat: Catalog) -> dict[str, list[str]]:
    """Agencies that get a calendar: those with a dated commitment they lead or support, by commune."""
    out: dict[str, list[str]] = {}
    for commune_id, agency_id in sorted({*cat.led, *cat.supported}):
        if cat.agency_has_calendar(commune_id, agency_id):
            out.setdefault(commune_id, []).append(agency_id)
    return out
