"""Render many PDFs fast: reuse what an earlier build rendered from the same input, and render the
rest on every core.

The cache key of a PDF is the SHA-256 of its complete HTML (content, templates, stylesheet and font
files are all in it, see :func:`planpub.pdf.render.document_html`), the WeasyPrint options, the
versions of the rendering tools and the code of this package. ``--full`` renders everything again
(and refreshes the cache).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from .. import fingerprint

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / ".cache" / "pdf"


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """What else decides the bytes of a PDF: tool versions, options and the code of planpub/pdf."""
    from . import render

    h = hashlib.sha256(json.dumps({"tools": fingerprint.tool_versions(), "options": render.PDF_OPTIONS},
                                  sort_keys=True).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.digest()


def cache_key(html: str) -> str:
    return hashlib.sha256(_salt() + html.encode("utf-8")).hexdigest()


def _render(html: str) -> bytes:
    from .render import html_to_pdf
    return html_to_pdf(html)


def _warm() -> None:
    from .render import _weasyprint
    _weasyprint()


def _fork_pool(workers: int, warm: bool) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_warm if warm else None)
    pool.submit(int)  # with "fork", the first task starts every worker of the pool now
    return pool


# The rendering processes: ``[first]`` is started by :func:`start_workers` before the content
# loads and imports WeasyPrint meanwhile (enough for a clerk's edit: one PDF); the others are
# added when a second PDF has to be rendered, and import WeasyPrint with their first PDF.
_pools: list[tuple[ProcessPoolExecutor, int]] = []


def start_workers() -> None:
    """Start the first rendering process now, so that it imports WeasyPrint (0.7 s) while this
    process loads the content. Idempotent. On one core there are no workers."""
    if not _pools and (os.cpu_count() or 1) > 1:
        from . import render  # noqa: F401 — our modules (and pydantic) loaded once, before the fork
        _pools.append((_fork_pool(1, warm=True), 1))


def _submit(html: str, outstanding: list[int]):
    """Send one PDF to the least busy pool (adding the other cores' pool when it is needed)."""
    start_workers()
    cores = os.cpu_count() or 1
    if len(_pools) == 1 and outstanding[0] >= 1 and cores > 1:
        _pools.append((_fork_pool(cores - 1, warm=False), cores - 1))
        outstanding.append(0)
    i = min(range(len(_pools)), key=lambda k: outstanding[k] / _pools[k][1])
    outstanding[i] += 1
    return _pools[i][0].submit(_render, html)


def stop_workers() -> None:
    while _pools:
        pool, _ = _pools.pop()
        pool.shutdown(wait=True, cancel_futures=True)


class Pending:
    """PDFs on their way: the cached ones are here, the others render in worker processes while
    the build goes on (the website stage runs meanwhile). :meth:`add` each document's HTML as soon
    as it is made; :meth:`result` waits for all of them."""

    def __init__(self, full: bool) -> None:
        self.full = full
        self.keys: list[str] = []
        self.results: list[bytes | None] = []
        self.futures: dict[int, object] = {}
        self.htmls: dict[int, str] = {}
        self.outstanding = [0] * max(1, len(_pools))

    def add(self, html: str) -> None:
        i = len(self.keys)
        key = cache_key(html)
        self.keys.append(key)
        cached = CACHE / f"{key}.pdf"
        self.results.append(cached.read_bytes() if not self.full and cached.is_file() else None)
        if self.results[i] is not None:
            return
        if (os.cpu_count() or 1) > 1:
            self.futures[i] = _submit(html, self.outstanding)
        else:
            self.htmls[i] = html  # one core: render here, when asked

    def result(self) -> list[bytes]:
        try:
            rendered = {i: f.result() for i, f in self.futures.items()}  # type: ignore[attr-defined]
            rendered.update({i: _render(h) for i, h in self.htmls.items()})
        finally:
            self.cancel()
        if rendered:
            CACHE.mkdir(parents=True, exist_ok=True)
        for i, data in rendered.items():
            self.results[i] = data
            tmp = CACHE / f".{self.keys[i]}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, CACHE / f"{self.keys[i]}.pdf")
        return self.results  # type: ignore[return-value]

    def cancel(self) -> None:
        stop_workers()


def render_many(htmls: list[str], full: bool = False) -> list[bytes]:
    """PDF bytes for each HTML, from the cache where possible, the rest in parallel."""
    pending = Pending(full)
    for html in htmls:
        pending.add(html)
    return pending.result()
