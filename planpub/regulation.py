"""A regulation (Quy định, Quy chế) issued by a decision: its chapters, articles, clauses and points.

The clerk types it in the attached document's ``body.md`` (docs/content-format.md, "A regulation's
``body.md``"): ``## Chương I. QUY ĐỊNH CHUNG`` for a chapter, ``### Điều 1. Phạm vi điều chỉnh`` for an
article, then paragraphs ``1. …`` (a clause, khoản) and ``a) …`` (a point, điểm), literal, as in any
body. :func:`parse` reads it with markdown-it-py into a typed :class:`Regulation`; every part has a
stable anchor (``chuong-i``, ``dieu-3``, ``dieu-3-khoan-2``, ``dieu-3-khoan-2-diem-b``) that the
website and the PDF both use; :func:`check` reports, at the line of ``body.md``, a chapter number out
of order, an empty chapter, an article numbering gap or repeat (articles run 1, 2, 3 … across
chapters), a clause gap or repeat, and a point out of the Vietnamese order a b c d đ e g h …
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Union

from pydantic import BaseModel, Field

from .diagnostics import Report
from .markdown import parse_blocks

#: The letters of points (điểm), in the Vietnamese order: no f, j, w, z.
VIETNAMESE_POINTS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
#: Document types whose body is a regulation (ND30 Phụ lục III: Quy định QYĐ, Quy chế QC).
TYPES = ("QYĐ", "QC")

_CHAPTER = re.compile(r"^Chương\s+([IVXLC]+)\s*[.:]\s*(\S.*)$")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*\.\s*(\S.*)$")
_CLAUSE = re.compile(r"^(\d+)\.\s+(\S.*)$")
_POINT = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(text: str) -> int:
    """``IV`` → 4 (0 for a malformed numeral)."""
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total if to_roman(total) == text else 0


def to_roman(n: int) -> str:
    out = ""
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def point_slug(letter: str) -> str:
    """``đ`` → ``dd`` (an anchor is ASCII); other letters as they are."""
    return "dd" if letter == "đ" else letter


class Part(BaseModel):
    line: int = Field(default=0, exclude=True, description="line in body.md")
    paragraphs: list[str] = Field(default=[], description="its text, Markdown (emphasis only), one per paragraph")


class Point(Part):
    letter: str
    anchor: str = ""


class Clause(Part):
    number: int
    anchor: str = ""
    points: list[Point] = []


class Article(Part):
    number: int
    title: str
    anchor: str = ""
    points: list[Point] = Field(default=[], description="points directly under the article (no clause)")
    clauses: list[Clause] = []


class Chapter(BaseModel):
    line: int = Field(default=0, exclude=True)
    numeral: str = Field(description="Roman numeral as written: I, II …")
    title: str
    anchor: str = ""
    articles: list[Article] = []


class Stray(BaseModel):
    """Something the format does not place (reported by :func:`check`)."""

    line: int
    kind: str
    text: str


class Regulation(BaseModel):
    """A regulation's parts, in order. Without chapters, its articles stand in ``articles``."""

    chapters: list[Chapter] = []
    articles: list[Article] = Field(default=[], description="articles outside any chapter")
    strays: list[Stray] = Field(default=[], exclude=True)

    def all_articles(self) -> list[Article]:
        return [*self.articles, *(a for c in self.chapters for a in c.articles)]

    def last_part(self) -> Optional[Part]:
        """The part whose last paragraph ends the text (the renderer adds ``./.`` to it)."""
        articles = self.all_articles()
        if not articles:
            return None
        part: Part = articles[-1]
        while True:
            children = [*getattr(part, "points", []), *getattr(part, "clauses", [])]
            if not children:
                return part
            part = children[-1]


