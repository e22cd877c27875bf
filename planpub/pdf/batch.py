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


_pool: ProcessPoolExecutor | None = None


def start_workers() -> None:
    """Start the rendering processes now, so that they import WeasyPrint (0.7 s each) while this
    process loads the content. Forked before any thread exists; idempotent. One core: no workers."""
    global _pool
    workers = os.cpu_count() or 1
    if _pool is None and workers > 1:
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                    initializer=_warm)
        _pool.submit(int)  # with "fork", the first task starts every worker


def stop_workers() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


class Pending:
    """PDFs on their way: the cached ones are here, the others render in worker processes while
    the build goes on (the website stage runs meanwhile). :meth:`result` waits for them."""

    def __init__(self, htmls: list[str], full: bool) -> None:
        self.keys = [cache_key(h) for h in htmls]
        self.results: list[bytes | None] = [None] * len(htmls)
        if not full:
            for i, key in enumerate(self.keys):
                cached = CACHE / f"{key}.pdf"
                if cached.is_file():
                    self.results[i] = cached.read_bytes()
        self.missing = [i for i, r in enumerate(self.results) if r is None]
        self.htmls = htmls
        self.futures = []
        if self.missing:
            start_workers()
        if _pool is not None:
            self.futures = [_pool.submit(_render, htmls[i]) for i in self.missing]

    def result(self) -> list[bytes]:
        try:
            if self.futures:
                rendered = [f.result() for f in self.futures]
            else:  # one core: render here
                rendered = [_render(self.htmls[i]) for i in self.missing]
        finally:
            self.cancel()
        if rendered:
            CACHE.mkdir(parents=True, exist_ok=True)
        for i, data in zip(self.missing, rendered):
            self.results[i] = data
            tmp = CACHE / f".{self.keys[i]}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, CACHE / f"{self.keys[i]}.pdf")
        return self.results  # type: ignore[return-value]

    def cancel(self) -> None:
        stop_workers()


def render_many(htmls: list[str], full: bool = False) -> list[bytes]:
    """PDF bytes for each HTML, from the cache where possible, the rest in parallel."""
    return Pending(htmls, full).result()
