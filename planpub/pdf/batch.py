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


def render_many(htmls: list[str], full: bool = False, workers: int | None = None) -> list[bytes]:
    """PDF bytes for each HTML, from the cache where possible, the rest in parallel."""
    keys = [cache_key(h) for h in htmls]
    results: list[bytes | None] = [None] * len(htmls)
    if not full:
        for i, key in enumerate(keys):
            cached = CACHE / f"{key}.pdf"
            if cached.is_file():
                results[i] = cached.read_bytes()
    missing = [i for i, r in enumerate(results) if r is None]
    workers = min(workers or os.cpu_count() or 1, len(missing))
    if workers <= 1:
        rendered = [_render(htmls[i]) for i in missing]
    else:
        # fork: the workers start with our modules loaded; each imports WeasyPrint once
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            rendered = list(pool.map(_render, [htmls[i] for i in missing]))
    CACHE.mkdir(parents=True, exist_ok=True)
    for i, data in zip(missing, rendered):
        results[i] = data
        tmp = CACHE / f".{keys[i]}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, CACHE / f"{keys[i]}.pdf")
    return results  # type: ignore[return-value]
