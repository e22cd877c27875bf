"""``shape: indicator_matrix``: indicators × years. Every indicator is a target (chỉ tiêu)."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import BeforeValidator, Field

from ..model import (PERIOD_MAX_YEARS, AgencyRefs, Area, Mapping, Model, RowNumber, Target, Year,
                     _strip_pos)
from . import Shape
from ._table import Blocks, Cell, Row, TableView, lines

#: column widths in % of the landscape text block (CHOICE)
WIDTHS = {"number": "4%", "name": "40%", "year": "6.5%", "lead": "17%"}


class Indicator(Model):
    number: RowNumber
    name: str
    values: Annotated[dict[Year, str], BeforeValidator(_strip_pos)] = {}
    lead: AgencyRefs = []


class IndicatorGroup(Model):
    # not a _table.GroupHeader: its area is optional and comes after label and title (a base
    # class's fields would come first, and change the order of plans.json's schema)
    label: Optional[str] = None
    title: Optional[str] = None
    area: Optional[Area] = None
    indicators: list[Indicator]


class IndicatorMatrix(Model):
    shape: Literal["indicator_matrix"]
    columns: Mapping
    years: Annotated[list[Year], Field(max_length=PERIOD_MAX_YEARS + 1)]
    groups: list[IndicatorGroup]


def items(appendix_id: str, content: IndicatorMatrix) -> list:
    found = []
    for gi, group in enumerate(content.groups, 1):
        for ind in group.indicators:
            target = Target(
                number=ind.number, name=ind.name, lead=[r.model_dump() for r in ind.lead], area=group.area,
                group=group.title,
                values=[{"period": str(y), "value_text": v} for y, v in sorted(ind.values.items())])
            target.pos = ind.pos
            found.append((target, f"{appendix_id}-{gi}-{ind.number}", False))
    return found


def check(content: IndicatorMatrix, report, check_numbers) -> None:
    check_numbers([[(i.number, i) for i in g.indicators] for g in content.groups], "chỉ tiêu", "indicator", report)
    for g in content.groups:
        for ind in g.indicators:
            extra = set(ind.values) - set(content.years)
            if extra:
                report.error(ind.source_file, ind.line_of("values"), "indicator-year",
                             f"Chỉ tiêu {ind.number} có giá trị cho năm {sorted(extra)} không có trong `years`.",
                             f"Các năm của bảng: {content.years}.")


def view(content: IndicatorMatrix) -> TableView:
    columns = ([("number", content.columns.get("number", "")), ("name", content.columns.get("name", ""))]
               + [("year", str(y)) for y in content.years] + [("lead", content.columns.get("lead", ""))])
    blocks = Blocks()
    for group in content.groups:
        if group.label is not None or group.title:
            blocks.group(Row(group=(group.label or "", group.title or "")))
        for ind in group.indicators:
            blocks.item([Row(cells=[Cell([str(ind.number)], kind="number"), Cell(lines(ind.name), kind="text"),
                                    *(Cell(lines(ind.values.get(y)), kind="value") for y in content.years),
                                    Cell([a.label for a in ind.lead], kind="agencies")])])
    return TableView(columns, blocks.done(), WIDTHS)


SHAPE = Shape("indicator_matrix", IndicatorMatrix, "bảng chỉ tiêu theo năm", view, items, check)
