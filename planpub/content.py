"""The content as every command reads it: loaded (:mod:`.load`) and checked (:mod:`.check`), with
the report of every problem. Used by the pipeline and by the commands that change the content
(issue, report, sign), none of which imports the pipeline."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from . import model
from .check import check_site
from .diagnostics import Report
from .load import load_content


def load_and_check(content_dir: Path, root: Path, as_of: date | None = None) -> tuple[model.Site, Report]:
    """Load and check ``content_dir``; ``as_of`` (default today) is the latest day progress may bear;
    file names in the report are shown relative to ``root``."""
    report = Report(root=root)
    loaded_at = time.time_ns()
    site = load_content(content_dir, report)
    site.loaded_at = loaded_at
    check_site(site, content_dir, report, as_of)
    return site, report
