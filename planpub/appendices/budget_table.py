"""``shape: budget_table``: amounts (kinh phí) by source (ngân sách trung ương, tỉnh, xã, xã hội
hóa …) and by year, with each row's total and the table's total row, as the source prints them.

The checker adds them up: every stated total (a row's, by source and by year; the total row's, per
column) that differs from its sum is the error ``[budget-total]`` at its line, with both values.
Amounts are written as YAML numbers (``1234.5``) or the Vietnamese way (``"1.234,5"``); the PDF and
the pages print them the Vietnamese way (1.234,5), ``plans.json`` as plain numbers.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Optional

from pydantic import BeforeValidator, Field, PlainSerializer
from pydantic_core import PydanticCustomError

from ..model import PERIOD_MAX_YEARS, Mapping, Model, Year, _strip_pos
from . import Shape
from ._table import Blocks, Cell, HeaderCell, Row, TableView, lines

_VIETNAMESE = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


def read_amount(value: Any) -> Any:
    """``1234.5`` (a YAML number) or ``"1.234,5"`` (dots between thousands, a decimal comma)."""
    if isinstance(value, bool):
        raise PydanticCustomError("amount_form", "Số tiền phải là một số.")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if _VIETNAMESE.match(text):
            try:
                return Decimal(text.replace(".", "").replace(",", "."))
            except InvalidOperation:
                pass
        raise PydanticCustomError("amount_form", "Số tiền “{value}” không đọc được.", {"value": value})
    return value


Amount = Annotated[Decimal, BeforeValidator(read_amount),
                   PlainSerializer(lambda d: int(d) if d == d.to_integral_value() else float(d),
                                   return_type=float, when_used="json")]


def money(value: Optional[Decimal]) -> str:
    """``1.234,5``: dots between thousands, a decimal comma, no trailing zeros (TCVN, as the plans write it)."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    text = format(abs(value).normalize(), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def _years(v: Any) -> Any:
    return _strip_pos(v) if isinstance(v, dict) else v


class BudgetRow(Model):
    """One item: its amounts by source and by year (each as printed) and its stated total."""

    number: Annotated[Optional[str], BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)] = None
    content: str
    total: Optional[Amount] = Field(default=None, description="the row's total as printed")
    by_source: Annotated[dict[str, Amount], BeforeValidator(_strip_pos)] = Field(
        default={}, description="source key (see `sources`) -> amount")
    by_year: Annotated[dict[Year, Amount], BeforeValidator(_years)] = Field(default={}, description="year -> amount")
    note: Optional[str] = None


class BudgetTotal(Model):
    """The table's total row ("Tổng cộng") as printed."""

    label: str = "Tổng cộng"
    total: Optional[Amount] = None
    by_source: Annotated[dict[str, Amount], BeforeValidator(_strip_pos)] = {}
    by_year: Annotated[dict[Year, Amount], BeforeValidator(_years)] = {}


class BudgetTable(Model):
    shape: Literal["budget_table"]
    unit: str = Field(default="triệu đồng", description="as the source writes it: 'triệu đồng', 'đồng'")
    columns: Mapping = Field(description="headers: number, content, total, by_source, by_year, note")
    sources: Mapping = Field(description="in order: source key -> header ('Ngân sách trung ương')")
    years: Annotated[list[Year], Field(max_length=PERIOD_MAX_YEARS + 1)] = []
    rows: list[BudgetRow]
    total_row: Optional[BudgetTotal] = Field(default=None, description="the total row as printed")

    def money(self, value: Optional[Decimal]) -> str:
        return money(value)

    def sums(self) -> dict:
        """The column sums of the rows: by source, by year, and of the rows' totals."""
        return {"by_source": {k: sum((r.by_source.get(k, Decimal(0)) for r in self.rows), Decimal(0))
                              for k in self.sources},
                "by_year": {y: sum((r.by_year.get(y, Decimal(0)) for r in self.rows), Decimal(0)) for y in self.years},
                "total": sum((r.total if r.total is not None else sum(r.by_source.values(), Decimal(0))
                              for r in self.rows), Decimal(0))}


def _wrong(report, item, key: str, what: str, stated: Decimal, expected: Decimal, unit: str, sum_of: str) -> None:
    report.error(item.source_file, item.line_of(key), "budget-total",
                 f"{what} ghi {money(stated)} {unit}, nhưng cộng {sum_of} được {money(expected)} {unit}.",
                 f"Đối chiếu từng số với văn bản gốc: nếu chép nhầm, sửa lại cho đúng bản gốc; nếu chính bản gốc "
                 f"cộng sai, ghi {money(expected)} và ghi số của bản gốc vào `corrections:` của document.yaml.",
                 item.pos.column_of(key) if item.pos else 1)


