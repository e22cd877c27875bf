"""The content model, declared once: commune, agency, document (KH, QĐ), appendix, task, target.

Sources under ``content/`` are validated into these types by :mod:`planpub.load`; every renderer
(website, PDF, open data) reads only these objects. Field names follow ``GLOSSARY.md``.
"""
from __future__ import annotations

import re
from datetime import date as Date
from typing import Annotated, Any, ClassVar, Literal, Optional

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, computed_field,
                      field_validator, model_validator)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from . import numbering, regulation as regulation_parts
from .deadlines import parse_deadline
from .references import parse_reference

Area = Literal["institutions", "procedures", "organisation", "civil_service", "public_finance",
               "digital_government", "direction"]

AREA_NAMES: dict[str, str] = {
    "institutions": "Cải cách thể chế",
    "procedures": "Cải cách thủ tục hành chính",
    "organisation": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "civil_service": "Cải cách chế độ công vụ",
    "public_finance": "Cải cách tài chính công",
    "digital_government": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "direction": "Công tác chỉ đạo, điều hành, tuyên truyền",
}

#: ND30 Phụ lục III's abbreviations; a programme, a regulation (Quy định) or rules (Quy chế) is issued
#: by a decision and attached to it (`attached_to`), like a plan
DOCUMENT_TYPES: dict[str, str] = {"KH": "Kế hoạch", "QĐ": "Quyết định", "BC": "Báo cáo", "CTr": "Chương trình",
                                  "QYĐ": "Quy định", "QC": "Quy chế"}

#: the years a commune's plan can speak of (a date, a period, a column of an indicator table)
YEAR_MIN, YEAR_MAX = 1945, 2100
#: the longest period a plan can cover, in years (a strategy "2021-2030, tầm nhìn 2045")
PERIOD_MAX_YEARS = 30
#: the largest number a row of a table can carry (a 2 MB file holds far fewer rows)
NUMBER_MAX = 100_000

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
RowNumber = Annotated[int, Field(ge=0, le=NUMBER_MAX)]
DOCUMENT_CODES: dict[str, str] = {"KH": "plan", "QĐ": "decision", "BC": "report", "CTr": "programme",
                                  "QYĐ": "regulation", "QC": "regulation"}


class Model(BaseModel):
    """Base of every type read from a source file: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, arbitrary_types_allowed=True,
                              str_strip_whitespace=True)
    pos: SkipJsonSchema[Any] = Field(default=None, alias="__pos__", exclude=True, repr=False)

    # fields the loader fills in; a source file never writes them
    DERIVED: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _no_derived_in_source(cls, data: Any, info: ValidationInfo) -> Any:
        if cls.DERIVED and isinstance(data, dict) and (info.context or {}).get("source"):
            for key in cls.DERIVED:
                if key in data:
                    raise PydanticCustomError("reserved_field", "Trường `{field}` do chương trình tự điền, không ghi trong tệp.",
                                              {"field": key})
        return data

    def line_of(self, key: str | None = None, index: int | None = None) -> int:
        return self.pos.line_of(key, index) if self.pos else 1

    @property
    def source_file(self):
        return self.pos.file if self.pos else None


# --- agencies ---------------------------------------------------------------------------------

class Agency(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="short ASCII id, unique in the commune")
    name: str
    kind: Literal["agency", "group", "external"] = "agency"
    aliases: list[str] = []


class Commune(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    kind: Literal["xã", "phường", "đặc khu", "tỉnh", "thành phố"] = Field(
        default="xã", description="local government since 1/7/2025: a commune (xã, phường, đặc khu) or a "
                                  "province (tỉnh, thành phố trực thuộc trung ương)")
    province: Optional[str] = None
    example: bool = Field(default=False, description="a fictional commune (example data): every page built from it says so")
    agencies: list[Agency]

    @field_validator("agencies")
    @classmethod
    def _unique_ids(cls, agencies: list[Agency]) -> list[Agency]:
        seen = set()
        for a in agencies:
            if a.id in seen:
                raise PydanticCustomError("duplicate_agency", "Mã cơ quan `{id}` bị trùng.", {"id": a.id})
            seen.add(a.id)
        return agencies


class AgencyRef(BaseModel):
    """An agency as the source names it (``text``) and the agency it is (``agency``); in a cell
    that says what each agency answers for, the scope the source prints after it (``scope``)."""

    text: str
    agency: str = Field(description="agency id in the commune")
    scope: Optional[str] = Field(default=None, description="what it answers for, as printed after ':' "
                                                           "('đối với xử lý kết quả …;')")

    @property
    def label(self) -> str:
        """As the source prints it: ``Các phòng, ban: đối với xử lý kết quả …;``."""
        return f"{self.text}: {self.scope}" if self.scope else self.text

    @property
    def joiner(self) -> str:
        """What comes between it and the next agency of its cell: a space after the source's own
        separator (``Các Phòng ban chuyên môn liên quan;``, ``Các Phòng ban chuyên môn,``), else ``; ``."""
        return " " if self.label[-1:] in ";," else "; "


def agencies_text(refs: list[AgencyRef]) -> str:
    """A cell's agencies on one line, with the separators the source printed (or ``; ``)."""
    return "".join(r.label + (r.joiner if i + 1 < len(refs) else "") for i, r in enumerate(refs))


