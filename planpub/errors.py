"""What can go wrong in a build, as values every stage (and the command line) may raise or return:
a leaf module (it imports nothing of ours), so that a stage never imports the pipeline that runs it."""
from __future__ import annotations

from dataclasses import dataclass


class BuildFailed(Exception):
    """A stage could not produce its output (the message is for the clerk); ``site/`` is left as it was."""


@dataclass(frozen=True)
class Notice:
    """Something about the machine, not the content, that the clerk should know but that changes
    nothing a reader sees (for example how the PDFs' fonts are subset): reported once, as a
    warning, and the build goes on. ``key`` is permanent, like the checker's keys."""

    key: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"cảnh báo [{self.key}] {self.message}"
        return text + (f"\n    Cách sửa: {self.hint}" if self.hint else "")


class ContentInvalid(Exception):
    """The content has errors (or warnings, when warnings count as errors): nothing was built, and
    ``site/`` is left as it was. ``report`` holds every problem (a :class:`planpub.diagnostics.Report`)."""

    def __init__(self, report) -> None:
        super().__init__("nội dung có lỗi")
        self.report = report
