"""Know, before loading anything, whether a build would change anything.

The fingerprint of a build covers every input (content files, templates, our code, mkdocs.yml,
the versions of the tools that render, the options) and what ``site/`` holds now (file names,
sizes, modification times). When both match the stamp the last successful build left, the build
is a no-op and returns at once.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAMPS = ROOT / ".cache" / "stamps"
TOOLS = ("weasyprint", "mkdocs", "mkdocs-material", "pydantic", "markdown-it-py", "nh3", "pyyaml", "jinja2",
         "icalendar", "pyhanko")


def _files(root: Path):
    if root.is_file():
        yield root
    elif root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


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


def inputs_fingerprint(content_dir: Path, options: dict) -> str:
    """Hash of everything a build reads; the same inputs give the same site."""
    h = hashlib.sha256()
    hash_tree(h, content_dir, content_dir)
    for part in ("templates", "planpub", "mkdocs.yml", "pyproject.toml"):
        hash_tree(h, ROOT / part, ROOT)
    h.update(json.dumps({"tools": tool_versions(), "options": options}, sort_keys=True).encode())
    return h.hexdigest()


def site_fingerprint(site_dir: Path) -> str:
    """Cheap hash of what site/ holds now: names, sizes and modification times."""
    h = hashlib.sha256()
    for path in _files(site_dir):
        st = path.stat()
        h.update(f"{path.relative_to(site_dir).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _stamp_path(site_dir: Path) -> Path:
    return STAMPS / (hashlib.sha256(str(site_dir.resolve()).encode()).hexdigest()[:24] + ".json")


def is_up_to_date(site_dir: Path, inputs: str) -> bool:
    try:
        stamp = json.loads(_stamp_path(site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (site_dir.is_dir() and stamp.get("inputs") == inputs
            and stamp.get("site") == site_fingerprint(site_dir))


def record(site_dir: Path, inputs: str) -> None:
    path = _stamp_path(site_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"inputs": inputs, "site": site_fingerprint(site_dir)}), encoding="utf-8")


def forget(site_dir: Path) -> None:
    _stamp_path(site_dir).unlink(missing_ok=True)