def _resolve_agency(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, AgencyRef) or (isinstance(value, dict) and "text" in value):
        return value
    scope = None
    if isinstance(value, dict):  # {agency: name as written, scope: what it answers for}
        value = _strip_pos(value)
        if set(value) - {"agency", "scope"} or not isinstance(value.get("agency"), str) \
                or not isinstance(value.get("scope", ""), str):
            raise PydanticCustomError("agency_form", "Cơ quan có phạm vi viết dạng `{agency: …, scope: …}` "
                                                     "(tên cơ quan như văn bản ghi, và phạm vi sau dấu “:”).")
        value, scope = value["agency"], (value.get("scope") or "").strip() or None
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError("agency_text", "Tên cơ quan phải là một dòng chữ.")
    index = (info.context or {}).get("agencies")
    if index is None:
        raise PydanticCustomError("no_commune", "Chưa có danh sách cơ quan (commune.yaml).")
    agency = index.resolve(value)
    if agency is None:
        raise PydanticCustomError("unknown_agency", "Không có cơ quan “{name}” trong commune.yaml.",
                                  {"name": value.strip(), "nearest": index.nearest(value)})
    return {"text": value.strip(), "agency": agency.id, "scope": scope}


def _strip_pos(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "__pos__"}
    return value


Mapping = Annotated[dict[str, str], BeforeValidator(_strip_pos)]


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


AgencyRefs = Annotated[list[Annotated[AgencyRef, BeforeValidator(_resolve_agency)]], BeforeValidator(_as_list)]


# --- deadlines --------------------------------------------------------------------------------

class Recurrence(BaseModel):
    freq: Literal["yearly"] = "yearly"
    month: Optional[int] = None
    day: Optional[int] = None
    quarter: Optional[int] = None


class Deadline(BaseModel):
    """A deadline as written and as a meaning (see :mod:`planpub.deadlines`)."""

    text: str
    kind: Literal["range", "recurring", "ongoing", "dependent", "unknown"]
    start: Optional[Date] = None
    end: Optional[Date] = None
    recurrence: Optional[Recurrence] = None
    depends_on: Optional[str] = None


def _read_deadline(value: Any) -> Any:
    if isinstance(value, (int, Date)) and not isinstance(value, bool):  # `deadline: 2026` is a year
        value = str(value) if isinstance(value, int) else f"{value:%d/%m/%Y}"
    if isinstance(value, str):
        return {"text": value.strip(), **parse_deadline(value)}
    return value


DeadlineField = Annotated[Optional[Deadline], BeforeValidator(_read_deadline)]


# --- tasks ------------------------------------------------------------------------------------