def parse(body: str) -> Regulation:
    """The regulation written in ``body`` (Markdown). Never fails: what does not fit the format is
    kept as a :class:`Stray` for :func:`check` to report."""
    reg = Regulation()
    chapter: Optional[Chapter] = None
    article: Optional[Article] = None
    current: Optional[Part] = None  # the part a paragraph without a marker belongs to
    clause: Optional[Clause] = None
    for kind, line, text in parse_blocks(body):
        if kind == "heading2":
            m = _CHAPTER.match(text)
            if m is None:
                reg.strays.append(Stray(line=line, kind="chapter-heading", text=text))
                continue
            chapter = Chapter(line=line, numeral=m[1], title=m[2].strip(), anchor=f"chuong-{m[1].lower()}")
            reg.chapters.append(chapter)
            article = current = clause = None
        elif kind == "heading3":
            m = _ARTICLE.match(text)
            if m is None:
                reg.strays.append(Stray(line=line, kind="article-heading", text=text))
                continue
            n = int(m[1])
            article = Article(line=line, number=n, title=m[2].strip(), anchor=f"dieu-{n}")
            (chapter.articles if chapter is not None else reg.articles).append(article)
            current, clause = article, None
        elif kind == "paragraph":
            new_paragraph = True
            for offset, raw in enumerate(text.split("\n")):
                row, at = raw.strip(), line + offset
                if not row:
                    continue
                if article is None:
                    reg.strays.append(Stray(line=at, kind="text-outside-article", text=row))
                    continue
                mc, mp = _CLAUSE.match(row), _POINT.match(row)
                if mc:
                    n = int(mc[1])
                    clause = Clause(line=at, number=n, anchor=f"{article.anchor}-khoan-{n}", paragraphs=[mc[2]])
                    article.clauses.append(clause)
                    current = clause
                elif mp:
                    owner = clause if clause is not None else article
                    point = Point(line=at, letter=mp[1], anchor=f"{owner.anchor}-diem-{point_slug(mp[1])}",
                                  paragraphs=[mp[2]])
                    owner.points.append(point)
                    current = point
                elif new_paragraph or not current.paragraphs:
                    current.paragraphs.append(row)  # a paragraph of its own within the part
                else:
                    current.paragraphs[-1] += " " + row  # a line broken in two is one line
                new_paragraph = False
        else:
            reg.strays.append(Stray(line=line, kind="regulation-block", text=text))
    return reg


Numbered = Union[Chapter, Article, Clause]


def check(reg: Regulation, path: Path, report: Report) -> None:
    """The numbering rules of a regulation, each finding at its line of ``path`` (body.md)."""
    for stray in reg.strays:
        _stray(stray, path, report)
    articles = reg.all_articles()
    if not articles:
        report.error(path, 1, "regulation-empty", "Quy định không có Điều nào.",
                     "Mỗi Điều là một dòng `### Điều 1. Tiêu đề của điều`, các chương là `## Chương I. TIÊU ĐỀ`.")
        return
    if reg.chapters and reg.articles:
        first = reg.articles[0]
        report.error(path, first.line, "article-outside-chapter",
                     f"Điều {first.number} đứng trước Chương {reg.chapters[0].numeral}: khi văn bản chia chương, "
                     "mọi Điều đều thuộc một chương.",
                     "Chuyển Điều này vào trong một chương, hoặc thêm dòng `## Chương I. TIÊU ĐỀ` trước nó.")
    _sequence([(roman_value(c.numeral), c) for c in reg.chapters], lambda n: f"Chương {to_roman(n)}", "chapter",
              path, report)
    for chapter in reg.chapters:
        if not chapter.articles:
            report.error(path, chapter.line, "chapter-empty", f"Chương {chapter.numeral} không có Điều nào.",
                         "Thêm các Điều của chương (`### Điều n. …`) ngay sau dòng chương, hoặc xóa chương trống.")
    # ND30 / Luật Ban hành VBQPPL: articles run 1, 2, 3 … through the whole text, across chapters
    _sequence([(a.number, a) for a in articles], lambda n: f"Điều {n}", "article", path, report)
    for article in articles:
        _sequence([(c.number, c) for c in article.clauses], lambda n, a=article: f"khoản {n} Điều {a.number}",
                  "clause", path, report)
        _points(article.points, f"Điều {article.number}", path, report)
        for clause in article.clauses:
            _points(clause.points, f"khoản {clause.number} Điều {article.number}", path, report)


