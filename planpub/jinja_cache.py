"""Compile each Jinja template once, not on every build: a bytecode cache in ``build/jinja``.

Jinja keys each entry by the template's name and a checksum of its source (and its own format
and Python's), so an edited template is compiled again; deleting the folder is always safe.
Compiling the templates (ours and Material's) was most of the cost of a small rebuild.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

FOLDER = Path(__file__).resolve().parent.parent / "build" / "jinja"


def bytecode_cache() -> FileSystemBytecodeCache:
    FOLDER.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(FOLDER))
