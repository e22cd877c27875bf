"""Vietnamese typed any way: folding for search, and the post-build step on the search index.

Material's search (lunr, ``lang: vi``) matches words exactly as written: ``cai cach`` finds no
``cải cách``. Folding maps both to the same letters: ``đ``/``Đ`` → ``d``/``D`` (U+0111 has no
Unicode decomposition, so NFD alone misses it), then NFD with every combining mark removed.

Where the folding happens:

- ``mkdocs.yml`` declares two more index fields, ``title_folded`` and ``text_folded``;
- in the browser, ``assets/search-fold.js`` fills them with the folded title and text of every
  entry when the index is handed to the search worker, and adds the folded form of each query
  word to the query. Folding in the browser rather than here halves the bytes a reader
  downloads (the folded copy is not transferred); the result is the same index. The same script
  holds Material's worker and index request back until the reader opens search;
- after the MkDocs build, :func:`finish_search_index` rewrites ``search/search_index.json``
  as UTF-8 instead of ``\\uXXXX`` escapes (smaller) and checks the folded fields are declared.

:func:`fold` is the reference of the JavaScript ``fold`` (tests compare both).
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

FOLDED_FIELDS = {"title": "title_folded", "text": "text_folded"}
_MARKS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """``Định`` → ``Dinh``; ``cải cách`` → ``cai cach``; the same as ``fold`` in search-fold.js."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", text)))


def _page(entry: dict) -> str:
    return entry["location"].split("#", 1)[0]


def finish_search_index(site_dir: Path, previous: dict | None = None, touched: set[str] = frozenset()) -> dict | None:
    """Rewrite ``search/search_index.json`` (and the ``file://`` copy ``search_index.js``); return it.

    After a build that rendered only some pages (:mod:`.incremental`), Material's index holds those
    pages only: ``previous`` is the whole index of the last build and ``touched`` the URLs of the
    pages changed, added or removed since; the entries of the other pages are taken from it.
    Entries are ordered by page (each page's own order kept), so that a partial and a clean build
    give the same bytes.
    """
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = index.get("docs", [])
    if previous is not None:
        fresh = {_page(e) for e in docs}
        docs = [e for e in previous.get("docs", []) if _page(e) not in touched and _page(e) not in fresh] + docs
    index["docs"] = sorted(docs, key=_page)  # stable: a page's entries keep their order
    fields = index.setdefault("config", {}).setdefault("fields", {})
    for name, folded in FOLDED_FIELDS.items():
        fields.setdefault(folded, {"boost": fields.get(name, {}).get("boost", 1.0)})
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    _replace(path, data)
    script = path.with_name("search_index.js")
    if script.is_file():  # written by Material's offline plugin, read under file://
        _replace(script, f"var __index = {data}")
    return index


def _replace(path: Path, text: str) -> None:
    """Write a new file in place of the old one (another folder may hold a link to the old one)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
