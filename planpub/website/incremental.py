"""Rebuild only the web pages whose Markdown changed.

MkDocs builds ``build/docs`` (the ``docs_dir`` of ``mkdocs.yml``) into ``build/site`` (its
``site_dir``); both are kept between builds, with ``build/state.json``, which records what built
them (``mkdocs.yml``, the theme overrides, the code of this package, the tool versions) and the
whole search index. On the next build:

1. the freshly generated docs are compared with ``build/docs`` file by file; a changed or new
   file replaces the kept one and its output in ``build/site`` is deleted; a file that is gone is
   deleted with its output; an unchanged file is not touched;
2. MkDocs runs with ``dirty=True``: it renders the pages (and copies the files) whose output is
   missing, and leaves the others as they are (a page's HTML depends only on its own Markdown:
   the navigation is fixed in ``mkdocs.yml``);
3. Material's search index then holds the rebuilt pages only; :func:`searchfold.finish_search_index`
   puts it together with the kept index of the other pages.

The result is byte for byte what a clean build gives (``tests/test_build_safety.py`` compares
them). A clean build happens instead when anything else changed, with ``--full``, after a build
that did not finish (the state is removed before MkDocs starts and written after it ended), and
when another build holds ``build/`` (a lock): that one then builds in private temporary folders.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import fingerprint
from ..processes import hold, read_json_object, release
from . import mkdocs_build

STATE_VERSION = 1


@dataclass
class Workspace:
    """Where MkDocs reads and writes for this build, and what it has to do."""

    docs: Path
    site: Path
    state: Path | None              # None: a private, throw-away workspace
    dirty: bool = False             # rebuild only what changed
    touched: set[str] = field(default_factory=set)  # URLs of pages changed, added or removed
    previous_index: dict | None = None
    salt: str = ""                  # what built the kept pages (see :func:`salt`)


def salt(config_file: Path) -> str:
    """What decides the HTML of every page besides its own Markdown."""
    h = hashlib.sha256(f"state {STATE_VERSION}".encode())
    fingerprint.hash_tree(h, config_file, config_file.parent)
    overrides = mkdocs_build.theme_overrides(config_file)
    if overrides is not None:
        fingerprint.hash_tree(h, overrides, overrides.parent)
    fingerprint.hash_tree(h, Path(__file__).parent, Path(__file__).parent)
    h.update(json.dumps(fingerprint.tool_versions(), sort_keys=True).encode())
    return h.hexdigest()


@contextmanager
def workspace(fresh_docs: Path, full: bool, build: Path, config_file: Path) -> Iterator[Workspace]:
    """The folders MkDocs works in (in ``build``), filled with ``fresh_docs`` (whose files are moved,
    not copied); ``config_file`` is the ``mkdocs.yml`` the pages are built with.

    The caller runs MkDocs, then calls :func:`commit` with the search index; the lock is held until then.
    """
    build.mkdir(parents=True, exist_ok=True)
    with open(build / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build is using build/: work alone in temporary folders
            private = Path(tempfile.mkdtemp(prefix=".private-", dir=build))
            hold(private)  # removed by a later build if this one is killed
            try:
                yield Workspace(docs=fresh_docs, site=private / "site", state=None)
            finally:
                shutil.rmtree(private, ignore_errors=True)
                release(private)
            return
        yield _prepare(fresh_docs, full, build, config_file)


def _prepare(fresh: Path, full: bool, build: Path, config_file: Path) -> Workspace:
    docs, site, state_path = build / "docs", build / "site", build / "state.json"
    state = read_json_object(state_path)
    state_path.unlink(missing_ok=True)  # written again only when this build has finished
    ws = Workspace(docs=docs, site=site, state=state_path, salt=salt(config_file))
    if full or state is None or state.get("salt") != ws.salt or not docs.is_dir() or not site.is_dir():
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        os.rename(fresh, docs)
        return ws
    config = mkdocs_build.load_config(config_file, docs, site)
    use_directory_urls = config.use_directory_urls
    new, old = _files(fresh), _files(docs)
    gone: set[str] = set()
    for rel in sorted(old.keys() - new.keys()):
        _forget(rel, docs, site, use_directory_urls, ws)
        gone.add(rel)
    for rel in sorted(new):
        if rel in old and _same_file(new[rel], old[rel], fresh / rel, docs / rel):
            continue
        _forget(rel, docs, site, use_directory_urls, ws)
        kept = docs / rel
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh / rel, kept)
    for rel in gone:  # the folders that held only what is gone
        _remove_empty_parents(docs, rel)
        _remove_empty_parents(site, _output(rel, use_directory_urls))
    shutil.rmtree(fresh, ignore_errors=True)
    ws.dirty = True
    ws.previous_index = state.get("search_index")
    return ws


def commit(ws: Workspace, search_index: dict | None) -> None:
    """Record that ``build/`` holds a complete build, so that the next one can start from it."""
    if ws.state is None:
        return
    data = {"salt": ws.salt, "search_index": search_index}
    tmp = ws.state.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, ws.state)


def _forget(rel: str, docs: Path, site: Path, use_directory_urls: bool, ws: Workspace) -> None:
    """Delete a docs file and its output; remember the page's URL (its search entries go too)."""
    from mkdocs.structure.files import File

    file = File(rel, str(docs), str(site), use_directory_urls)
    (docs / rel).unlink(missing_ok=True)
    Path(file.abs_dest_path).unlink(missing_ok=True)
    if file.is_documentation_page():
        ws.touched.add(file.url)


def _files(root: Path) -> dict[str, os.stat_result]:
    """Every file under ``root`` (its path from ``root``, with ``/``) and its status."""
    found: dict[str, os.stat_result] = {}
    todo = [("", str(root))]
    while todo:
        prefix, folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found[prefix + entry.name] = entry.stat()
    return found


def _same_file(a: os.stat_result, b: os.stat_result, pa: Path, pb: Path) -> bool:
    """The same bytes: the same file (a page kept per commune is linked, not copied), else compared."""
    if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
        return True
    return a.st_size == b.st_size and pa.read_bytes() == pb.read_bytes()


def _output(rel: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes the docs file ``rel``."""
    from mkdocs.structure.files import File

    return File(rel, "", "", use_directory_urls).dest_uri


def _remove_empty_parents(root: Path, rel: str) -> None:
    """Remove the folders of ``rel`` under ``root`` that are empty now, deepest first."""
    parts = rel.split("/")[:-1]
    while parts:
        try:
            (root / "/".join(parts)).rmdir()
        except OSError:
            return
        parts.pop()
