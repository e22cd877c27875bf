"""``shape: framework``: objective → task → activities, with a budget column. Every activity is a
commitment; objective and task cells span their activities (the source's merged cells)."""
from __future__ import annotations

from typing import Literal

from ..model import Mapping, Model, RowNumber, Task
from . import Shape
from ._table import Blocks, Cell, GroupHeader, Row, TableView, lines, task_cells

KEYS = ["number", "objective", "task", "activity", "deliverables", "lead", "support", "deadline", "budget"]
#: column widths in % of the landscape text block (CHOICE)
WIDTHS = {"number": "4%", "objective": "11%", "task": "12%", "activity": "16%", "deliverables": "13%",
          "lead": "10%", "support": "11%", "deadline": "10%", "budget": "13%"}


class FrameworkTask(Model):
    task: str
    activities: list[Task]


class Objective(Model):
    number: RowNumber
    objective: str
    tasks: list[FrameworkTask]


class FrameworkGroup(GroupHeader):
    objectives: list[Objective]


class Framework(Model):
    shape: Literal["framework"]
    columns: Mapping
    groups: list[FrameworkGroup]


def items(appendix_id: str, content: Framework) -> list:
    """Each activity is one commitment; its default id is ``<appendix>-<group>-<objective>-<n>``."""
    found = []
    for gi, group in enumerate(content.groups, 1):
        for objective in group.objectives:
            k = 0
            for ftask in objective.tasks:
                for t in ftask.activities:
                    k += 1
                    t.area = t.area or group.area
                    t.objective, t.objective_number, t.parent_task = objective.objective, objective.number, ftask.task
                    t.number = t.number if t.number is not None else objective.number
                    found.append((t, f"{appendix_id}-{gi}-{objective.number}-{k}", t.id is not None))
    return found


def check(content: Framework, report, check_numbers) -> None:
    check_numbers([[(o.number, o) for o in g.objectives] for g in content.groups], "mục tiêu", "objective", report)


def view(content: Framework) -> TableView:
    columns = [(k, content.columns.get(k, "")) for k in KEYS]
    blocks = Blocks()
    for group in content.groups:
        if group.label is not None:
            blocks.group(Row(group=(group.label, group.title or "")))
        for objective in group.objectives:
            n_objective = sum(len(t.activities) for t in objective.tasks)
            first_of_objective = True
            rows: list[Row] = []
            for ftask in objective.tasks:
                for i, activity in enumerate(ftask.activities):
                    cells = task_cells(activity)
                    row: list[Cell] = []
                    if first_of_objective:
                        row.append(Cell([str(objective.number)], rowspan=n_objective, kind="number"))
                        row.append(Cell(lines(objective.objective), rowspan=n_objective, kind="text"))
                        first_of_objective = False
                    if i == 0:
                        row.append(Cell(lines(ftask.task), rowspan=len(ftask.activities), kind="text"))
                    row.append(Cell(lines(activity.content), kind="text"))
                    row.extend(cells[k] for k in ("deliverables", "lead", "support", "deadline", "budget"))
                    rows.append(Row(cells=row))
            blocks.item(rows)
    return TableView(columns, blocks.done(), WIDTHS)


def task_groups(content: Framework) -> list:
    return [(g.label, g.title, [t for o in g.objectives for ft in o.tasks for t in ft.activities])
            for g in content.groups]


SHAPE = Shape("framework", Framework, "khung mục tiêu, nhiệm vụ, hoạt động", view, items, check, task_groups)
