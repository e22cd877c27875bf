"""The build: load and check content, render every output into a new folder, then swap it in.

``site/`` is replaced only when every stage succeeded; a failure or an interruption leaves the
previous ``site/`` as it was. Stages are plain functions ``stage(site, out_dir, options)``; a stage
may return a function that finishes its work (the PDF stage renders while the website stage runs):
these run in stage order once every stage has started, then the new site is swapped in.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import tempfile
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


@dataclass
class BuildOptions:
    content_dir: Path
    site_dir: Path
    as_of: date = field(default_factory=date.today)
    full: bool = False
    strict: bool = False
    stages: tuple[str, ...] = ("data", "pdf", "website")
    #: filled by the stages: notices about the machine (each once), printed by the command line
    notices: list[Notice] = field(default_factory=list)


__all__ = ["BuildFailed", "BuildOptions", "Notice", "available_stages", "build", "in_background", "load_and_check"]


def load_and_check(content_dir: Path, root: Path, as_of: date | None = None) -> tuple[model.Site, Report]:
    """Load and check ``content_dir``; ``as_of`` (default today) is the latest day progress may bear."""
    report = Report(root=root)
    site = load_content(content_dir, report)
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
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=target.parent))
    finishers: list[Callable[[], None]] = []
    try:
        for name, stage in available_stages().items():
            if name in options.stages:
                finish = stage(site, staging, options)
                if finish is not None:
                    finishers.append(finish)
        while finishers:
            finishers.pop(0)()
        _swap(staging, target)
    except BaseException:
        for finish in finishers:
            getattr(finish, "cancel", lambda: None)()
        shutil.rmtree(staging, ignore_errors=True)
        raise


def in_background(work: Callable[..., None], *args) -> Callable[[], None]:
    """Run ``work(*args)`` in a forked process (it sees everything loaded so far) while this one goes
    on; return the step that waits for it (and its ``cancel``). On one core, run it now."""
    if (os.cpu_count() or 1) < 2:
        work(*args)
        return lambda: None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, report a failure through the pipe, never return
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


def _swap(new: Path, target: Path) -> None:
    os.chmod(new, 0o755)
    if not target.exists():
        os.rename(new, target)
        return
    old = target.parent / f".site-old-{os.getpid()}"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
