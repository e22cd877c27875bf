"""The build: load and check content, render every output into a new folder, then swap it in.

``site/`` is replaced only when every stage succeeded; a failure or an interruption leaves the
previous ``site/`` as it was. The new folder and ``site/`` are exchanged in one step (Linux
``renameat2(RENAME_EXCHANGE)``): a reader never finds ``site/`` missing. Builds of the same
``site/`` swap one at a time (a lock in ``.cache/stamps/``) and never publish content read before
the content ``site/`` already holds: the later content wins. Worker processes die with the build
(``PR_SET_PDEATHSIG``), and folders a killed build left (``.site-new-*``, ``build/.docs-*``,
``build/.private-*``: each held by its build with a lock) are removed by the next build. Stages are plain functions ``stage(site, out_dir, options)``; a stage
may return a function that finishes its work (the PDF stage renders while the website stage runs):
these run in stage order once every stage has started, then the new site is swapped in.
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
import traceback
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from . import model
from .check import check_site
from .diagnostics import Report
from .errors import BuildFailed, Notice
from .load import load_content
from .opendata import write_open_data

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
STAMPS = ROOT / ".cache" / "stamps"

@dataclass
class BuildOptions:
    content_dir: Path
    site_dir: Path
    as_of: date = field(default_factory=date.today)
    full: bool = False
    strict: bool = False
    stages: tuple[str, ...] = ("data", "pdf", "website")
    #: each commune's kept pages (planpub/communes.py ``Products``), or None: every page generated
    products: object = None
    #: filled by the stages: notices about the machine (each once), printed by the command line
    notices: list[Notice] = field(default_factory=list)


__all__ = ["BuildFailed", "BuildOptions", "Notice", "available_stages", "build", "in_background", "load_and_check"]


def load_and_check(content_dir: Path, root: Path, as_of: date | None = None) -> tuple[model.Site, Report]:
    """Load and check ``content_dir``; ``as_of`` (default today) is the latest day progress may bear."""
    report = Report(root=root)
    loaded_at = time.time_ns()
    site = load_content(content_dir, report)
    site.loaded_at = loaded_at
    check_site(site, content_dir, report, as_of)
    return site, report


def _stage_data(site: model.Site, out: Path, options: BuildOptions) -> None:
    write_open_data(site, out / "data", options.as_of)


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


def build(site: model.Site, options: BuildOptions) -> None:
    """Render into a fresh folder beside ``site/`` and swap it in when all stages succeeded."""
    target = options.site_dir
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, ".site-new-")
    remove_leftovers(BUILD, ".docs-", ".private-")
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
        while finishers:
            finishers.pop(0)()
        with _site_lock(target) as stamp:
            published = _read_stamp(stamp)
            loaded_at = site.loaded_at if site.loaded_at is not None else time.time_ns()
            if published is not None and published > loaded_at:
                raise BuildFailed("một lần dựng khác, đọc nội dung sau lần này, đã công bố vào site/ trước; "
                                  "lần dựng này (nội dung cũ hơn) không thay site/. Dựng lại nếu cần.")
            remove_leftovers(target.parent, ".site-old-")
            _swap(staging, target)
            _write_stamp(stamp, loaded_at)
    except BaseException:
        for finish in finishers:
            getattr(finish, "cancel", lambda: None)()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        release(staging)
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # the command line says "site/ cũ giữ nguyên" and exits 130


# --- one build's folders: held while it lives, removed by the next build once it is dead ----------

_held: dict[Path, int] = {}


def hold(folder: Path) -> None:
    """Mark ``folder`` as in use by this build (a lock on the folder itself, gone when the process
    and its workers are): :func:`remove_leftovers` of another build leaves it alone."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _held[folder] = fd


def release(folder: Path) -> None:
    fd = _held.pop(folder, None)
    if fd is not None:
        os.close(fd)


def remove_leftovers(parent: Path, *prefixes: str) -> None:
    """Remove folders named ``<prefix>…`` in ``parent`` that no running build holds (left by a
    build that was killed)."""
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefixes) or not entry.is_dir(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if path in _held:
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a live build holds it
            os.close(fd)
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)


class _site_lock:
    """The lock of one ``site/`` folder (in ``.cache/stamps/``), held while a build swaps it in; its
    file holds when the content ``site/`` was built from was read."""

    def __init__(self, target: Path) -> None:
        key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:24]
        self.path = STAMPS / f"{key}.published"

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


# --- worker processes die with the build -----------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Called first in a forked worker: the kernel kills it when ``parent`` dies, even by kill -9
    (Linux ``prctl(PR_SET_PDEATHSIG)``); if the parent is already gone, exit now."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own handler (see build)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def in_background(work: Callable[..., None], *args) -> Callable[[], None]:
    """Run ``work(*args)`` in a forked process (it sees everything loaded so far) while this one goes
    on; return the step that waits for it (and its ``cancel``). On one core, run it now."""
    if (os.cpu_count() or 1) < 2:
        work(*args)
        return lambda: None
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: do the work, report a failure through the pipe, never return
        die_with_parent(parent)
        os.close(read)
        code = 0
        try:
            work(*args)
        except BaseException:  # noqa: BLE001 — reported to the parent, which raises it
            os.write(write, traceback.format_exc().encode("utf-8", "replace"))
            code = 1
        finally:
            os._exit(code)
    os.close(write)

    pipe = os.fdopen(read, "rb")

    def finish() -> None:
        with pipe:
            failure = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        if failure or status != 0:
            raise RuntimeError(f"{getattr(work, '__name__', work)} failed in its process:\n{failure}")

    def cancel() -> None:
        pipe.close()
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass

    finish.cancel = cancel  # type: ignore[attr-defined]
    return finish


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
