"""A document's number and symbol, written the one way each family's rules write it. Every output
(PDF, pages, feed, calendars, open data, issuing, signing, checker) calls :func:`number_text`.

- State bodies (Nghị định 30/2020/NĐ-CP, Phụ lục I): ``Số: 09/KH-UBND``; a legal-normative
  document (văn bản quy phạm pháp luật) carries its year: ``Số: 30/2018/QĐ-UBND``.
- Party bodies (Hướng dẫn 36-HD/VPTW): ``Số 09-KH/ĐU``: a hyphen after the number, the type and
  the issuer joined by a slash, and no colon after "Số".

Numbers below 10 are written with a leading zero in both families (``05``).
"""
from __future__ import annotations

import re
from typing import Literal, Optional

Family = Literal["state", "party"]

#: A symbol of each family: ``KH-UBND`` (the type, then the issuer's groups joined by hyphens);
#: ``KH/ĐU`` (the type, a slash, the issuer's abbreviation).
STATE_SYMBOL = re.compile(r"^(?P<type>[A-ZĐ][A-ZĐa-z]*)-[A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*$")  # CTr-UBND, TTr-VHXH
PARTY_SYMBOL = re.compile(r"^(?P<type>[A-ZĐ]+)/[A-ZĐ]+(?:-[A-ZĐ]+)*$")


def family(symbol: Optional[str]) -> Family:
    """A Party committee's symbol has a slash (``KH/ĐU``); a state body's never does."""
    return "party" if symbol and "/" in symbol else "state"


def pad(number: str) -> str:
    """Arabic digits with a leading 0 below 10 (``5`` → ``05``)."""
    return f"{int(number):02d}" if number.isdigit() and int(number) < 10 else number


def joiner(symbol: Optional[str]) -> str:
    """What stands between the number and the symbol: ``-`` for a Party document, ``/`` otherwise."""
    return "-" if family(symbol) == "party" else "/"


def number_text(number: Optional[str], symbol: Optional[str], year: Optional[int] = None) -> str:
    """``09/KH-UBND``, ``30/2018/QĐ-UBND`` (``year`` given: a legal-normative document), ``09-KH/ĐU``;
    without a number, the symbol after its joiner (``/KH-UBND``, ``-KH/ĐU``), as a blank form shows it."""
    head = pad(number) if number else ""
    if year is not None and family(symbol) == "state":
        head += f"/{year}"
    return f"{head}{joiner(symbol)}{symbol or ''}"


def of(doc) -> Optional[str]:
    """:func:`number_text` of a document (:class:`planpub.model.Document`); None without a number."""
    if not doc.number:
        return None
    year = doc.date.year if getattr(doc, "normative", False) and doc.date is not None else None
    return number_text(doc.number, doc.symbol, year)


def blank_form(symbol: Optional[str]) -> str:
    """What a draft shows after its blank number: ``/KH-UBND``, ``-KH/ĐU``."""
    return number_text(None, symbol)


def label(symbol: Optional[str]) -> str:
    """The word before the number: ``Số:`` (ND30), ``Số`` (HD 36)."""
    return "Số" if family(symbol) == "party" else "Số:"