class Task(Model):
    """A commitment: what, deliverables, who leads, who supports, by when."""

    DERIVED: ClassVar[tuple[str, ...]] = ("objective", "objective_number", "parent_task", "appendix", "plan_id", "uid")

    id: Optional[str] = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$",
                              description="stable id within the plan; default from appendix and number")
    number: Optional[RowNumber] = None
    area: Optional[Area] = None
    content: str
    summary: Optional[str] = None
    deliverables: list[str] = []
    lead: Annotated[AgencyRefs, Field(min_length=1)]
    support: AgencyRefs = []
    deadline: DeadlineField = None
    deadline_in_source: Optional[bool] = Field(
        default=None, description="false: the source states no deadline for it (the deadline stays empty)")
    budget: Optional[str] = None
    source_section: Optional[str] = Field(
        default=None, description="where the source states it: 'II.1.a' (section II, item 1, point a), 'V.2'")
    lead_section: Optional[str] = Field(
        default=None, description="where the source names its lead, when elsewhere: 'V.3'")
    # filled in by the loader
    objective: Optional[str] = None
    objective_number: Optional[int] = None
    parent_task: Optional[str] = None
    appendix: Optional[str] = Field(default=None, description="id of the appendix it sits in; null if in the body")
    plan_id: str = ""
    uid: str = Field(default="", description="globally unique id: plan_id/id")

    @field_validator("deliverables", mode="before")
    @classmethod
    def _deliverables(cls, v):
        return _as_list(v)

    @field_validator("deadline_in_source")
    @classmethod
    def _no_deadline_in_source(cls, v, info: ValidationInfo):
        deadline = info.data.get("deadline")
        if v is False and deadline is not None:
            raise PydanticCustomError("deadline_contradiction",
                                      "Nhiệm vụ có thời hạn “{text}” nhưng lại ghi `deadline_in_source: false`.",
                                      {"text": deadline.text})
        return v


# --- targets ----------------------------------------------------------------------------------

_COMPARATORS = ("tối thiểu", "tối đa", "ít nhất", "trên", "dưới", "đạt", "≥", ">=", "≤", "<=", ">", "<", "khoảng")


def read_value(text: str) -> dict:
    """``≥ 40%`` → comparator ≥, value 40, unit %; ``1,5%`` → 1.5 %; text kept as written."""
    s = re.sub(r"\s+", " ", str(text)).strip()
    comparator = None
    low = s.lower()
    for c in _COMPARATORS:
        if low.startswith(c):
            comparator, s = c, s[len(c):].strip()
            break
    comparator = {">=": "≥", "<=": "≤"}.get(comparator, comparator)
    s = re.sub(r"^(có|đạt|là)\s+", "", s, flags=re.I)
    if s.lower().startswith("từ "):  # "từ 50% trở lên" = at least 50%
        s = s[3:].strip()
    if re.search(r"\s+trở lên\W*$", s):
        s = re.sub(r"\s+trở lên\W*$", "", s)
        comparator = comparator or "≥"
    m = re.match(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:[,.](\d+))?\s*(.*)$", s)
    if not m:
        return {"comparator": comparator, "value": None, "unit": None}
    number = float(m[1].replace(".", "") + ("." + m[2] if m[2] else ""))
    unit = m[3].strip().rstrip(".;,") or None
    return {"comparator": comparator, "value": number, "unit": unit}


class TargetValue(BaseModel):
    period: str = Field(description="a year ('2027') or a period ('2026-2030')",
                        pattern=r"^(\d{4}(-\d{4})?)?$")
    year: Optional[int] = None
    value_text: str
    comparator: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value_text" in data and "value" not in data:
            data = {**data, **read_value(data["value_text"])}
            period = str(data.get("period", ""))
            if re.fullmatch(r"\d{4}", period):
                data["year"] = int(period)
        return data

    @model_validator(mode="after")
    def _years(self):
        years = [int(y) for y in self.period.split("-")] if self.period else []
        if any(not YEAR_MIN <= y <= YEAR_MAX for y in years) or years != sorted(years) \
                or (years and years[-1] - years[0] >= PERIOD_MAX_YEARS):
            raise PydanticCustomError("period_range", "Thời kỳ “{period}” không hợp lệ: năm phải từ {lo} đến {hi}, "
                                      "năm đầu không sau năm cuối, dài không quá {n} năm.",
                                      {"period": self.period, "lo": YEAR_MIN, "hi": YEAR_MAX, "n": PERIOD_MAX_YEARS})
        return self


class Target(Model):
    """A chỉ tiêu: what is measured, its value per year or period, and who answers for it."""

    DERIVED: ClassVar[tuple[str, ...]] = ("appendix", "plan_id", "uid")

    id: Optional[str] = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    number: Optional[int] = None
    name: str
    lead: AgencyRefs = []
    area: Optional[Area] = None
    group: Optional[str] = None
    quote: Optional[str] = None
    values: list[TargetValue]
    appendix: Optional[str] = None
    plan_id: str = ""
    uid: str = ""

    @model_validator(mode="before")
    @classmethod
    def _single_value(cls, data: Any) -> Any:
        """A body target is written with one ``value_text`` and ``period``."""
        if isinstance(data, dict) and "value_text" in data:
            data = dict(data)
            period = data.pop("period", "")
            if isinstance(period, int) and not isinstance(period, bool):
                period = str(period)  # `period: 2027` is the year 2027
            data["values"] = [{"value_text": data.pop("value_text"), "period": period}]
        return data


