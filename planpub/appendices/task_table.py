"""``shape: task_table``: tasks grouped by reform area (TT, content, deliverables, lead, support,
deadline). Every row is a commitment."""
from __future__ import annotations

from typing import Literal

from ..model import Mapping, Model, Task
from . import Shape
from ._table import Blocks, Cell, GroupHeader, Row, TableView, task_cells

KEYS = ["number", "content", "deliverables", "lead", "support", "deadline"]
#: column widths in % of the 262 mm landscape text block (CHOICE: ND30 leaves them open)
WIDTHS = {"number": "4%", "content": "32%", "deliverables": "20%", "lead": "15%", "support": "15%",
          "deadline": "14%"}


class TaskGroup(GroupHeader):
    tasks: list[Task]


class TaskTable(Model):
    shape: Literal["task_table"]
    columns: Mapping
    groups: list[TaskGroup]


def items(appendix_id: str, content: TaskTable) -> list:
    found = []
    for group in content.groups:
        for t in group.tasks:
            t.area = t.area or group.area
            found.append((t, f"{appendix_id}-{t.number}", t.id is not None))
    return found


def check(content: TaskTable, report, check_numbers) -> None:
    check_numbers([[(t.number, t) for t in g.tasks] for g in content.groups], "nhiệm vụ", "task", report)


def view(content: TaskTable) -> TableView:
    columns = [(k, content.columns.get(k, "")) for k in KEYS]
    blocks = Blocks()
    for group in content.groups:
        if group.label is not None:
            blocks.group(Row(group=(group.label, group.title or "")))
        for task in group.tasks:
            cells = task_cells(task)
            blocks.item([Row(cells=[Cell([str(task.number) if task.number is not None else ""], kind="number"),
                                    *(cells[k] for k in KEYS[1:])])])
    return TableView(columns, blocks.done(), WIDTHS)


def task_groups(content: TaskTable) -> list:
    return [(g.label, g.title, g.tasks) for g in content.groups]


SHAPE = Shape("task_table", TaskTable, "bảng nhiệm vụ theo lĩnh vực", view, items, check, task_groups)
