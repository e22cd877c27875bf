"""Know, before loading anything, whether a build would change anything.

The fingerprint of a build covers every input (content files, templates, our code, mkdocs.yml,
the versions of the tools that render, the options) and what ``site/`` holds now (file names,
sizes, modification times). When both match the stamp the last successful build left (in
``.cache/stamps/``), the build is a no-op and returns at once.
"""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from .settings import TEMPLATES, Paths

#: the code of this package (its templates are hashed too, from where the package finds them)
CODE = Path(__file__).resolve().parent
#: folders not hashed with the code: compiled files, and the templates (hashed on their own)
SKIPPED = {"__pycache__", "_bundled"}
TOOLS = ("weasyprint", "mkdocs", "mkdocs-material", "pydantic", "markdown-it-py", "nh3", "pyyaml", "jinja2",
         "icalendar", "pyhanko")


def _files(root: Path):
    if root.is_file():
        yield root
    elif root.is_dir():
        for folder, dirs, files in os.walk(root, followlinks=True):  # planpub/_bundled links to templates/
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
            yield from (Path(folder) / name for name in sorted(files))


def hash_tree(h, root: Path, base: Path) -> None:
    for path in _files(root):
        rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
        h.update(rel.encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def tool_versions() -> dict[str, str]:
    out = {}
    for name in TOOLS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def inputs_fingerprint(paths: Paths, options: dict) -> str:
    """Hash of everything a build reads; the same inputs give the same site."""
    h = hashlib.sha256()
    hash_tree(h, paths.content, paths.content)
    for name, part in (("code", CODE), ("templates", TEMPLATES), ("mkdocs.yml", paths.mkdocs_config)):
        h.update(name.encode() + b"\0")
        hash_tree(h, part, part.parent)
    h.update(json.dumps({"tools": tool_versions(), "options": options}, sort_keys=True).encode())
    return h.hexdigest()


def site_fingerprint(site_dir: Path) -> str:
    """Cheap hash of what site/ holds now: names, sizes and modification times (a walk with
    ``os.scandir``: at 100 communes site/ holds some 16,000 files)."""
    lines: list[str] = []
    todo = [("", str(site_dir))]
    while todo:
        prefix, folder = todo.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                todo.append((f"{prefix}{entry.name}/", entry.path))
            elif entry.is_file():
                st = entry.stat()
                lines.append(f"{prefix}{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n")
    return hashlib.sha256("".join(sorted(lines)).encode()).hexdigest()


def _stamp_path(paths: Paths) -> Path:
    return paths.stamps / (hashlib.sha256(str(paths.site.resolve()).encode()).hexdigest()[:24] + ".json")


def is_up_to_date(paths: Paths, inputs: str) -> bool:
    try:
        stamp = json.loads(_stamp_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (paths.site.is_dir() and stamp.get("inputs") == inputs
            and stamp.get("site") == site_fingerprint(paths.site))


def record(paths: Paths, inputs: str) -> None:
    path = _stamp_path(paths)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"inputs": inputs, "site": site_fingerprint(paths.site)}), encoding="utf-8")
    os.replace(tmp, path)


def forget(paths: Paths) -> None:
    _stamp_path(paths).unlink(missing_ok=True)