# --- appendix tables: one module per shape in planpub/appendices/, registered once -----------

from . import appendices  # noqa: E402 — the shapes' models use the types above

#: the content of an appendix file: one of the registered shapes' models, told apart by `shape:`
AppendixContent = appendices.content_union()


class Appendix(Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    title: Optional[str] = None
    file: Optional[str] = Field(default=None, description="file name inside the document's folder (checked by the loader)")
    referred_only: bool = False
    mention: Optional[str] = None
    content: Optional[AppendixContent] = None

    @model_validator(mode="after")
    def _file_or_referred(self):
        if self.referred_only and self.file:
            raise PydanticCustomError("appendix_both", "Phụ lục chỉ được nhắc đến (referred_only) thì không có tệp.")
        if not self.referred_only and not self.file:
            raise PydanticCustomError("appendix_file", "Phụ lục thiếu `file:` (hoặc ghi `referred_only: true`).")
        return self


# --- progress (progress.yaml; see planpub/progress.py) ----------------------------------------

ProgressState = Literal["not_started", "in_progress", "done", "stopped"]

#: A reporting period: a year ``2026``, a half ``2026-H1``, a quarter ``2026-Q1``.
PERIOD_PATTERN = r"^\d{4}(-(Q[1-4]|H[12]))?$"


def _period_text(v: Any) -> Any:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


PeriodText = Annotated[str, BeforeValidator(_period_text), Field(pattern=PERIOD_PATTERN)]


class Evidence(Model):
    """What shows the work was done: a document in content/, a published address, or a file kept
    in the plan's folder ``minh-chung/``. Exactly one of ``document``, ``url``, ``file``."""

    title: Optional[str] = Field(default=None, description="what the evidence is, in words")
    document: Optional[str] = Field(default=None, description="id of a document in content/: <commune>/<folder>")
    url: Optional[str] = Field(default=None, pattern=r"^https?://\S+$")
    file: Optional[str] = Field(default=None, description="file name in the plan's minh-chung/ folder")

    @model_validator(mode="after")
    def _one(self):
        given = [k for k in ("document", "url", "file") if getattr(self, k)]
        if len(given) != 1:
            raise PydanticCustomError("evidence_one", "Mỗi minh chứng ghi đúng một trong `document`, `url`, `file`.")
        return self


class ProgressEntry(Model):
    """One dated progress entry of a commitment (one per occurrence of a recurring one)."""

    DERIVED: ClassVar[tuple[str, ...]] = ("plan_id", "uid")

    task: str = Field(description="id of the commitment in the plan (its page shows it as Mã nhiệm vụ)")
    date: Date = Field(description="the day the entry was recorded")
    state: ProgressState
    period: Optional[PeriodText] = Field(default=None,
                                         description="the occurrence of a recurring commitment: 2026, 2026-Q1")
    done_on: Optional[Date] = Field(default=None, description="the day the work was finished (state done)")
    percent: Optional[int] = Field(default=None, ge=0, le=100)
    note: str = Field(description="what was done")
    reason: Optional[str] = Field(default=None, description="why it stopped (state stopped)")
    evidence: list[Evidence] = []
    plan_id: str = ""
    uid: str = Field(default="", description="global id of the commitment: plan_id/task")


class TargetActual(Model):
    """The actual value of a target for a period, with its source."""

    DERIVED: ClassVar[tuple[str, ...]] = ("plan_id", "uid", "comparator", "value", "unit")

    target: str = Field(description="id of the target in the plan")
    period: PeriodText = Field(description="the period the value is for: 2026, 2026-Q2")
    date: Date = Field(description="the day the value was recorded")
    value_text: str = Field(description="as measured, e.g. 62%")
    source: str = Field(description="where the value comes from")
    comparator: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    plan_id: str = ""
    uid: str = ""

    @model_validator(mode="after")
    def _read(self):
        read = read_value(self.value_text)
        self.comparator, self.value, self.unit = read["comparator"], read["value"], read["unit"]
        return self


class ProgressFile(Model):
    """``progress.yaml`` in a plan's folder."""

    progress: list[ProgressEntry] = []
    actuals: list[TargetActual] = []


# --- documents --------------------------------------------------------------------------------

class DocDate(BaseModel):
    """A document's date; a draft has no day yet (and perhaps no month)."""

    year: Year
    month: Optional[int] = Field(default=None, ge=1, le=12)
    day: Optional[int] = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _from_date(cls, data: Any) -> Any:
        if isinstance(data, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", data.strip()):
            y, m, d = (int(x) for x in data.strip().split("-"))
            return {"year": y, "month": m, "day": d}  # checked for existence below
        if isinstance(data, Date):
            return {"year": data.year, "month": data.month, "day": data.day}
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k != "__pos__"}
        return data

    @model_validator(mode="after")
    def _exists(self):
        if self.day is not None:
            if self.month is None:
                raise PydanticCustomError("date_no_month", "Có ngày nhưng thiếu tháng.")
            try:
                Date(self.year, self.month, self.day)
            except ValueError:
                raise PydanticCustomError("impossible_date", "Ngày {day} tháng {month} năm {year} không tồn tại.",
                                          {"day": self.day, "month": self.month, "year": self.year}) from None
        return self

    @property
    def complete(self) -> bool:
        return self.day is not None and self.month is not None

    def as_date(self) -> Optional[Date]:
        return Date(self.year, self.month, self.day) if self.complete else None


class Period(Model):
    start: Year
    end: Year

    @model_validator(mode="after")
    def _order(self):
        if self.end < self.start:
            raise PydanticCustomError("period_order", "Năm kết thúc ({end}) đứng trước năm bắt đầu ({start}).",
                                      {"start": self.start, "end": self.end})
        if self.end - self.start >= PERIOD_MAX_YEARS:
            raise PydanticCustomError("period_length", "Thời kỳ {start} - {end} dài hơn {n} năm.",
                                      {"start": self.start, "end": self.end, "n": PERIOD_MAX_YEARS})
        return self


class Issuer(Model):
    name: str
    header: list[str]
    short: str


class LegalRef(BaseModel):
    """A reference to another document: the words as written, and their reading."""

    text: str
    kind: Literal["can_cu", "thuc_hien", "theo_de_nghi", "other"] = "other"
    type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[Date] = None
    issuer: Optional[str] = None
    title: Optional[str] = None

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"text": data.strip(), **parse_reference(data)}
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            data = {k: v for k, v in data.items() if k != "__pos__"}
            return {"text": data["text"], **parse_reference(data["text"]), **data}
        if isinstance(data, dict):  # a text that is not text: the schema says so at its line
            return {k: v for k, v in data.items() if k != "__pos__"}
        return data


