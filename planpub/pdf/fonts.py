"""The one face ND30 allows: Times New Roman, else Liberation Serif (same widths), never another.

The stylesheet asks for ``"Times New Roman", "Liberation Serif"`` and WeasyPrint finds them through
fontconfig, as ``fc-match`` does. Before anything is rendered this module checks, with ``fc-list``
and ``fc-match``, that what fontconfig will hand out is right:

- a face counts only when it has all four styles (regular, bold, italic, bold italic) and every
  Vietnamese letter: Debian's old ``fonts-liberation`` (1.07) lacks 46 of them and does not count;
- for each style, the file fontconfig picks for ``Times New Roman`` is one of those complete files
  (not the old Liberation 1.07 installed beside ``fonts-liberation2``);
- every character of a document is in the face (:meth:`Faces.missing`), so no letter is drawn
  with a fallback face of other widths.

If the check fails the build stops with a message for the clerk (``BuildFailed``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import BuildFailed

#: where the characters each face can draw are kept (``.cache/fonts``): set by the pipeline
#: (:func:`use_cache`); None: read the fonts each time
COVERAGE_CACHE: Path | None = None


def use_cache(folder: Path | None) -> None:
    global COVERAGE_CACHE
    COVERAGE_CACHE = folder

#: Faces in order of preference: ND30 names Times New Roman; Liberation Serif has its metrics.
#: The stylesheet (templates/pdf/nd30.css) names the same two, in the same order.
FACES = ("Times New Roman", "Liberation Serif")

#: Every letter of Vietnamese (upper and lower case) and common punctuation, as a fontconfig
#: charset (hexadecimal code points and ranges): a face must cover all of it.
VIETNAMESE_CHARSET = ("20-7e c0-c3 c8-ca cc cd d2-d5 d9 da dd e0-e3 e8-ea ec ed f2-f5 f9 fa fd "
                      "102 103 110 111 128 129 168 169 1a0 1a1 1af 1b0 1ea0-1ef9 2013 2014 201c 201d 2026")

#: fontconfig weight and slant of the four styles: weight 80 regular, 200 bold; slant 0, 100 italic.
STYLES = {"regular": (80, 0), "bold": (200, 0), "italic": (80, 100), "bold italic": (200, 100)}

HOW_TO_FIX = ("Cách sửa: chạy `bash scripts/setup.sh` (hoặc cài gói phông Liberation 2: "
              "`sudo apt-get install fonts-liberation2` trên Debian 12, `fonts-liberation` trên Debian 13), rồi dựng lại.")
MISSING_MESSAGE = (
    "Không tìm thấy phông chữ Times New Roman hoặc Liberation Serif có đủ chữ tiếng Việt và đủ bốn "
    "kiểu (thường, đậm, nghiêng, đậm nghiêng). Nghị định 30/2020/NĐ-CP quy định phông Times New Roman; "
    "chương trình không thay bằng phông khác vì sẽ làm lệch dòng và trang của văn bản.\n" + HOW_TO_FIX)


@dataclass(frozen=True)
class Faces:
    """The face found: its family name and the file of each style."""

    name: str
    files: tuple[tuple[str, Path], ...]          # (style, file)
    version: int = 0
    _covered: frozenset = field(default=frozenset(), repr=False, compare=False)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that some style of the face cannot draw (controls ignored)."""
        return sorted({c for c in text if c not in self._covered and c.isprintable() and not c.isspace()})

    def describe(self) -> str:
        """One line naming the face and its files (part of every document's HTML: a cache key)."""
        return f"{self.name} ({self.version}): " + ", ".join(str(p) for _, p in self.files)


def _run(*args: str) -> str:
    exe = shutil.which(args[0])
    if exe is None:
        raise BuildFailed(f"Không có chương trình {args[0]} (gói fontconfig) để tìm phông chữ.\n" + HOW_TO_FIX)
    return subprocess.run([exe, *args[1:]], capture_output=True, text=True, check=False).stdout


def _complete_files(face: str) -> list[tuple[Path, int, int, int]]:
    """(file, weight, slant, version) of every installed file of ``face`` that covers Vietnamese."""
    out = _run("fc-list", "-f", "%{file}\t%{weight}\t%{slant}\t%{fontversion}\n",
               f":family={face}:charset={VIETNAMESE_CHARSET}")
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        try:
            found.append((Path(parts[0]), int(parts[1]), int(parts[2]), int(parts[3] or 0)))
        except (IndexError, ValueError):
            continue
    return found


def _matched_file(face: str, weight: int, slant: int) -> Path | None:
    """The file fontconfig (hence WeasyPrint) uses for ``face`` in one style."""
    out = _run("fc-match", "-f", "%{file}", f"{face}:weight={weight}:slant={slant}").strip()
    return Path(out) if out else None


def _covered(files: list[Path]) -> frozenset:
    """The characters every one of ``files`` can draw. Reading the fonts' character maps takes a
    tenth of a second, so the answer is kept in ``.cache/fonts/``, keyed by each file's path, size
    and modification time."""
    stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    key = hashlib.sha256(json.dumps(stats).encode()).hexdigest()
    kept = COVERAGE_CACHE / f"{key}.txt" if COVERAGE_CACHE is not None else None
    if kept is not None:
        try:
            return frozenset(kept.read_bytes().decode("utf-8", "surrogatepass"))
        except OSError:
            pass
    from fontTools.ttLib import TTFont  # noqa: PLC0415 — a dependency of WeasyPrint

    sets = []
    for path in files:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            sets.append(set(map(chr, font.getBestCmap())))
    covered = frozenset(set.intersection(*sets)) if sets else frozenset()
    if kept is None:
        return covered
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
        tmp.write_bytes("".join(sorted(covered)).encode("utf-8", "surrogatepass"))
        os.replace(tmp, kept)
    except OSError:
        pass
    return covered


def _face(face: str) -> Faces | None:
    complete = _complete_files(face)
    complete_paths = {f[0].resolve() for f in complete}
    files = []
    for style, (weight, slant) in STYLES.items():
        if not any(f[1] == weight and f[2] == slant for f in complete):
            return None
        # What the stylesheet's first family resolves to must be one of these complete files.
        matched = _matched_file(FACES[0], weight, slant)
        if matched is None or matched.resolve() not in complete_paths:
            return None
        files.append((style, matched))
    version = max(f[3] for f in complete)
    return Faces(name=face, files=tuple(files), version=version, _covered=_covered([p for _, p in files]))


@lru_cache(maxsize=1)
def find_faces() -> Faces:
    """The face the PDFs are printed with; raises :class:`BuildFailed` when it is not installed."""
    for face in FACES:
        found = _face(face)
        if found is not None:
            return found
    raise BuildFailed(MISSING_MESSAGE)
