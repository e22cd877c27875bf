"""Processes and folders of one build: a leaf module (it imports nothing of ours), used by the
pipeline and by the stages alike, so that no stage imports the pipeline that runs it.

- :func:`hold` / :func:`release` / :func:`remove_leftovers`: a build's temporary folders are locked
  while it lives; the next build removes those a killed build left.
- :func:`link_tree` / :func:`link_file` / :func:`replace_file`: the new site is assembled from hard
  links to files kept from earlier builds (no bytes copied), and a file that may be linked from a
  published site is never written in place: it is replaced by a new file (a new inode), so that
  the published one keeps its bytes. :func:`read_json_object` reads back what a build kept.
- :func:`die_with_parent`: first thing in a worker process, so that it dies with the build, even
  when the build is killed with -9.
- :func:`in_background`: run a function in a process of its own (started with ``spawn``: a fresh
  interpreter, never a fork of a process that has threads) while the build goes on.
- :func:`pause_point`: a named moment of the build where a test may stop it (``PLANPUB_PAUSE_AT``).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

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


# --- files: linked, never rewritten in place -------------------------------------------------------

def link_file(src: Path | str, dst: Path | str) -> None:
    """Make ``dst`` a hard link to ``src`` (replacing a file ``dst``); a copy when the two are on
    different file systems or the file system has no hard links."""
    try:
        os.link(src, dst)
        return
    except FileExistsError:
        os.unlink(dst)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(src, dst)
        return
    link_file(src, dst)


def link_tree(src: Path, dst: Path) -> None:
    """Put every file under ``src`` into ``dst`` at the same place, as a hard link; a file of that
    name already in ``dst`` is replaced. Nothing is copied: both names share the file, so neither
    may ever be written in place afterwards (see :func:`replace_file`)."""
    for folder, _dirs, files in os.walk(src):
        rel = os.path.relpath(folder, src)
        target = dst if rel == "." else dst / rel
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            link_file(os.path.join(folder, name), target / name)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file in place of ``path`` (written beside it, then renamed over it):
    another name of the old file (a hard link in a published site) keeps the old bytes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_json_object(path: Path) -> dict | None:
    """The JSON object in the file ``path``; None when it is missing, unreadable or not an object
    (a record an earlier build kept: then it is made again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# --- worker processes die with the build -----------------------------------------------------

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Called first in a worker: the kernel kills it when ``parent`` dies, even by kill -9 (Linux
    ``prctl(PR_SET_PDEATHSIG)``); if the parent is already gone, exit now."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own handler (see the pipeline)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


#: how worker processes are started: a fresh interpreter (``spawn``), never a fork of the build,
#: which has threads (the PDF pool's) by the time workers start
START_METHOD = "spawn"


def context():
    """The ``multiprocessing`` context workers are started with (imported when first needed)."""
    import multiprocessing
    return multiprocessing.get_context(START_METHOD)


def _background(parent: int, conn, work: Callable[..., None], args: tuple) -> None:
    """The process of :func:`in_background`: do the work, send back a failure's traceback."""
    die_with_parent(parent)
    failure = ""
    try:
        work(*args)
    except BaseException:  # noqa: BLE001 — reported to the parent, which raises it
        failure = traceback.format_exc()
    conn.send(failure)
    conn.close()


@contextmanager
def interrupt_after() -> Iterator[None]:
    """Hold an interruption (Ctrl+C, SIGTERM) until the block ends: a process being started is
    handed its whole start-up data, so it never dies on half of it with a traceback on the clerk's
    screen; the interruption then stops the build as usual. Only the main thread gets signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: held.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if held:
            handler = previous[held[0]]
            if callable(handler):
                handler(held[0], None)
            elif handler == signal.SIG_DFL and held[0] == signal.SIGTERM:
                os.kill(os.getpid(), signal.SIGTERM)
            else:
                raise KeyboardInterrupt


def in_background(work: Callable[..., None], *args) -> Callable[[], None]:
    """Run ``work(*args)`` in a process of its own (``work`` and ``args`` are pickled) while this one
    goes on; return the step that waits for it (and its ``cancel``). On one core, run it now."""
    if (os.cpu_count() or 1) < 2:
        work(*args)
        return lambda: None
    ctx = context()
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_background, args=(os.getpid(), send, work, args), daemon=True)
    with interrupt_after():
        process.start()
    send.close()

    def finish() -> None:
        try:
            failure = receive.recv()
        except EOFError:  # the process died without a word (killed, out of memory)
            failure = "(the process ended without reporting)"
        finally:
            receive.close()
        process.join()
        if failure or process.exitcode != 0:
            raise RuntimeError(f"{getattr(work, '__name__', work)} failed in its process:\n{failure}")

    def cancel() -> None:
        receive.close()
        if process.is_alive():
            process.terminate()
        process.join()

    finish.cancel = cancel  # type: ignore[attr-defined]
    return finish


# --- moments where a test may stop a build ---------------------------------------------------

PAUSE_VARIABLE = "PLANPUB_PAUSE_AT"


def pause_point(name: str) -> None:
    """When the environment variable ``PLANPUB_PAUSE_AT`` names this moment, say so on stderr and
    wait (a test then kills the build here). Costs nothing otherwise."""
    if os.environ.get(PAUSE_VARIABLE) == name:
        print(f"planpub: paused at {name}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)
