"""What an appendix table prints, shape by shape: columns, header rows, rows, spans and blocks.

Every shape's ``view`` returns a :class:`TableView`; ``templates/pdf/_table.html.j2`` prints it (the
header rows repeat on every page, a block of rows stays on one page when it fits). :class:`GroupHeader`
is the model of a group row the shapes share; like the shapes, this module is imported after
:mod:`planpub.model` (which loads the shapes while it is imported).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Area, Model

#: a block of more rows than this (the rows a merged cell covers, when it covers many) may break
#: between its rows: kept whole, it would leave most of a page empty before it (CHOICE)
LONG_BLOCK_ROWS = 8


class GroupHeader(Model):
    """A group of a shape's rows: its reform area, and the label ("I", "1") and title of its group row.

    A shape's group subclasses it and adds its rows after these fields (pydantic puts a base class's
    fields first)."""

    area: Area
    label: Optional[str] = None
    title: Optional[str] = None


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    rowspan: int = 1
    kind: str = ""                  # a CSS class: number, text, list, agencies, deadline, value, money
    colspan: int = 1


@dataclass
class Row:
    """A table row: a group row (label, title) spanning the table, or a row of cells."""

    group: Optional[tuple[str, str]] = None
    cells: list[Cell] = field(default_factory=list)
    level: int = 1                  # a group row's level: 1 (I, II …) or 2 (1, 2 … under it)
    kind: str = ""                  # a CSS class of the row: "total"


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    key: str = ""                   # the column it heads (a cell over several columns: "")


@dataclass
class TableView:
    columns: list[tuple[str, str]]              # (key, header text), one per column
    blocks: list[list[Row]]                     # rows kept on one page when they fit (a <tbody> each)
    widths: dict[str, str] = field(default_factory=dict)   # column key -> CSS width ("4%")
    header: Optional[list[list[HeaderCell]]] = None        # header rows; None: one row of `columns`

    def __iter__(self):  # (columns, blocks), as the view of a shape was before it had more
        return iter((self.columns, self.blocks))

    @property
    def header_rows(self) -> list[list[HeaderCell]]:
        if self.header is not None:
            return self.header
        return [[HeaderCell(text, key=key) for key, text in self.columns]]


def lines(text: Optional[str]) -> list[str]:
    """A cell's paragraphs: one per line of the source text."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def task_cells(task) -> dict[str, Cell]:
    return {
        "content": Cell(lines(task.content), kind="text"),
        "deliverables": Cell([f"- {d}" for d in task.deliverables], kind="list"),
        "lead": Cell([a.label for a in task.lead], kind="agencies"),
        "support": Cell([a.label for a in task.support], kind="agencies"),
        "deadline": Cell(lines(task.deadline.text if task.deadline else None), kind="deadline"),
        "budget": Cell(lines(task.budget), kind="text"),
    }


class Blocks(list):
    """Rows in blocks that stay on one page when they fit: the rows of one item (an objective with
    its activities spanned by its cells), and a group row with the first item after it.

    :meth:`done` joins the last item to the one before it, so that the table's last page never
    holds a lone row that could have moved (a widow row): the page break, if one falls there, comes
    before the two."""

    def __init__(self):
        super().__init__()
        self._group_open = False

    def group(self, row: Row) -> None:
        self.append([row])
        self._group_open = True

    def item(self, rows: list[Row]) -> None:
        if self._group_open:
            self[-1].extend(rows)
            self._group_open = False
        else:
            self.append(list(rows))

    def done(self) -> "Blocks":
        if len(self) >= 2 and len(self[-1]) == 1:
            last = self.pop()
            self[-1].extend(last)
        return self
