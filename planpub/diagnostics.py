"""Problems found in content, reported to a clerk in Vietnamese with file, line and a hint."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"

_SEVERITY_VI = {ERROR: "lỗi", WARNING: "cảnh báo"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, how bad, a short English key, what is wrong, how to fix it."""

    file: str
    line: int
    column: int
    severity: str
    key: str
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {_SEVERITY_VI[self.severity]} [{self.key}] {self.message}"
        if self.hint:
            text += f"\n    Cách sửa: {self.hint}"
        return text


@dataclass
class Report:
    """Collects diagnostics while content is loaded and checked."""

    root: Path = Path(".")
    items: list[Diagnostic] = field(default_factory=list)

    def _rel(self, path: Path | str) -> str:
        p = Path(path)
        try:  # the folder resolved, not the file: a symbolic link is named as itself, not its target
            return (p.parent.resolve() / p.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def add(self, severity: str, path: Path | str, line: int, key: str, message: str,
            hint: str = "", column: int = 1) -> None:
        d = Diagnostic(self._rel(path), max(line, 1), max(column, 1), severity, key, message, hint)
        if d not in self.items:
            self.items.append(d)

    def error(self, path, line, key, message, hint="", column=1) -> None:
        self.add(ERROR, path, line, key, message, hint, column)

    def warning(self, path, line, key, message, hint="", column=1) -> None:
        self.add(WARNING, path, line, key, message, hint, column)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.file, d.line, d.column, d.key))

    def summary(self) -> str:
        return f"{len(self.errors)} lỗi, {len(self.warnings)} cảnh báo"
