"""Reading the built PDFs the way a ruler and a magnifier would: lines of text with their font,
size and position, horizontal rules, table cells, page numbers. Units are PDF points (1/72 in),
y downwards from the top of the page, as pdfplumber gives them."""
from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
ALLOWED_FONT = re.compile(r"^(?:[A-Z]{6}\+)?(Liberation-?Serif|Times-?New-?Roman(?:PS)?)(-|$|MT|,)")
COLUMN_GAP = 40.0    # a horizontal gap wider than this separates two columns (the header, Nơi nhận)


def is_bold(fontname: str) -> bool:
    return "Bold" in fontname


def is_italic(fontname: str) -> bool:
    return "Italic" in fontname or "Oblique" in fontname


def norm(text: str) -> str:
    """Text to compare content with paper: NFC, no whitespace, no Markdown emphasis marks."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("*", "")
    return re.sub(r"\s+", "", text)


def squash(text: str) -> str:
    """Whitespace runs to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class Segment:
    """One run of text on one line of one column."""

    chars: list = field(repr=False)

    @property
    def text(self) -> str:
        out, prev = [], None
        for c in self.chars:
            if prev is not None and c["x0"] - prev["x1"] > 1.0 and prev["text"] != " " and c["text"] != " ":
                out.append(" ")
            out.append(c["text"])
            prev = c
        return squash("".join(out))

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars if c["text"].strip())

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars if c["text"].strip())

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def baseline(self) -> float:
        return self.chars[0]["baseline"]

    def visible(self) -> list:
        return [c for c in self.chars if c["text"].strip()]

    @property
    def sizes(self) -> set[float]:
        return {round(c["size"], 1) for c in self.visible()}

    @property
    def size(self) -> float:
        sizes = self.sizes
        assert len(sizes) == 1, f"mixed sizes {sizes} in {self.text!r}"
        return next(iter(sizes))

    @property
    def bold(self) -> bool:
        return all(is_bold(c["fontname"]) for c in self.visible())

    @property
    def italic(self) -> bool:
        return all(is_italic(c["fontname"]) for c in self.visible())

    @property
    def regular(self) -> bool:
        return not any(is_bold(c["fontname"]) or is_italic(c["fontname"]) for c in self.visible())


def _with_baseline(page) -> list:
    chars = []
    for c in page.chars:
        c = dict(c)
        c["baseline"] = round(page.height - c["matrix"][5], 1)
        chars.append(c)
    return chars


def segments(page, gap: float = COLUMN_GAP) -> list[Segment]:
    """The page's text as segments, top to bottom, left to right."""
    lines: dict[float, list] = {}
    for c in _with_baseline(page):
        key = next((k for k in lines if abs(k - c["baseline"]) <= 1.0), c["baseline"])
        lines.setdefault(key, []).append(c)
    out = []
    for key in sorted(lines):
        chars = sorted(lines[key], key=lambda c: c["x0"])
        run = [chars[0]]
        for c in chars[1:]:
            if c["x0"] - run[-1]["x1"] > gap:
                out.append(Segment(run))
                run = []
            run.append(c)
        out.append(Segment(run))
    return [s for s in out if s.text]


def find(segs: list[Segment], pattern: str, start: int = 0) -> tuple[int, Segment]:
    """The first segment (from ``start``) whose whole text matches ``pattern`` (a regex)."""
    rx = re.compile(pattern)
    for i, s in enumerate(segs[start:], start):
        if rx.fullmatch(s.text):
            return i, s
    raise AssertionError(f"no line matching {pattern!r} in: " + " | ".join(s.text for s in segs[start:start + 40]))


def hrules(page) -> list[tuple[float, float, float]]:
    """Horizontal rules drawn as thin filled rectangles (the header's lines): (x0, x1, top)."""
    return sorted({(round(r["x0"], 2), round(r["x1"], 2), round(r["top"], 2))
                   for r in page.rects if 0.2 <= r["height"] <= 2 and r["width"] > 5}, key=lambda r: r[2])


def rule_under(page, seg: Segment, within: float = 8.0) -> tuple[float, float, float]:
    """The rule just under a segment: its top within ``within`` pt of the text's bottom, under the
    text's centre."""
    found = [r for r in hrules(page) if 0 <= r[2] - seg.bottom <= within and r[0] < seg.center < r[1]]
    assert found, f"no rule under {seg.text!r} (bottom {seg.bottom:.1f}); rules: {hrules(page)}"
    return found[0]


def is_landscape(page) -> bool:
    return page.width > page.height


def top_margin_chars(page, top_margin: float) -> list:
    return [c for c in page.chars if c["bottom"] <= top_margin and c["text"].strip()]


@lru_cache(maxsize=None)
def open_pdf(path: str):
    return pdfplumber.open(path)


def text_without_page_numbers(pdf, top_margin: float) -> str:
    """The running text of every page, page numbers (in the top margin) left out."""
    parts = []
    for page in pdf.pages:
        parts.append(page.filter(lambda o: o.get("object_type") != "char" or o["bottom"] > top_margin)
                     .extract_text() or "")
    return "\n".join(parts)


def table_cells(pdf) -> list[str]:
    """The text of every table cell of every page (cells stay whole: rows are not split)."""
    cells = []
    for page in pdf.pages:
        for table in page.extract_tables():
            for row in table:
                cells.extend(c for c in row if c)
    return cells


def pdffonts(path: Path) -> list[dict]:
    """``pdffonts`` rows: name, type, encoding, emb, sub, uni."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name may hold no spaces (subset tag + PostScript name); the last 5 columns are fixed
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def fontconfig_without(tmp_path: Path, rejected_globs: list[str]) -> Path:
    """A fontconfig file that hides Times New Roman and the files matching ``rejected_globs``:
    a machine without the face ND30 asks for (FONTCONFIG_FILE=…)."""
    globs = "".join(f"<glob>{g}</glob>" for g in rejected_globs)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{tmp_path / 'fc-cache'}</cachedir>
  <selectfont><rejectfont>{globs}
    <pattern><patelt name="family"><string>Times New Roman</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
""", encoding="utf-8")
    return conf