def check(content: BudgetTable, report, check_numbers) -> None:
    unit = content.unit
    for row in content.rows:
        name = f"Dòng {row.number}" if row.number else f"Dòng “{row.content[:40]}”"
        for key in row.by_source:
            if key not in content.sources:
                report.error(row.source_file, row.line_of("by_source"), "budget-source",
                             f"{name}: nguồn `{key}` không có trong `sources`.",
                             "Các nguồn của bảng: " + ", ".join(f"`{k}`" for k in content.sources) + ".")
        for year in row.by_year:
            if year not in content.years:
                report.error(row.source_file, row.line_of("by_year"), "budget-year",
                             f"{name}: năm {year} không có trong `years`.", f"Các năm của bảng: {content.years}.")
        if row.total is None:
            continue
        if row.by_source and sum(row.by_source.values()) != row.total:
            _wrong(report, row, "total", f"{name}: tổng kinh phí", row.total, sum(row.by_source.values()), unit,
                   "các nguồn")
        if row.by_year and sum(row.by_year.values()) != row.total:
            _wrong(report, row, "total", f"{name}: tổng kinh phí", row.total, sum(row.by_year.values()), unit,
                   "các năm")
    total = content.total_row
    if total is None:
        return
    sums = content.sums()
    for key, stated in total.by_source.items():
        if key in sums["by_source"] and stated != sums["by_source"][key]:
            _wrong(report, total, "by_source", f"Dòng {total.label}: {content.sources[key]}", stated,
                   sums["by_source"][key], unit, "các dòng")
    for year, stated in total.by_year.items():
        if year in sums["by_year"] and stated != sums["by_year"][year]:
            _wrong(report, total, "by_year", f"Dòng {total.label}: năm {year}", stated, sums["by_year"][year], unit,
                   "các dòng")
    if total.total is not None and total.total != sums["total"]:
        _wrong(report, total, "total", f"Dòng {total.label}: tổng kinh phí", total.total, sums["total"], unit,
               "các dòng")


#: column widths in % of the landscape text block (CHOICE): the amounts share what TT, content,
#: total and note leave
WIDTHS = {"number": 4, "content": 30, "total": 9, "note": 12}


def _columns(content: BudgetTable) -> list[tuple[str, str]]:
    head = content.columns
    return ([("number", head.get("number", "TT")), ("content", head.get("content", "Nội dung")),
             ("total", head.get("total", "Tổng kinh phí"))]
            + [("source", text) for text in content.sources.values()]
            + [("year", str(y)) for y in content.years]
            + ([("note", head["note"])] if "note" in head else []))


def view(content: BudgetTable) -> TableView:
    """Two header rows: TT, content, total and note span both; "by source" and "by year" head their
    columns. The total row closes the table, bold."""
    columns = _columns(content)
    head = content.columns
    first = [HeaderCell(head.get("number", "TT"), rowspan=2, key="number"),
             HeaderCell(head.get("content", "Nội dung"), rowspan=2, key="content"),
             HeaderCell(f"{head.get('total', 'Tổng kinh phí')} ({content.unit})", rowspan=2, key="total")]
    second = []
    if content.sources:
        first.append(HeaderCell(head.get("by_source", "Chia theo nguồn"), colspan=len(content.sources)))
        second += [HeaderCell(text, key="source") for text in content.sources.values()]
    if content.years:
        first.append(HeaderCell(head.get("by_year", "Chia theo năm"), colspan=len(content.years)))
        second += [HeaderCell(str(y), key="year") for y in content.years]
    if "note" in head:
        first.append(HeaderCell(head["note"], rowspan=2, key="note"))
    amounts = len(content.sources) + len(content.years)
    left = 100 - sum(w for k, w in WIDTHS.items() if k != "note" or "note" in head)
    widths = {k: f"{w}%" for k, w in WIDTHS.items() if k != "note" or "note" in head}
    if amounts:
        widths["source"] = widths["year"] = f"{left / amounts:.2f}%"

    def amount_cells(by_source: dict, by_year: dict) -> list[Cell]:
        return ([Cell([money(by_source.get(k))] if k in by_source else [], kind="money") for k in content.sources]
                + [Cell([money(by_year.get(y))] if y in by_year else [], kind="money") for y in content.years])

    blocks = Blocks()
    for row in content.rows:
        cells = [Cell([row.number or ""], kind="number"), Cell(lines(row.content), kind="text"),
                 Cell([money(row.total)] if row.total is not None else [], kind="money"),
                 *amount_cells(row.by_source, row.by_year)]
        if "note" in head:
            cells.append(Cell(lines(row.note), kind="text"))
        blocks.item([Row(cells=cells)])
    if content.total_row is not None:
        t = content.total_row
        cells = [Cell([t.label], colspan=2, kind="text"),
                 Cell([money(t.total)] if t.total is not None else [], kind="money"),
                 *amount_cells(t.by_source, t.by_year)]
        if "note" in head:
            cells.append(Cell([], kind="text"))
        blocks.item([Row(cells=cells, kind="total")])
    return TableView(columns, blocks.done(), widths, header=[first, second] if second else [first])


SHAPE = Shape("budget_table", BudgetTable, "bảng kinh phí theo nguồn và theo năm", view, check=check)
