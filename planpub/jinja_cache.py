"""Compile each Jinja template once, not on every build: a bytecode cache in ``build/jinja``.

Jinja keys each entry by the template's name and a checksum of its source (and its own format
and Python's), so an edited template is compiled again; deleting the folder is always safe.
Compiling the templates (ours and Material's) was most of the cost of a small rebuild. The folder
is the build's (``Paths.jinja_cache``), set once per process by the pipeline (:func:`use`); until
then templates are compiled without a cache.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache

_folder: Path | None = None


def use(folder: Path | None) -> None:
    """Keep compiled templates in ``folder`` from now on (None: do not keep them)."""
    global _folder
    _folder = folder


def bytecode_cache() -> BytecodeCache | None:
    if _folder is None:
        return None
    _folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(_folder))
