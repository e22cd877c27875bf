"""``shape: general_table``: a table whose columns the file declares (any header text, a "Ghi chú"
column …), with sub-numbered rows (1.1, 1.2), two levels of group rows and merged cells.

A row that names what is to be done (``content``), a lead agency (``lead``) and a deadline
(``deadline``), itself or through a merged cell above it, is a commitment, like a row of a
``task_table``: it has its page, and is in the CSVs, the calendars and the counts.
"""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional

from pydantic import BeforeValidator, Field, PrivateAttr, ValidationInfo, model_validator

from ..model import AgencyRefs, Area, DeadlineField, Mapping, Model, Task, _as_list, _strip_pos
from . import Shape
from ._table import Blocks, Cell, Row, TableView, lines

#: keys with a meaning: what a commitment is made of (the others are text cells, as written)
TASK_KEYS = ("number", "content", "deliverables", "lead", "support", "deadline")
#: keys of a row that are not cells
ROW_KEYS = ("group", "subgroup", "title", "area", "id", "rowspan", "colspan")
#: a number as printed: 1, 1.1, 1.2.3 (a, b … and Roman numerals are group labels)
NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Spans = Annotated[dict[str, Annotated[int, Field(ge=1, le=1000)]], BeforeValidator(_strip_pos)]


class GeneralRow(Model):
    """A row: a group row (``group: I`` or ``subgroup: "1"``, with ``title``), or a row of cells,
    one per column key; ``rowspan`` / ``colspan`` merge a cell with the cells below / to its right."""

    group: Optional[str] = Field(default=None, description="a group row of the first level: its label (I, II …)")
    subgroup: Optional[str] = Field(default=None, description="a group row of the second level: its label (1, 2 …)")
    title: Optional[str] = Field(default=None, description="a group row's title")
    area: Optional[Area] = None
    id: Optional[str] = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$",
                              description="a commitment's stable id; default <appendix>-<number>")
    number: Annotated[Optional[str], BeforeValidator(_text)] = None
    content: Optional[str] = None
    deliverables: Annotated[list[str], BeforeValidator(_as_list)] = []
    lead: AgencyRefs = []
    support: AgencyRefs = []
    deadline: DeadlineField = None
    cells: dict[str, str] = Field(default={}, description="the other columns' cells, as written (key -> text)")
    rowspan: Spans = Field(default={}, description="column key -> number of rows its cell covers")
    colspan: Spans = Field(default={}, description="column key -> number of columns its cell covers")

    @model_validator(mode="before")
    @classmethod
    def _cells(cls, data: Any, info: ValidationInfo) -> Any:
        """Keys that are not fields are the cells of the file's own columns (``note: …``)."""
        if isinstance(data, dict):
            known = set(cls.model_fields) | {"__pos__"}
            cells = {k: "" if v is None else _text(v) for k, v in data.items() if k not in known}
            if cells:
                data = {k: v for k, v in data.items() if k in known}
                data["cells"] = {**(data.get("cells") or {}), **cells}
        return data

    @property
    def is_group(self) -> bool:
        return self.group is not None or self.subgroup is not None

    def keys(self) -> list[str]:
        """The columns this row writes a cell for."""
        written = [k for k in TASK_KEYS if getattr(self, k) not in (None, [], "")]
        return written + list(self.cells)


class GeneralTable(Model):
    shape: Literal["general_table"]
    columns: Mapping = Field(description="in order: key -> header text as written")
    widths: Annotated[dict[str, Annotated[float, Field(gt=0, le=100)]], BeforeValidator(_strip_pos)] = Field(
        default={}, description="column key -> width in % of the table (default: shared, content twice)")
    rows: list[GeneralRow]
    _tasks: dict = PrivateAttr(default_factory=dict)  # id(row) -> its commitment (set by items())

    def task_of(self, row: GeneralRow) -> Optional[Task]:
        """The commitment a row is, if it is one."""
        return self._tasks.get(id(row))


def _layout(content: GeneralTable):
    """Each row with the cells it prints, and what it holds through merged cells above it.

    Yields (row, printed keys, inherited {key: row above}) for every row."""
    keys = list(content.columns)
    below: dict[str, tuple[GeneralRow, int]] = {}  # key -> (row that merges it, rows still covered)
    for row in content.rows:
        covered = {k: r for k, (r, n) in below.items() if n > 0}
        printed = []
        skip = 0
        for i, key in enumerate(keys):
            if skip:
                skip -= 1
                continue
            if key in covered:
                continue
            printed.append(key)
            skip = row.colspan.get(key, 1) - 1
        yield row, printed, covered
        below = {k: (r, n - 1) for k, (r, n) in below.items() if n > 1}
        for key, n in row.rowspan.items():
            if n > 1:
                below[key] = (row, n - 1)


