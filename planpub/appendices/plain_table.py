"""``shape: plain_table``: a plain table written cell by cell (a report's appendix: the progress of
every commitment, the actual value of every target). No commitments."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

from ..model import Mapping, Model, _strip_pos
from . import Shape
from ._table import Blocks, Cell, Row, TableView, lines

#: column widths of a report's two tables, in % of the landscape text block (CHOICE)
WIDTHS = {"number": "4%", "content": "24%", "lead": "12%", "deadline": "9%", "status": "10%", "result": "27%",
          "note": "14%", "name": "36%", "planned": "15%", "actual": "15%", "source": "30%"}


def _cells(v):
    return {k: "" if x is None else str(x) for k, x in _strip_pos(v).items()} if isinstance(v, dict) else v


class Table(Model):
    """A plain table, written cell by cell (a report's appendix: the progress of every commitment,
    the actual value of every target). ``columns`` in order, key → header; each row maps keys to text."""

    shape: Literal["plain_table"]
    columns: Mapping
    rows: list[Annotated[dict[str, str], BeforeValidator(_cells)]] = []

    @model_validator(mode="after")
    def _known_columns(self):
        for row in self.rows:
            extra = set(row) - set(self.columns)
            if extra:
                raise PydanticCustomError("table_column", "Ô `{key}` không có trong `columns`.",
                                          {"key": min(extra)})
        return self


def view(content: Table) -> TableView:
    """One row per row, cells as written, a line per paragraph."""
    columns = list(content.columns.items())
    blocks = Blocks()
    for row in content.rows:
        blocks.item([Row(cells=[Cell(lines(row.get(key)), kind="number" if key == "number" else "text")
                                for key, _ in columns])])
    return TableView(columns, blocks.done(), {k: w for k, w in WIDTHS.items() if k in content.columns})


SHAPE = Shape("plain_table", Table, "bảng ghi từng ô", view)
