"""Problems found in content, reported to a clerk in Vietnamese with file, line and a hint."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
#: one file shows at most this many problems of one kind; the rest are counted in one line
MAX_PER_KIND = 50
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
    _seen: set = field(default_factory=set, repr=False)  # the same problem is reported once (a set: linear)
    _names: dict = field(default_factory=dict, repr=False)  # path -> as shown (resolved once per file)
    _kinds: dict = field(default_factory=dict, repr=False)  # (file, severity, key) -> how many reported

    def _rel(self, path: Path | str) -> str:
        shown = self._names.get(path)
        if shown is None:
            shown = self._names[path] = self._rel_uncached(path)
        return shown

    def _rel_uncached(self, path: Path | str) -> str:
        p = Path(path)
        try:  # the folder resolved, not the file: a symbolic link is named as itself, not its target
            return (p.parent.resolve() / p.name).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def add(self, severity: str, path: Path | str, line: int, key: str, message: str,
            hint: str = "", column: int = 1) -> None:
        d = Diagnostic(self._rel(path), max(line, 1), max(column, 1), severity, key, message, hint)
        if d in self._seen:
            return
        self._seen.add(d)
        kind = (d.file, severity, key)
        count = self._kinds[kind] = self._kinds.get(kind, 0) + 1
        if count <= MAX_PER_KIND:
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

    def _more(self) -> list[Diagnostic]:
        """One line per kind of problem shown only :data:`MAX_PER_KIND` times in a file."""
        out = []
        for (file, severity, key), count in self._kinds.items():
            if count > MAX_PER_KIND:
                last = max(d.line for d in self.items if (d.file, d.severity, d.key) == (file, severity, key))
                out.append(Diagnostic(file, last, 1, severity, key,
                                      f"Còn {count - MAX_PER_KIND} chỗ khác có cùng {_SEVERITY_VI[severity]} [{key}] "
                                      f"trong tệp này (chỉ liệt kê {MAX_PER_KIND} chỗ đầu).",
                                      "Sửa các chỗ đã liệt kê (thường cùng một nguyên nhân), rồi kiểm tra lại."))
        return out

    def sorted(self) -> list[Diagnostic]:
        return sorted([*self.items, *self._more()], key=lambda d: (d.file, d.line, d.column, d.key))

    def count(self, severity: str) -> int:
        return sum(n for (_, s, _), n in self._kinds.items() if s == severity)

    def summary(self, strict: bool = False) -> str:
        text = f"{self.count(ERROR)} lỗi, {self.count(WARNING)} cảnh báo"
        if strict and self.count(WARNING):
            text += " (chế độ --strict: cảnh báo được tính là lỗi)"
        return text