class Recipient(BaseModel):
    text: str
    purpose: Optional[Literal["b/c", "t/h"]] = Field(default=None, description="(b/c) for report, (t/h) to carry out")

    @model_validator(mode="before")
    @classmethod
    def _read(cls, data: Any) -> Any:
        if isinstance(data, str):
            m = re.search(r"\((b/c|t/h)\)\s*$", data.strip())
            return {"text": data.strip(), "purpose": m[1] if m else None}
        return data


class Signature(Model):
    authority: Optional[str] = Field(default=None, description="TM. … / KT. … / T/M …")
    title: str
    name: str


class Correction(Model):
    file: str
    original: str
    corrected: str
    note: str


class Article(BaseModel):
    number: int
    text: str = Field(description="Markdown, after 'Điều n.'")


class SignedState(BaseModel):
    """The issued record of a document whose published PDF is a signed file (``signed.pdf``)."""

    signed_sha256: str = Field(description="SHA-256 of the signed PDF published at `pdf`")
    content_changed_after_signing: bool = Field(
        description="true when content/ changed after signing: this data then shows the edited text, "
                    "and the signed PDF (unchanged) is the document as issued")


class Document(Model):
    """A KH or QĐ with everything in its folder: header, body, appendices, commitments, targets."""

    DERIVED: ClassVar[tuple[str, ...]] = ("articles", "tasks", "targets", "pdf", "signed", "regulation")

    type: Literal["KH", "QĐ", "BC", "CTr", "QYĐ", "QC"]
    number: Optional[str] = None
    symbol: Optional[str] = None
    not_in_source: list[Literal["number", "day", "signer_name"]] = Field(
        default=[], description="a published copy of an issued document: the parts its source does not show "
                                "(never invented; the document stays issued)")
    normative: bool = Field(default=False, description="a legal-normative document (văn bản quy phạm pháp luật): "
                                                       "its number carries the year, 30/2018/QĐ-UBND")
    issuer: Issuer
    parent_issuer: Optional[str] = None
    place: Optional[str] = None
    date: Optional[DocDate] = None
    subject: str
    period: Optional[Period] = None
    authority: Optional[str] = None
    legal_bases: list[LegalRef] = []
    preamble: Optional[str] = None
    signature: Optional[Signature] = None
    recipients: list[Recipient] = []
    archive: Optional[str] = None
    appendix_heading: Optional[str] = None
    appendices: list[Appendix] = []
    issues: Optional[str] = Field(default=None, description="id of the plan this decision issues")
    replaces: Optional[LegalRef] = None
    attached_to: Optional[str] = Field(default=None, description="id of the decision that issues this plan")
    implements: Optional[str] = Field(default=None, description="id of the plan of another issuer (the province) "
                                                                "that this plan carries out")
    corrections: list[Correction] = []
    # a report only:
    reports_on: Optional[str] = Field(default=None, description="a report: id of the plan it reports on")
    report_period: Optional[PeriodText] = Field(default=None,
                                                description="a report: the period it covers (2026-Q1, 2026-H1, 2026)")
    # read from the other files of the folder by the loader
    id: str = ""
    commune: str = ""
    body: str = Field(default="", description="Markdown")
    body_commitments: list[Task] = Field(default=[], description="commitments written in the body")
    body_targets: list[Target] = Field(default=[], description="targets written in the body")
    progress: list[ProgressEntry] = Field(default=[], description="progress entries (progress.yaml)")
    actuals: list[TargetActual] = Field(default=[], description="actual values of targets (progress.yaml)")
    # derived by the loader
    articles: list[Article] = []
    regulation: Optional[regulation_parts.Regulation] = Field(
        default=None, description="a Quy định / Quy chế: its chapters, articles, clauses and points (body.md)")
    tasks: list[Task] = Field(default=[], description="every commitment of the document, in order")
    targets: list[Target] = Field(default=[], description="every target of the document, in order")
    pdf: Optional[str] = Field(default=None, description="path of its PDF under site/")
    signed: Optional[SignedState] = Field(default=None, description="set when its PDF is a signed file")

    @field_validator("number", mode="before")
    @classmethod
    def _number_text(cls, v):
        return str(v) if isinstance(v, int) else v

    @property
    def is_draft(self) -> bool:
        """Not yet issued: no number or no full date, unless the content records the document as an
        issued one whose published copy does not show them (``not_in_source``)."""
        has_number = bool(self.number) or "number" in self.not_in_source
        has_day = bool(self.date and (self.date.complete or ("day" in self.not_in_source and self.date.month)))
        return not (has_number and has_day)

    @property
    def published_copy(self) -> bool:
        """An issued document known from a copy that leaves something out (``not_in_source``)."""
        return bool(self.not_in_source)

    @property
    def type_name(self) -> str:
        return DOCUMENT_TYPES[self.type]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def family(self) -> str:
        """``party`` (Hướng dẫn 36-HD/VPTW) for a Party committee's document, else ``state`` (ND30)."""
        return numbering.family(self.symbol)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def number_text(self) -> Optional[str]:
        """The number as its family writes it: ``09/KH-UBND``, ``30/2018/QĐ-UBND``, ``09-KH/ĐU``;
        None for a draft."""
        return numbering.of(self)


class Site(BaseModel):
    """Everything under content/: the communes and their documents."""

    communes: list[Commune]
    documents: list[Document]
    #: when the content was read (time.time_ns()); a build never publishes content read before
    #: the content that site/ holds (planpub/pipeline.py)
    loaded_at: SkipJsonSchema[Optional[int]] = Field(default=None, exclude=True, repr=False)

    def commune(self, commune_id: str) -> Commune:
        return next(c for c in self.communes if c.id == commune_id)

    def document(self, doc_id: str) -> Optional[Document]:
        return next((d for d in self.documents if d.id == doc_id), None)


#: what ``not_in_source`` names, in the clerk's words
NOT_IN_SOURCE_WORDS = {"number": "số văn bản", "day": "ngày ban hành", "signer_name": "họ tên người ký"}


# Fields the loader fills from other files; a clerk never writes them in document.yaml.
LOADER_FIELDS = ("id", "commune", "body", "body_commitments", "body_targets", "articles", "tasks",
                 "targets", "pdf", "progress", "actuals", "signed", "regulation")