def _value(row: GeneralRow, key: str, inherited: dict) -> Any:
    own = getattr(row, key, None) if key in TASK_KEYS else row.cells.get(key)
    if own not in (None, [], "") or key not in inherited:
        return own
    return getattr(inherited[key], key, None) if key in TASK_KEYS else inherited[key].cells.get(key)


def _section(labels: list[Optional[str]], number: Optional[str]) -> Optional[str]:
    """Where a row sits: group I, row 1.1 → ``I.1.1``."""
    parts = [p.rstrip(".") for p in [*labels, number] if p]
    return ".".join(parts) or None


def _slug(label: Optional[str]) -> str:
    """A group label in an id: ``II`` → ``ii`` (nothing for a label that is not letters and digits)."""
    text = (label or "").strip().rstrip(".").lower()
    return text if re.fullmatch(r"[a-z0-9]+", text) else ""


def items(appendix_id: str, content: GeneralTable) -> list:
    """Rows with content, a lead and a deadline (their own or a merged cell's) are commitments; the
    default id is ``<appendix>-<number>`` (1.1 → ``pl-1-1``), ``<appendix>-r<row>`` without one."""
    found = []
    group: Optional[GeneralRow] = None
    for k, (row, _, inherited) in enumerate(_layout(content), 1):
        if row.group is not None:
            group = row
            continue
        if row.is_group:
            continue
        lead, deadline, text = _value(row, "lead", inherited), _value(row, "deadline", inherited), row.content
        if not (text and lead and deadline):
            continue
        number = (row.number or "").rstrip(".")
        task = Task(content=text, number=int(number) if number.isdigit() else None,
                    area=row.area or (group.area if group else None),
                    deliverables=_value(row, "deliverables", inherited) or [],
                    lead=[r.model_dump() for r in lead],
                    support=[r.model_dump() for r in _value(row, "support", inherited) or []],
                    deadline=deadline, source_section=_section([group.group if group else None], row.number))
        task.pos = row.pos
        if row.id:
            task.id = row.id
        prefix = appendix_id + (f"-{_slug(group.group)}" if group is not None and _slug(group.group) else "")
        default = f"{prefix}-{number.replace('.', '-')}" if NUMBER.match(number or "x") else f"{appendix_id}-r{k}"
        content._tasks[id(row)] = task
        found.append((task, default, row.id is not None))
    return found


