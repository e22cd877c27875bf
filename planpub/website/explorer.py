"""The commitments explorer: the facets of every commitment, and the lists pre-rendered per facet.

Without JavaScript a reader follows a facet link to a pre-rendered list; with it, the explorer
page filters its own list in place and keeps the filter in the URL (``?linh-vuc=procedures&q=…``).
The facet names are the URL parameters and the folders of the pre-rendered lists.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import model, progress
from . import paths, words
from .catalog import Catalog

FACETS: dict[str, str] = {
    "xa": "Xã",
    "ke-hoach": "Kế hoạch",
    "linh-vuc": "Lĩnh vực",
    "co-quan": "Cơ quan chủ trì",
    "nam": "Năm của thời hạn",
    "quy": "Quý của thời hạn",
    "loai": "Loại thời hạn",
    "tinh-trang": "Tình trạng",
}


@dataclass
class FacetValue:
    facet: str
    value: str
    label: str
    page: str            # docs path of its pre-rendered list
    tasks: list          # [model.Task], in deadline order


def task_facets(cat: Catalog, doc: model.Document, task: model.Task) -> dict[str, list[str]]:
    """The values of each facet for one commitment (a commitment may have several of one facet)."""
    return {
        "xa": [doc.commune],
        "ke-hoach": [doc.id],
        "linh-vuc": [task.area] if task.area else [],
        "co-quan": sorted({f"{doc.commune}/{r.agency}" for r in task.lead}),
        "nam": [str(y) for y in cat.years(task)],
        "quy": cat.quarters(task),
        "loai": [task.deadline.kind if task.deadline else "unknown"],
        "tinh-trang": [progress.task_progress(doc, task, cat.as_of).status],
    }


def _label(cat: Catalog, facet: str, value: str) -> str:
    if facet == "xa":
        c = cat.communes[value]
        return f"{c.kind.capitalize()} {c.name}"
    if facet == "ke-hoach":
        d = cat.docs[value]
        return f"{cat.communes[d.commune].name}: {words.short(d.subject, 70)}"
    if facet == "linh-vuc":
        return words.AREA_NAMES[value]
    if facet == "co-quan":
        commune, agency = value.split("/")
        return f"{cat.agency(commune, agency).name} ({cat.communes[commune].name})"
    if facet == "nam":
        return f"Năm {value}"
    if facet == "quy":
        return words.quarter_label(value)
    if facet == "loai":
        return words.KIND_NAMES[value]
    if facet == "tinh-trang":
        return progress.STATUSES[value]
    raise KeyError(facet)


def _order(cat: Catalog, facet: str, values: list[str]) -> list[str]:
    if facet == "linh-vuc":
        return [a for a in words.AREAS if a in values]
    if facet == "loai":
        return [k for k in words.KINDS if k in values]
    if facet == "tinh-trang":
        return [k for k in progress.STATUSES if k in values]
    if facet == "xa":
        return [c for c in cat.communes if c in values]
    if facet == "ke-hoach":
        return [d.id for d in cat.documents if d.id in values]
    if facet == "co-quan":
        return sorted(values, key=lambda v: _label(cat, facet, v))
    return sorted(values)


def _page(facet: str, value: str) -> str:
    if facet == "co-quan":  # the agency's own page lists what it leads
        commune, agency = value.split("/")
        return paths.agency_page(commune, agency)
    return paths.facet_page(facet, value)


def facet_values(cat: Catalog) -> dict[str, list[FacetValue]]:
    """Every value of every facet that at least one commitment has, with its commitments."""
    found: dict[str, dict[str, list[model.Task]]] = {f: {} for f in FACETS}
    for doc, task in cat.tasks:
        for facet, values in task_facets(cat, doc, task).items():
            for v in values:
                found[facet].setdefault(v, []).append(task)
    return {facet: [FacetValue(facet, v, _label(cat, facet, v), _page(facet, v), cat.by_deadline(found[facet][v]))
                    for v in _order(cat, facet, list(found[facet]))]
            for facet in FACETS}


#: facets whose values grow with the number of communes (one per commune, plan, agency)
PER_COMMUNE = ("xa", "ke-hoach", "co-quan")


def facets_on(cat: Catalog, facets: dict[str, list[FacetValue]], items: list) -> dict[str, list[FacetValue]]:
    """The facets an explorer page offers, for its commitments ``items`` ((document, task) pairs):
    every value of a facet whose values are bounded (area, year, quarter, kind, status), and of a
    facet that grows with the communes (:data:`PER_COMMUNE`) only the values these commitments have,
    so that no page grows with the number of communes."""
    present: dict[str, set[str]] = {f: set() for f in PER_COMMUNE}
    for doc, task in items:
        present["xa"].add(doc.commune)
        present["ke-hoach"].add(doc.id)
        present["co-quan"].update(f"{doc.commune}/{r.agency}" for r in task.lead)
    return {f: [fv for fv in values if f not in present or fv.value in present[f]] for f, values in facets.items()}
