"""Characters a plan's text never needs, found in every text field before anything is rendered.

Vietnamese text needs no control character, no bidirectional control (right-to-left override …)
and no zero-width character: such a character hides or reorders what a reader sees, or starts a
new line or property in a calendar or feed. One-line fields (names, subject, number …) hold no
line break. Each finding names the field and the character (``U+202E``); the loader reports it at
the field's line. :func:`skeleton` folds look-alike letters of other scripts (Cyrillic ``а``,
Greek ``ο``, Icelandic ``ð``) so that two agency names that only look the same are found.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

#: right-to-left and left-to-right marks, embeddings, overrides and isolates
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: characters of no width: joiners, the word joiner, invisible operators, a BOM inside a text
ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
#: line and paragraph separators that split a line for Python, JavaScript and calendars
SEPARATORS = frozenset("\u2028\u2029\x85")

#: fields that are one line: a name, a number, an id (a line break there is a slip, and it would
#: start a new line in a calendar, a feed or a CSV header)
ONE_LINE_FIELDS = frozenset({
    "name", "aliases", "lead", "support", "subject", "place", "symbol", "number", "id", "label",
    "authority", "archive", "short", "header", "province", "kind", "file", "period", "value_text",
    "area", "shape", "parent_issuer", "issues", "attached_to", "type", "title_line",
})

KIND_NAMES = {
    "control": "ký tự điều khiển (không in được)",
    "bidi": "ký tự điều khiển chiều viết (đảo chiều chữ khi hiển thị)",
    "zero-width": "ký tự vô hình (không có độ rộng)",
    "newline": "dấu xuống dòng trong trường chỉ có một dòng",
}


def char_kind(ch: str) -> str | None:
    """Why ``ch`` has no place in a plan's text, or None when it is fine (tab and newline are fine)."""
    o = ord(ch)
    if ch in "\t\n":
        return None
    if o < 0x20 or 0x7F <= o <= 0x9F or ch in SEPARATORS:
        return "control"
    if ch in BIDI:
        return "bidi"
    if ch in ZERO_WIDTH:
        return "zero-width"
    return None


def bad_chars(text: str, one_line: bool = False, crlf: bool = False) -> Iterator[tuple[int, str, str]]:
    """(index, character, kind) of every character of ``text`` that has no place in it.
    ``crlf``: a CR right before a LF is a Windows line end, not a stray CR."""
    for i, ch in enumerate(text):
        if ch == "\n":
            if one_line:
                yield i, ch, "newline"
            continue
        if ch == "\r" and crlf and text.startswith("\n", i + 1):
            continue
        kind = char_kind(ch)
        if kind:
            yield i, ch, kind


#: every character :func:`char_kind` refuses, as one regular expression (a fast first look)
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI | ZERO_WIDTH | SEPARATORS)) + "]")


def has_bad_chars(text: str) -> bool:
    return _BAD.search(text) is not None


def printable(text: str) -> str:
    """``text`` safe to print on a terminal or a page: every control, bidi or invisible character
    (and any line break) shown as ``�``. For names read from outside, e.g. a certificate's."""
    return "".join("\ufffd" if ch in "\t\n" or char_kind(ch) else ch for ch in text)


def describe(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE`` (or just the code point when Unicode names none)."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}{' ' + name if name else ''}"


def strings(data: Any, field: str | None = None, pos=None, line: int = 1, column: int = 1
            ) -> Iterator[tuple[Any, int, int, str, str]]:
    """Every text of YAML data read by :mod:`planpub.yamlsrc`: (file, line, column, field, text).
    Keys count as texts too (field ``(khóa)``)."""
    from .yamlsrc import POS  # noqa: PLC0415

    if isinstance(data, dict):
        own = data.get(POS)
        file = own.file if own is not None else (pos.file if pos is not None else None)
        for key, value in data.items():
            if key == POS:
                continue
            k_line = own.line_of(key) if own is not None else line
            k_col = own.column_of(key) if own is not None else column
            if isinstance(key, str):
                yield file, k_line, k_col, "(khóa)", key
            if isinstance(value, list) and own is not None:
                for i, item in enumerate(value):
                    item_line = own.line_of(key, i)
                    yield from strings(item, str(key), own, item_line, k_col if item_line == k_line else 1)
            else:
                yield from strings(value, str(key), own, k_line, k_col)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item, field, pos, line, column)
    elif isinstance(data, str):
        yield (pos.file if pos is not None else None), line, column, field or "?", data


# Letters of other scripts that look like the Latin letters Vietnamese is written with.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "ë", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "ï", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "Α": "A", "Β": "B",
    "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T",
    "Υ": "Y", "Χ": "X",
    # Latin letters of other languages that look like Vietnamese ones
    "ð": "đ", "Ð": "Đ", "Ɖ": "Đ", "ɖ": "đ", "ı": "i", "ȷ": "j", "ɑ": "a", "ǝ": "e",
}


def skeleton(text: str) -> str:
    """``text`` with look-alike letters of other scripts replaced by the Latin letters they mimic
    (on the decomposed form, so that a Cyrillic ``о`` with a Vietnamese tone mark folds too)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(_LOOKALIKES.get(ch, ch) for ch in decomposed))


def lookalikes(text: str) -> list[str]:
    """The look-alike letters of other scripts in ``text``, in order."""
    decomposed = unicodedata.normalize("NFD", text)
    return [ch for ch in decomposed if ch in _LOOKALIKES]
