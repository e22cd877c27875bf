"""Where a printed line must not break (what a văn thư would send back): inside a document number
(``84/TTr-VHXH``, ``30/2018/QĐ-UBND``, ``09-KH/ĐU``), inside a unit of local government and its name
(``xã Phú Trung``), inside a year range (``2021 - 2030``: a line starting "- 2030" reads as a bullet).

:func:`keep_together` wraps each such run in ``<span class="nobr">`` (``white-space: nowrap`` in
nd30.css); it takes HTML and touches only the text between tags."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"
                     r"|\d+-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ][A-Za-zĐđ]*(?:-[A-ZĐ][A-Za-zĐđ]*)*")
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d{2}\s?[-–]\s?(?:19|20)\d{2}(?!\d)")
_UNIT = re.compile(r"(?<!\w)(?:xã|phường|thị trấn|đặc khu|tỉnh|huyện|thành phố|Xã|Phường|Tỉnh|Thành phố"
                   r"|XÃ|PHƯỜNG|TỈNH)(?=\s)")
_WORD = re.compile(r"\s+(\w+)")
_TAG = re.compile(r"(<[^>]+>)")


def _units(text: str) -> str:
    """Mark a unit word with the capitalised words of its name that follow (``xã Phú Trung``),
    at most three."""
    out, pos = [], 0
    for m in _UNIT.finditer(text):
        if m.start() < pos:
            continue
        end, words = m.end(), 0
        most = 2 if m[0].isupper() else 3   # in capitals every word looks like a name: a commune's has two
        while words < most:
            w = _WORD.match(text, end)
            if w is None or not w[1][:1].isupper():
                break
            end, words = w.end(), words + 1
        if words:
            out.append(text[pos:m.start()] + "\x00" + text[m.start():end] + "\x01")
            pos = end
    return "".join(out) + text[pos:]


def _mark(text: str) -> str:
    text = _units(text)
    text = _NUMBER.sub(lambda m: f"\x00{m[0]}\x01", text)
    text = _YEARS.sub(lambda m: f"\x00{m[0]}\x01", text)
    # nested marks (a number inside a name) collapse to the outermost
    out, depth = [], 0
    for ch in text:
        if ch == "\x00":
            if depth == 0:
                out.append('<span class="nobr">')
            depth += 1
        elif ch == "\x01":
            depth -= 1
            if depth == 0:
                out.append("</span>")
        else:
            out.append(ch)
    return "".join(out)


def keep_together(html: str) -> Markup:
    """``html`` with every unbreakable run wrapped; tags are left as they are."""
    parts = _TAG.split(str(html))
    return Markup("".join(p if p.startswith("<") else _mark(p) for p in parts))


def keep_text(text: str) -> Markup:
    """The same for plain text (escaped first): a Jinja filter of the PDF templates."""
    return keep_together(str(escape(text)))
