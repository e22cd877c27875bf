"""Read a reference to another document out of the words a clerk wrote.

``Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình …;`` gives
kind ``can_cu``, type ``Nghị quyết``, number ``76/NQ-CP``, date 2021-07-15, issuer ``Chính phủ``
and title ``ban hành Chương trình …``. The text stays the source of truth; this is its reading.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

KIND_PREFIXES = (
    ("can_cu", "Căn cứ"),
    ("thuc_hien", "Thực hiện"),
    ("theo_de_nghi", "Theo đề nghị của"),
)

DOCUMENT_TYPES = (
    "Luật", "Bộ luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định", "Chỉ thị", "Thông tư",
    "Kế hoạch", "Công văn", "Tờ trình", "Hướng dẫn", "Kết luận", "Chương trình", "Đề án",
    "Thông báo", "Báo cáo", "Văn bản",
)

_NUMBER = r"(?:số\s+)?(\d+[\w/.\-–&ĐđÂâ]*?[/-][\w\-–&/.]*\w)"
_DATE_SLASH = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_TITLE_STARTS = (" ban hành ", " về việc ", " về ", " phê duyệt ", " triển khai ", " hướng dẫn ",
                 " quy định ", " tại ", " đẩy mạnh ")


_DATE_FORMS = (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])"),
               re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"))


def find_dates(text: str) -> list[tuple[int, int, int, int, int]]:
    """Every ``ngày D/M/YYYY`` or ``ngày D tháng M năm YYYY`` (also without "ngày") in a text,
    as (day, month, year, start, end); impossible ones included, so that a checker can flag them."""
    found = []
    for rx in _DATE_FORMS:
        for m in rx.finditer(text):
            found.append((int(m[1]), int(m[2]), int(m[3]), m.start(), m.end()))
    return sorted(found, key=lambda f: f[3])


def valid_date(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_reference(text: str) -> dict:
    """Return kind, type, number, date, issuer and title read from one line (missing parts None)."""
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    body = s.rstrip(" ;.")
    kind = "other"
    for k, prefix in KIND_PREFIXES:
        if body.lower().startswith(prefix.lower()):
            kind, body = k, body[len(prefix):].strip()
            break
    out = {"kind": kind, "type": None, "number": None, "date": None, "issuer": None, "title": None}
    if kind == "theo_de_nghi":
        # "Theo đề nghị của Trưởng phòng … tại Tờ trình số 84/TTr-VHXH ngày …": the proposer, then the proposal
        proposer, _, proposal = body.partition(" tại ")
        out["issuer"] = proposer.strip()
        m = re.match(r"(Tờ trình|Công văn|Báo cáo)\s+số\s+(\S+)\s*(.*)$", proposal.strip())
        if m:
            out["type"], out["number"] = m[1], m[2]
            d = _DATE_SLASH.search(m[3]) or _DATE_WORDS.search(m[3])
            if d:
                out["date"] = valid_date(int(d[1]), int(d[2]), int(d[3]))
        return out
    for t in sorted(DOCUMENT_TYPES, key=len, reverse=True):
        if body.lower().startswith(t.lower() + " ") or body.lower() == t.lower():
            out["type"] = t
            body = body[len(t):].strip()
            break
    m = re.match(_NUMBER, body)
    if m and out["type"]:
        out["number"] = m[1].replace(" ", "")
        body = body[m.end():].strip()
    m = _DATE_SLASH.search(body) or _DATE_WORDS.search(body)
    if m and (m.start() < 12 or out["number"] is None):
        out["date"] = valid_date(int(m[1]), int(m[2]), int(m[3]))
        before, body = body[: m.start()].strip(), body[m.end():].strip()
        if before and not out["title"]:
            out["title"] = before
    if body.lower().startswith("của "):
        rest = body[4:]
        cut = len(rest)
        for start in _TITLE_STARTS:
            i = rest.find(start)
            if 0 < i < cut:
                cut = i
        out["issuer"] = rest[:cut].strip()
        title = rest[cut:].strip()
        if title:
            out["title"] = title
    elif body:
        out["title"] = (out["title"] + " " + body).strip() if out["title"] else body
    return out