def check(content: GeneralTable, report, check_numbers) -> None:
    """Cells of declared columns only, spans inside the table, no cell under a merged one, and
    numbers that run 1, 2 … and 1.1, 1.2 … under each number."""
    keys = list(content.columns)
    for key in content.widths:
        if key not in content.columns:
            report.error(content.source_file, content.line_of("widths"), "table-column",
                         f"Độ rộng cho cột `{key}` không có trong `columns`.",
                         "Các cột của bảng: " + ", ".join(f"`{k}`" for k in keys) + ".")
    rows_left = len(content.rows)
    for row, printed, covered in _layout(content):
        if row.is_group and covered:
            key, above = next(iter(covered.items()))
            report.error(row.source_file, row.line_of(), "table-span",
                         f"Dòng nhóm nằm trong ô `{key}` đã gộp từ dòng {above.line_of('rowspan')} phía trên.",
                         "Ô gộp chỉ phủ các dòng trong cùng một nhóm: sửa `rowspan:` của ô trên.")
        for key in row.keys():
            if key not in content.columns:
                report.error(row.source_file, row.line_of(key), "table-column",
                             f"Ô `{key}` không có trong `columns`.",
                             "Các cột của bảng: " + ", ".join(f"`{k}`" for k in keys)
                             + ". Thêm cột vào `columns:` hoặc sửa tên ô.", _col(row, key))
            elif key in covered:
                report.error(row.source_file, row.line_of(key), "table-span",
                             f"Ô `{key}` đã được gộp với ô ở dòng {covered[key].line_of('rowspan')} phía trên.",
                             "Bỏ ô này (ô gộp in một lần cho các dòng nó phủ), hoặc sửa `rowspan:` của ô trên.",
                             _col(row, key))
        for span, limit in (("rowspan", rows_left), ("colspan", None)):
            for key, n in getattr(row, span).items():
                if key not in content.columns:
                    report.error(row.source_file, row.line_of(span), "table-column",
                                 f"`{span}` nói đến cột `{key}` không có trong `columns`.",
                                 "Các cột của bảng: " + ", ".join(f"`{k}`" for k in keys) + ".")
                elif limit is not None and n > limit:
                    report.error(row.source_file, row.line_of(span), "table-span",
                                 f"Ô `{key}` gộp {n} dòng nhưng bảng chỉ còn {limit} dòng kể từ dòng này.",
                                 f"Sửa thành `{span}: {{{key}: {limit}}}` hoặc ít hơn.")
                elif limit is None and keys.index(key) + n > len(keys):
                    report.error(row.source_file, row.line_of(span), "table-span",
                                 f"Ô `{key}` gộp {n} cột nhưng bên phải nó chỉ còn {len(keys) - keys.index(key)} cột.",
                                 "Sửa số cột gộp cho vừa bảng.")
        rows_left -= 1
    # numbering: 1, 2, 3 … (again from 1 in a group), and 1.1, 1.2 … under each number
    runs: dict[tuple, list] = {}
    top: list[list] = [[]]
    for row in content.rows:
        if row.is_group:
            if row.group is not None:
                top.append([])
            continue
        number = (row.number or "").rstrip(".")
        if not NUMBER.match(number or "x"):
            continue
        parts = number.split(".")
        if len(parts) == 1:
            top[-1].append((int(parts[0]), row))
        else:
            runs.setdefault((len(top), tuple(parts[:-1])), []).append((int(parts[-1]), row))
    check_numbers([g for g in top if g], "dòng", "row", report)
    for run in runs.values():
        check_numbers([run], "dòng", "row", report)


def _col(row: GeneralRow, key: str) -> int:
    return row.pos.column_of(key) if row.pos else 1


def widths(content: GeneralTable) -> dict[str, str]:
    if content.widths:
        return {k: f"{w:g}%" for k, w in content.widths.items()}
    keys = list(content.columns)
    shares = {k: 0.5 if k == "number" else 2 if k == "content" else 1 for k in keys}
    total = sum(shares.values())
    return {k: f"{100 * s / total:.1f}%" for k, s in shares.items()}


def _cell(row: GeneralRow, key: str) -> Cell:
    value = getattr(row, key) if key in TASK_KEYS else row.cells.get(key)
    if key in ("lead", "support"):
        text, kind = [a.label for a in value], "agencies"
    elif key == "deliverables":
        text, kind = [f"- {d}" for d in value], "list"
    elif key == "deadline":
        text, kind = lines(value.text if value else None), "deadline"
    else:
        text, kind = lines(value), "number" if key == "number" else "text"
    return Cell(text, rowspan=row.rowspan.get(key, 1), colspan=row.colspan.get(key, 1), kind=kind)


def view(content: GeneralTable) -> TableView:
    """Group rows span the table; a merged cell and the rows it covers stay on one page when they fit."""
    blocks = Blocks()
    pending: list[Row] = []
    still = 0  # rows a merged cell still covers: they join the block of the row that merges it
    for row, printed, _ in _layout(content):
        if row.is_group:
            if pending:
                blocks.item(pending)
                pending = []
            blocks.group(Row(group=(row.group or row.subgroup or "", row.title or ""),
                             level=1 if row.group is not None else 2))
            continue
        pending.append(Row(cells=[_cell(row, k) for k in printed]))
        still = max(still - 1, max(row.rowspan.values(), default=1) - 1)
        if still == 0:
            blocks.item(pending)
            pending = []
    if pending:
        blocks.item(pending)
    return TableView(list(content.columns.items()), blocks.done(), widths(content))


def task_groups(content: GeneralTable) -> list:
    """The commitments under each group row of the first level (the loader made them: :func:`items`)."""
    groups: list = []
    for row in content.rows:
        if row.group is not None or not groups:
            groups.append((row.group, row.title, []) if row.group is not None else (None, None, []))
        task = content.task_of(row)
        if task is not None:
            groups[-1][2].append(task)
    return [g for g in groups if g[2]]


SHAPE = Shape("general_table", GeneralTable, "bảng có cột tự khai báo", view, items, check, task_groups)
