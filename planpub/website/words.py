"""How the website words things in Vietnamese: dates, deadlines, document labels, area names."""
from __future__ import annotations

from datetime import date

from .. import model

AREA_NAMES = model.AREA_NAMES
AREAS = tuple(AREA_NAMES)

KIND_NAMES = {
    "range": "Có thời hạn cụ thể",
    "recurring": "Định kỳ hằng năm",
    "ongoing": "Thường xuyên",
    "dependent": "Theo kế hoạch, hướng dẫn của cơ quan khác",
    "unknown": "Chưa xác định được ngày",
}
KINDS = tuple(KIND_NAMES)

AGENCY_KIND_NAMES = {"agency": "Cơ quan, đơn vị", "group": "Nhóm cơ quan, đơn vị", "external": "Cơ quan bên ngoài xã"}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def day(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def doc_date(d: model.DocDate | None) -> str:
    """``ngày 10/01/2026``; a draft: ``tháng 01/2026`` or ``năm 2026``."""
    if d is None:
        return ""
    if d.day and d.month:
        return f"ngày {d.day:02d}/{d.month:02d}/{d.year}"
    if d.month:
        return f"tháng {d.month:02d}/{d.year}"
    return f"năm {d.year}"


def quarter_label(value: str) -> str:
    """``2026-q4`` → ``Quý IV/2026``."""
    year, q = value.split("-q")
    return f"Quý {ROMAN[int(q)]}/{year}"


def recurrence(rec: model.Recurrence | None) -> str:
    """``Hằng năm, tháng 12``; ``Hằng năm, trước ngày 15/01``; ``Hằng năm, quý II``."""
    if rec is None:
        return ""
    if rec.month and rec.day:
        return f"Hằng năm, trước ngày {rec.day:02d}/{rec.month:02d}"
    if rec.month:
        return f"Hằng năm, tháng {rec.month}"
    if rec.quarter:
        return f"Hằng năm, quý {ROMAN[rec.quarter]}"
    return "Hằng năm (không ghi tháng)"


def short(text: str, limit: int = 110) -> str:
    """The first ``limit`` characters of a text, cut at a word, with … when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return cut + " …"


#: said wherever a signed document's edited content is shown (feed, calendars, pages)
CHANGED_AFTER_SIGNING = ("Lưu ý: nội dung này đã được sửa sau khi văn bản được ký số; "
                         "bản có giá trị pháp lý là bản PDF đã ký.")
