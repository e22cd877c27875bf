"""Render many PDFs fast: reuse what an earlier build rendered from the same input, and render the
rest on every core.

The cache key of a PDF is the SHA-256 of its complete HTML (content, templates, stylesheet and font
files are all in it, see :func:`planpub.pdf.render.document_html`), the WeasyPrint options, the
versions of the rendering tools and the code of this package; the cache is ``.cache/pdf/`` of the
build's paths (``Paths.pdf_cache``). ``--full`` renders everything again (and refreshes the cache).

Workers are started with ``spawn`` (:data:`planpub.processes.START_METHOD`): a fresh interpreter,
never a fork of the build, which has threads by then (the pool's own). The first one is started
before the content loads and imports WeasyPrint meanwhile, so that its first PDF starts at once.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from .. import fingerprint, processes


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


def _render(html: str) -> tuple[bytes, tuple[str, ...]]:
    from .render import html_to_pdf_with_notices
    return html_to_pdf_with_notices(html)


def _start(parent: int, warm: bool) -> None:
    """First thing in a worker: die with the build (even killed with -9), then import WeasyPrint."""
    processes.die_with_parent(parent)
    if warm:
        from .render import _weasyprint
        _weasyprint()


def _new_pool(workers: int, warm: bool) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=processes.context(),
                               initializer=_start, initargs=(os.getpid(), warm))
    with processes.interrupt_after():  # each worker gets its start-up data whole
        for _ in range(workers):  # start every worker now (a pool starts one per task submitted)
            pool.submit(int)
    return pool


# The rendering processes, as (pool, number of workers): the first is started by
# :func:`start_workers` before the content loads and imports WeasyPrint meanwhile (enough for a
# clerk's edit: one PDF); the other cores' pool is added when a second PDF has to be rendered,
# and imports WeasyPrint with its first PDF.
_pools: list[tuple[ProcessPoolExecutor, int]] = []


def start_workers() -> None:
    """Start the first rendering process now, so that it imports WeasyPrint (0.7 s) while this
    process loads the content. Idempotent. On one core there are no workers."""
    if not _pools and (os.cpu_count() or 1) > 1:
        _pools.append((_new_pool(1, warm=True), 1))


def stop_workers() -> None:
    while _pools:
        pool, _ = _pools.pop()
        pool.shutdown(wait=True, cancel_futures=True)


class Pending:
    """PDFs on their way: the cached ones are here, the others render in worker processes while
    the build goes on (the website stage runs meanwhile). :meth:`add` each document's HTML as soon
    as it is made; :meth:`result` waits for all of them. A worker gets its next PDF when it is
    free (PDFs differ in length: handing them all out at once would leave a core idle)."""

    def __init__(self, full: bool, cache: Path) -> None:
        self.full = full
        self.cache = cache
        self.keys: list[str] = []
        self.results: list[bytes | None] = []
        self.htmls: dict[int, str] = {}
        self.waiting: deque[int] = deque()       # to render, not yet handed to a worker
        self.busy: dict[int, int] = {}           # pool index → PDFs it is rendering
        self.rendered: dict[int, bytes] = {}
        self.failure: BaseException | None = None
        self.notices: set[str] = set()           # keys of the environment notices of the PDFs rendered
        self.changed = threading.Condition()
        self.parallel = (os.cpu_count() or 1) > 1

    def add_kept(self, key: str | None) -> bool:
        """Add a PDF by its cache key, known without its HTML; False (nothing added) when it is not
        in the cache (or with ``--full``): then :meth:`add` its HTML."""
        if key is None or self.full or not (self.cache / f"{key}.pdf").is_file():
            return False
        self.keys.append(key)
        self.results.append(None)  # linked from the cache, not read
        return True

    def add(self, html: str) -> None:
        i = len(self.keys)
        key = cache_key(html)
        self.keys.append(key)
        self.results.append(None)  # a cached one is linked from the cache, not read
        if not self.full and (self.cache / f"{key}.pdf").is_file():
            return
        self.htmls[i] = html
        if not self.parallel:
            return  # one core: render here, when asked
        start_workers()
        with self.changed:
            self.waiting.append(i)
            if len(_pools) == 1 and len(self.htmls) >= 2:
                cores = os.cpu_count() or 1
                _pools.append((_new_pool(cores - 1, warm=False), cores - 1))
            self._hand_out()

    def _hand_out(self) -> None:
        """Give waiting PDFs to the pools with a free worker (the lock is held)."""
        for p, (pool, workers) in enumerate(_pools):
            while self.waiting and self.busy.get(p, 0) < workers and self.failure is None:
                i = self.waiting.popleft()
                self.busy[p] = self.busy.get(p, 0) + 1
                try:
                    future = pool.submit(_render, self.htmls[i])
                except RuntimeError as exc:  # the pool is shut down: the build is stopping
                    self.failure = exc
                    return
                future.add_done_callback(lambda f, p=p, i=i: self._done(p, i, f))

    def _done(self, p: int, i: int, future) -> None:
        with self.changed:
            self.busy[p] -= 1
            if future.cancelled():
                self.failure = self.failure or RuntimeError("PDF rendering cancelled")
            elif future.exception() is not None:
                self.failure = self.failure or future.exception()
            else:
                self.rendered[i], notices = future.result()
                self.notices.update(notices)
                self._hand_out()
            self.changed.notify_all()

    def result(self) -> list[bytes | None]:
        try:
            if self.parallel:
                with self.changed:
                    self.changed.wait_for(lambda: self.failure is not None or len(self.rendered) == len(self.htmls))
                    if self.failure is not None:
                        raise self.failure
            else:
                for i, h in self.htmls.items():
                    self.rendered[i], notices = _render(h)
                    self.notices.update(notices)
        finally:
            self.cancel()
        if self.rendered:
            self.cache.mkdir(parents=True, exist_ok=True)
        for i, data in sorted(self.rendered.items()):
            self.results[i] = data
            tmp = self.cache / f".{self.keys[i]}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, self.cache / f"{self.keys[i]}.pdf")
        return self.results

    def files(self) -> list[Path]:
        """Where each PDF is kept in the cache (once :meth:`result` has returned)."""
        return [self.cache / f"{key}.pdf" for key in self.keys]

    def cancel(self) -> None:
        stop_workers()
