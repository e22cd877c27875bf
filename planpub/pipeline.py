"""The build, from start to end: :class:`Pipeline` owns its whole sequence.

``Pipeline(options).run()``:

1. **no-op**: when the fingerprint of every input and of what ``site/`` holds matches the last
   successful build (:mod:`.fingerprint`), return at once;
2. **workers**: start the first PDF rendering process (it imports WeasyPrint while the content loads);
3. **load + check** the content; errors (or warnings with ``--strict``) raise :class:`ContentInvalid`
   and nothing is written;
4. **stages** render into a new folder beside ``site/`` (``.site-new-*``); a stage may return a
   *finisher* (the PDF stage renders while the website stage runs): they run in stage order once
   every stage has started;
5. **swap**: the new folder and ``site/`` are exchanged in one step (Linux
   ``renameat2(RENAME_EXCHANGE)``): a reader never finds ``site/`` missing;
6. **stamp**: the fingerprint of this build is recorded for the next no-op.

``site/`` is replaced only when every stage succeeded; a failure or an interruption leaves the
previous ``site/`` as it was. Builds of the same ``site/`` swap one at a time (a lock in
``.cache/stamps/``) and never publish content read before the content ``site/`` already holds: the
later content wins. Workers die with the build, and folders a killed build left (``.site-new-*``,
``build/.docs-*``, ``build/.private-*``, each held by its build with a lock) are removed by the next
build (:mod:`.processes`). Stages are plain functions ``stage(site, out_dir, options)`` that import
nothing of this module: what they share with it lives in the leaf modules :mod:`.errors`,
:mod:`.settings` and :mod:`.processes`.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import fingerprint
from .errors import BuildFailed, ContentInvalid, Notice
from .processes import hold, pause_point, release, remove_leftovers
from .settings import BuildOptions, Paths

if TYPE_CHECKING:  # the model, loader and checker are imported once a build has something to do:
    from . import model  # a no-op build returns before (it imports nothing but the fingerprint)
    from .communes import Assembly
    from .diagnostics import Report

def load_and_check(content_dir: Path, root: Path, as_of: date | None = None) -> tuple[model.Site, Report]:
    """:func:`planpub.content.load_and_check` (imported when first needed)."""
    from .content import load_and_check as load
    return load(content_dir, root, as_of)


__all__ = ["BuildFailed", "BuildOptions", "BuildResult", "ContentInvalid", "Notice", "Paths", "Pipeline",
           "available_stages", "build", "load_and_check"]


# --- the stages ------------------------------------------------------------------------------

def _stage_data(site: model.Site, out: Path, options: BuildOptions) -> None:
    from .opendata import write_open_data
    write_open_data(site, out / "data", options.as_of, products=options.products, full=options.full)


def _stage_pdf(site: model.Site, out: Path, options: BuildOptions):
    from .pdf.render import render_pdfs
    return render_pdfs(site, out, options)


def _stage_website(site: model.Site, out: Path, options: BuildOptions):
    from .website.render import render_website  # imported after the PDFs are on their way
    return render_website(site, out, options)


def available_stages() -> dict[str, Callable]:
    """Stages by name, in build order; a stage whose renderer is not installed is left out."""
    stages: dict[str, Callable] = {}
    if importlib.util.find_spec("weasyprint"):
        stages["pdf"] = _stage_pdf
    if importlib.util.find_spec("mkdocs") and importlib.util.find_spec("material"):
        stages["website"] = _stage_website
    stages["data"] = _stage_data
    return stages


# --- the sequence ----------------------------------------------------------------------------

@dataclass
class BuildResult:
    """What a run did: ``up_to_date`` (nothing to do), else the content it built and its report."""

    up_to_date: bool = False
    site: model.Site | None = None
    report: Report | None = None
    notices: list[Notice] = field(default_factory=list)
    #: the communes kept at their last good state or left out, said in Vietnamese ("" when none)
    outcome: str = ""


class Pipeline:
    """One build of ``options.paths.content`` into ``options.paths.site``.

    ``on_checked(site, report)`` is called once the content is loaded and checked, before anything
    is rendered (the command line prints the report there)."""

    def __init__(self, options: BuildOptions,
                 on_checked: Callable[[model.Site, Report], None] | None = None) -> None:
        self.options = options
        self.paths: Paths = options.paths
        self.on_checked = on_checked

    # the whole build
    def run(self) -> BuildResult:
        options = self.options
        inputs = fingerprint.inputs_fingerprint(self.paths, {"as_of": options.as_of.isoformat(),
                                                             "stages": sorted(options.stages),
                                                             "strict": options.strict})
        if not options.full and fingerprint.is_up_to_date(self.paths, inputs):
            return BuildResult(up_to_date=True)
        workers = None
        if "pdf" in options.stages and "pdf" in available_stages():
            from .pdf import batch
            workers = batch
            batch.start_workers()  # they get WeasyPrint ready while the content loads
        try:
            assembly = self.assemble()
            fingerprint.forget(self.paths)
            options.products = assembly.products
            self.render_and_publish(assembly.site)
            assembly.commit()  # the communes published with their current content: their last good state
        finally:
            if workers is not None:
                workers.stop_workers()
        outcome = assembly.outcome()
        if not outcome:  # a commune kept or left out: no stamp, the next build looks at it again
            fingerprint.record(self.paths, inputs)
        return BuildResult(site=assembly.site, report=assembly.report, notices=list(options.notices), outcome=outcome)

    def assemble(self) -> "Assembly":
        """Load and check the content commune by commune (:mod:`.communes`: an unchanged commune's
        kept model, a commune with errors its last good state or nothing) and choose what is
        published; :class:`ContentInvalid` when nothing can be (a problem outside every commune)."""
        from . import communes

        self.use_caches()
        assembly = communes.assemble(self.paths, self.options.as_of, strict=self.options.strict,
                                     full=self.options.full)
        if self.on_checked is not None:
            self.on_checked(assembly.current, assembly.report)
        if assembly.refused:
            raise ContentInvalid(assembly.report)
        return assembly

    def check(self) -> tuple[model.Site, Report]:
        """Load and check the content; :class:`ContentInvalid` when it has errors (or warnings, with
        ``strict``)."""
        self.use_caches()
        site, report = load_and_check(self.paths.content, self.paths.project, self.options.as_of)
        if self.on_checked is not None:
            self.on_checked(site, report)
        if report.errors or (self.options.strict and report.warnings):
            raise ContentInvalid(report)
        return site, report

    def use_caches(self) -> None:
        """Point this process's caches (compiled templates, font coverage) at the options' folders."""
        from . import jinja_cache
        from .pdf import fonts

        jinja_cache.use(self.paths.jinja_cache)
        fonts.use_cache(self.paths.font_cache)

    def render_and_publish(self, site: model.Site) -> None:
        """Render into a fresh folder beside ``site/`` and swap it in when all stages succeeded."""
        options, target = self.options, self.paths.site
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent, ".site-new-")
        remove_leftovers(self.paths.build, ".docs-", ".private-")
        staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=target.parent))
        hold(staging)
        finishers: list[Callable[[], None]] = []
        previous = signal.getsignal(signal.SIGTERM)
        if previous == signal.SIG_DFL:  # a terminated build cleans up as an interrupted one does
            signal.signal(signal.SIGTERM, _terminated)
        try:
            for name, stage in available_stages().items():
                if name in options.stages:
                    finish = stage(site, staging, options)
                    if finish is not None:
                        finishers.append(finish)
            pause_point("stages-started")
            while finishers:
                finishers.pop(0)()
            pause_point("before-swap")
            self._publish(site, staging)
            pause_point("after-swap")
        except BaseException:
            for finish in finishers:
                getattr(finish, "cancel", lambda: None)()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            release(staging)
            if previous == signal.SIG_DFL:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def _publish(self, site: model.Site, staging: Path) -> None:
        target = self.paths.site
        with _site_lock(self.paths.stamps, target) as stamp:
            published = _read_stamp(stamp)
            loaded_at = site.loaded_at if site.loaded_at is not None else time.time_ns()
            if published is not None and published > loaded_at:
                raise BuildFailed("một lần dựng khác, đọc nội dung sau lần này, đã công bố vào site/ trước; "
                                  "lần dựng này (nội dung cũ hơn) không thay site/. Dựng lại nếu cần.")
            remove_leftovers(target.parent, ".site-old-")
            _swap(staging, target)
            _write_stamp(stamp, loaded_at)


def build(site: model.Site, options: BuildOptions) -> None:
    """Render ``site`` (already loaded and checked) and publish it: the stages, finishers and swap
    of :class:`Pipeline`, without the no-op test and the stamp."""
    Pipeline(options).render_and_publish(site)


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # the command line says "site/ cũ giữ nguyên" and exits 130


# --- publishing: one site folder's lock, and the swap ------------------------------------------

class _site_lock:
    """The lock of one ``site/`` folder (in ``.cache/stamps/``), held while a build swaps it in; its
    file holds when the content ``site/`` was built from was read."""

    def __init__(self, stamps: Path, target: Path) -> None:
        key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:24]
        self.path = stamps / f"{key}.published"

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self.path

    def __exit__(self, *exc) -> None:
        os.close(self.fd)


def _read_stamp(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip() or "x")
    except (OSError, ValueError):
        return None


def _write_stamp(path: Path, loaded_at: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(f"{loaded_at}\n", encoding="ascii")
    os.replace(tmp, path)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False when this
    system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, target: Path) -> None:
    os.chmod(new, 0o755)
    if not target.exists():
        os.rename(new, target)
        return
    if target.is_dir() and not target.is_symlink() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # it holds the previous site now
        return
    old = target.parent / f".site-old-{os.getpid()}"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
