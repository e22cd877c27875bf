"""The rule for the names of content folders (a commune, a document): they become parts of web
addresses and file names, so they are lower-case ASCII letters and digits joined by single hyphens,
not too long, and not a name the website uses itself (``docs/content-format.md``)."""
from __future__ import annotations

import re
import unicodedata

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_LENGTH = 80

#: Names used inside a commune's folder of the website (``xa/<commune>/co-quan/`` lists its
#: agencies): a document folder with one of these names would collide with that page.
RESERVED_IN_COMMUNE = ("co-quan",)


def problem(name: str, reserved: tuple[str, ...] = ()) -> str | None:
    """What is wrong with a folder name, in the clerk's words, or None."""
    if len(name) > MAX_LENGTH:
        return f"dài {len(name)} ký tự (tối đa {MAX_LENGTH})"
    if not NAME.fullmatch(name):
        return "chỉ được gồm chữ thường không dấu (a–z), chữ số và dấu gạch ngang đơn giữa các phần"
    if name in reserved:
        return "trùng tên một mục của trang web"
    return None


def suggest(name: str) -> str:
    """A valid name close to ``name``: Vietnamese letters folded, other characters turned into hyphens."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", folded))[:MAX_LENGTH].strip("-")
    return slug or "van-ban"