def _next_expected(expected: int, written: int, following: Optional[int]) -> int:
    """After a slip: count on from the number written when the next one follows it (a gap, or a
    repeat that the rest carry on from: one message, not one per item); else the slip stands in
    the place of the expected one."""
    if written == expected or following == written + 1:
        return written + 1
    return expected + 1


def _sequence(items: list[tuple[int, Numbered]], name, key: str, path: Path, report: Report) -> None:
    """Numbers 1, 2, 3 … (``name(n)`` says "Điều 5"): one message per slip."""
    expected, seen = 1, {}
    for i, (number, item) in enumerate(items):
        written = name(number) if number else f"Chương {getattr(item, 'numeral', number)}"
        if number in seen:
            report.error(path, item.line, f"{key}-repeat",
                         f"{written[:1].upper()}{written[1:]} bị trùng (đã có ở dòng {seen[number].line}).",
                         f"Đánh số liên tục: ở dòng này là {name(expected)}.")
        elif number != expected:
            report.error(path, item.line, f"{key}-gap",
                         f"{written[:1].upper()}{written[1:]} đứng ở chỗ của {name(expected)}: "
                         + ("thiếu số ở giữa." if number > expected else "sai thứ tự."),
                         f"Đánh số liên tục, không bỏ, không lặp số: ở dòng này là {name(expected)}.")
        seen.setdefault(number, item)
        expected = _next_expected(expected, number, items[i + 1][0] if i + 1 < len(items) else None)


def _points(points: list[Point], owner: str, path: Path, report: Report) -> None:
    """Points a) b) c) … in the Vietnamese order (no f, j, w, z): one message per slip."""
    expected = 0  # index of the next letter
    previous = None
    index_of = {letter: i for i, letter in enumerate(VIETNAMESE_POINTS)}
    for i, point in enumerate(points):
        right = VIETNAMESE_POINTS[expected] if expected < len(VIETNAMESE_POINTS) else "?"
        index = index_of.get(point.letter, -1)
        if index < 0:
            report.error(path, point.line, "point-letter",
                         f"Điểm “{point.letter})” của {owner} không có trong thứ tự chữ cái tiếng Việt "
                         "(a b c d đ e g h i k l m n o p q r s t u v x y).", f"Sửa thành “{right})”.")
        elif index != expected:
            after = f"đứng sau “{previous})”" if previous else "là điểm đầu tiên"
            report.error(path, point.line, "point-order",
                         f"Điểm “{point.letter})” của {owner} {after}: sai thứ tự chữ cái tiếng Việt.",
                         f"Sửa thành “{right})”; các điểm theo thứ tự a b c d đ e g h i k …")
        following = index_of.get(points[i + 1].letter) if i + 1 < len(points) else None
        expected = _next_expected(expected, index, following) if index >= 0 else expected + 1
        previous = point.letter


_STRAY_HINTS = {
    "chapter-heading": ("Dòng `##` trong quy định là một chương, dạng “Chương I. TIÊU ĐỀ”.",
                        "Viết `## Chương I. QUY ĐỊNH CHUNG` (chữ số La Mã, dấu chấm, rồi tiêu đề của chương)."),
    "article-heading": ("Dòng `###` trong quy định là một Điều, dạng “Điều 1. Tiêu đề”.",
                        "Viết `### Điều 1. Phạm vi điều chỉnh` (số Ả Rập, dấu chấm, rồi tiêu đề của điều)."),
    "text-outside-article": ("Đoạn văn đứng ngoài mọi Điều.",
                             "Trong quy định, mỗi đoạn thuộc một Điều: đặt nó sau dòng `### Điều n. …`."),
    "regulation-block": ("Khối này (bảng, trích dẫn, tiêu đề khác) không có chỗ trong quy định.",
                         "Quy định chỉ gồm chương (`##`), Điều (`###`), khoản `1. …` và điểm `a) …`."),
}


def _stray(stray: Stray, path: Path, report: Report) -> None:
    message, hint = _STRAY_HINTS[stray.kind]
    report.error(path, stray.line, stray.kind, f"{message} (“{stray.text[:60]}”)", hint)
