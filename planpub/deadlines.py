"""Read a deadline as written ("Quý I/2026", "Hàng năm", "Thường xuyên" …) as a meaning.

Four kinds, plus ``unknown`` for a phrase this module cannot read (the checker warns):

- ``range``: a period with a first and a last day (``Quý III,IV/2026``, ``Trước ngày 15/01/2026``);
- ``recurring``: every year, optionally in a month, quarter or before a day (``Tháng 12 hàng năm``);
- ``ongoing``: ``Thường xuyên``;
- ``dependent``: set by another body (``Theo kế hoạch của UBND tỉnh``).
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

KINDS = ("range", "recurring", "ongoing", "dependent", "unknown")

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Q = r"(?:iv|iii|ii|i|[1-4])"
_YEAR = r"(?:/|\s+năm\s+|\s+)(\d{4})"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[–—]", "-", text)
    text = re.sub(r"\s+", " ", text)
    text = text.replace("hằng", "hàng")
    return text.rstrip(" .;,")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_range(q: int, year: int) -> tuple[date, date]:
    return date(year, 3 * q - 2, 1), _last_day(year, 3 * q)


def _result(kind: str, start: date | None = None, end: date | None = None, **extra) -> dict:
    out = {"kind": kind, "start": start, "end": end, "recurrence": None, "depends_on": None}
    out.update(extra)
    return out


def _recurrence(month=None, day=None, quarter=None) -> dict:
    return {"freq": "yearly", "month": month, "day": day, "quarter": quarter}


_DEPENDENT = re.compile(r"^(theo (kế hoạch|hướng dẫn|yêu cầu|chỉ đạo|lộ trình|quy định|văn bản)|sau khi|khi có)\b")


_RANK = {"range": 0, "recurring": 1, "ongoing": 2, "dependent": 3}


def parse_deadline(text: str) -> dict:
    """Return the meaning of one deadline phrase as a dict (kind, start, end, recurrence, depends_on).

    A cell with several lines (``- Ban hành kế hoạch: chậm nhất tháng 01/2026.`` / ``- Báo cáo: định
    kỳ hàng năm.``) means the first concrete one: a range before a recurrence before "ongoing"
    before "set by another body". Never raises: a phrase it cannot read, or a date that does not
    exist, gives kind ``unknown``.
    """
    lines = [ln.strip().lstrip("-+• ").strip() for ln in (text or "").splitlines() if ln.strip()]
    if len(lines) > 1:
        parts = [parse_deadline(ln.split(":", 1)[1] if ":" in ln else ln) for ln in lines]
        if any(p["kind"] == "unknown" for p in parts):
            return _result("unknown")
        return min(parts, key=lambda p: (_RANK[p["kind"]], p["end"] or date.max))
    s = _norm(text or "")
    try:
        out = _parse(s)
        if out["kind"] == "dependent":  # keep the body's name as written, not lower-cased
            written = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).strip()).rstrip(" .;,")
            out["depends_on"] = written[len(written) - len(out["depends_on"]):]
        return out
    except ValueError:  # e.g. "Trước ngày 31/06/2026"
        return _result("unknown")


def _parse(s: str) -> dict:
    if not s:
        return _result("unknown")
    if re.fullmatch(r"thường xuyên(,? liên tục)?", s):
        return _result("ongoing")
    if _DEPENDENT.match(s):
        body = re.sub(r"^(theo|sau khi có|sau khi|khi có)\s+", "", s)
        return _result("dependent", depends_on=body)

    # --- recurring ---------------------------------------------------------------------------
    if re.fullmatch(r"(?:định kỳ )?hàng năm", s):
        return _result("recurring", recurrence=_recurrence())
    m = re.fullmatch(r"tháng (\d{1,2}) hàng năm", s)
    if m and 1 <= int(m[1]) <= 12:
        return _result("recurring", recurrence=_recurrence(month=int(m[1])))
    m = re.fullmatch(r"(?:trước|đến|trước ngày|đến ngày) ?(?:ngày )?(\d{1,2})/(\d{1,2}) hàng năm", s)
    if m:
        day, month = int(m[1]), int(m[2])
        date(2024, month, day)  # validates (leap year allows 29/02)
        return _result("recurring", recurrence=_recurrence(month=month, day=day))
    m = re.fullmatch(rf"quý ({_Q}) hàng năm", s)
    if m:
        return _result("recurring", recurrence=_recurrence(quarter=_QUARTERS[m[1]]))

    # --- ranges ------------------------------------------------------------------------------
    m = re.fullmatch(rf"(?:trong )?quý ({_Q}(?:\s*[,;và&-]+\s*(?:quý )?{_Q})*){_YEAR}", s)
    if m:
        quarters = [_QUARTERS[q] for q in re.findall(_Q, m[1])]
        year = int(m[2])
        return _result("range", _quarter_range(min(quarters), year)[0], _quarter_range(max(quarters), year)[1])
    m = re.fullmatch(r"(?:trong )?tháng (\d{1,2})\s*(?:-|đến)\s*(?:tháng )?(\d{1,2})(?:/|\s+năm\s+)(\d{4})", s)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if 1 <= a <= b <= 12:
            return _result("range", date(year, a, 1), _last_day(year, b))
        return _result("unknown")
    m = re.fullmatch(r"(trong |trước |chậm nhất |đến |hoàn thành trước )?tháng (\d{1,2})(?:/|\s+năm\s+)(\d{4})", s)
    if m:
        month, year = int(m[2]), int(m[3])
        if not 1 <= month <= 12:
            return _result("unknown")
        if m[1] in ("trước ", "hoàn thành trước "):  # before that month: by the end of the one before
            return _result("range", None, date(year, month, 1) - timedelta(days=1))
        if m[1] in ("chậm nhất ", "đến "):  # that month at the latest
            return _result("range", None, _last_day(year, month))
        return _result("range", date(year, month, 1), _last_day(year, month))
    m = re.fullmatch(r"(?:từ|bắt đầu từ) (?:năm )?(\d{4})(?: trở đi)?", s)
    if m:
        return _result("range", date(int(m[1]), 1, 1), None)
    m = re.fullmatch(r"(?:cả năm|trong năm|vào năm|năm)?\s*(\d{4})", s)
    if m:
        year = int(m[1])
        return _result("range", date(year, 1, 1), date(year, 12, 31))
    m = re.fullmatch(r"(?:giai đoạn |từ năm |năm )?(\d{4})\s*(?:-|đến)\s*(?:năm )?(\d{4})", s)
    if m and int(m[1]) <= int(m[2]):
        return _result("range", date(int(m[1]), 1, 1), date(int(m[2]), 12, 31))
    m = re.fullmatch(r"(?:trước|đến|chậm nhất|hoàn thành trước) ?(?:ngày )?(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        return _result("range", None, date(int(m[3]), int(m[2]), int(m[1])))
    m = re.fullmatch(r"(?:trước|đến|chậm nhất) ?(?:ngày )?(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", s)
    if m:
        return _result("range", None, date(int(m[3]), int(m[2]), int(m[1])))
    m = re.fullmatch(r"(?:ngày )?(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        d = date(int(m[3]), int(m[2]), int(m[1]))
        return _result("range", d, d)
    return _result("unknown")
