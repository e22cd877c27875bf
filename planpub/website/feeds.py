"""The Atom feed of documents (RFC 4287), built with the standard library's ElementTree.

Links are relative to the feed file (Atom resolves them against the feed's own URL), so the
feed works wherever the site is hosted. Entry ids are stable ``urn:uuid`` values derived from
document ids; dates come from the documents, never from the clock, so a rebuild gives the same bytes:
a plan issued by a decision has the decision's date; a document with no date at all (none in
the bundled content) has the date the build is made as of (``--as-of``), Atom needing one.
It holds the :data:`FEED_ENTRIES` newest entries, whatever the number of communes.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

from .. import model
from . import paths, progress_view, words
from .catalog import Catalog

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VIETNAM = timezone(timedelta(hours=7))
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "planpub:ke-hoach-xa")
#: the feed holds the newest documents and progress entries, this many at most
FEED_ENTRIES = 60


def _urn(key: str) -> str:
    return uuid.uuid5(NAMESPACE, key).urn


def _when(cat: Catalog, doc: model.Document) -> datetime:
    d = cat.date_of(doc)
    day = date(d.year, d.month or 1, d.day or 1) if d else cat.as_of
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _newest(cat: Catalog, docs: list[model.Document], entries: list) -> tuple[list[model.Document], list]:
    """The :data:`FEED_ENTRIES` newest of the documents and progress entries (each list kept in its
    order): a feed reader asks for what is new, and the feed does not grow with the province."""
    dated = [(_when(cat, d).date(), 0, i) for i, d in enumerate(docs)] + [(e[1], 1, i) for i, e in enumerate(entries)]
    if len(dated) <= FEED_ENTRIES:
        return docs, entries
    kept = sorted(dated, key=lambda x: (x[0], -x[1], -x[2]), reverse=True)[:FEED_ENTRIES]
    keep = {(k, i) for _, k, i in kept}
    return [d for i, d in enumerate(docs) if (0, i) in keep], [e for i, e in enumerate(entries) if (1, i) in keep]


def atom_feed(cat: Catalog, site_name: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "vi"})
    docs = sorted(cat.documents, key=lambda d: (_when(cat, d), d.id), reverse=True)
    _sub(feed, "id", _urn("feed"))
    _sub(feed, "title", f"{site_name}: văn bản mới")
    _sub(feed, "subtitle", "Kế hoạch, quyết định của các xã, theo ngày văn bản.")
    entries = sorted(progress_view.feed_entries(cat), key=lambda e: (e[1], e[0]), reverse=True)
    when = [_when(cat, d) for d in docs] + [datetime(e[1].year, e[1].month, e[1].day, tzinfo=VIETNAM) for e in entries]
    _sub(feed, "updated", max(when, default=datetime(cat.as_of.year, cat.as_of.month, cat.as_of.day,
                                                     tzinfo=VIETNAM)).isoformat())
    _sub(feed, "link", rel="self", type="application/atom+xml", href=paths.output(paths.FEED))
    _sub(feed, "link", rel="alternate", type="text/html", href=paths.href(paths.FEED, paths.DOCUMENTS))
    _sub(feed, "generator", "planpub")
    docs, entries = _newest(cat, docs, entries)
    for doc in docs:
        commune = cat.communes[doc.commune]
        entry = _sub(feed, "entry")
        _sub(entry, "id", _urn(doc.id))
        _sub(entry, "title", f"{doc.type_name}: {doc.subject}")
        _sub(entry, "link", rel="alternate", type="text/html", href=paths.href(paths.FEED, paths.document_page(doc.id)))
        _sub(entry, "updated", _when(cat, doc).isoformat())
        author = _sub(entry, "author")
        _sub(author, "name", doc.issuer.name)
        _sub(entry, "category", term=commune.id, label=f"{commune.kind} {commune.name}")
        status = cat.status(doc)
        number = f"Số {doc.number_text}" if doc.number else "Dự thảo, chưa có số"
        if status == "attached":
            decision = cat.decision_issuing(doc)
            number = f"Ban hành kèm theo Quyết định số {decision.number_text}"
        when = words.doc_date(cat.date_of(doc))
        summary = f"{number}{', ' + when if when else ''}. {doc.issuer.name}."
        if doc.tasks or doc.targets:
            summary += f" {len(doc.tasks)} nhiệm vụ, {len(doc.targets)} chỉ tiêu."
        if doc.signed is not None and doc.signed.content_changed_after_signing:
            summary += " " + words.CHANGED_AFTER_SIGNING
        _sub(entry, "summary", summary)
    for key, day, title, page, summary in entries:  # progress entries (planpub/progress.py)
        entry = _sub(feed, "entry")
        _sub(entry, "id", _urn(key))
        _sub(entry, "title", title)
        _sub(entry, "link", rel="alternate", type="text/html", href=paths.href(paths.FEED, page))
        _sub(entry, "updated", datetime(day.year, day.month, day.day, tzinfo=VIETNAM).isoformat())
        _sub(entry, "summary", summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
