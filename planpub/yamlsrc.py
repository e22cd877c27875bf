"""Read YAML safely and remember where every key came from (file, line, column).

Each mapping gets an extra key ``__pos__`` holding a :class:`Pos`; the schema keeps it out of
the data it exports but uses it to point a clerk at the exact line of a problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

POS = "__pos__"
MAX_BYTES = 2_000_000  # a plan's file is a few dozen KB; anything this large is a mistake
#: how many values aliases (``*name``) may repeat in one file: a plan repeats a list of agencies
#: a few times at most; a few lines of aliases of aliases ("billion laughs") would repeat millions
MAX_ALIAS_EXPANSION = 10_000


@dataclass
class Pos:
    file: Path
    line: int
    column: int
    keys: dict[Any, tuple[int, int]] = field(default_factory=dict)  # key -> (line, column)
    items: dict[Any, list[int]] = field(default_factory=dict)  # key -> line of each list item

    def line_of(self, key: Any = None, index: int | None = None) -> int:
        if key is None:
            return self.line
        if index is not None and index < len(self.items.get(key, [])):
            return self.items[key][index]
        return self.keys.get(key, (self.line, self.column))[0]

    def column_of(self, key: Any = None) -> int:
        if key is None:
            return self.column
        return self.keys.get(key, (self.line, self.column))[1]


class SourceError(Exception):
    """A file that cannot be read as YAML; carries the place and a Vietnamese explanation."""

    def __init__(self, file: Path, line: int, column: int, key: str, message: str, hint: str = ""):
        super().__init__(message)
        self.file, self.line, self.column = file, line, column
        self.key, self.message, self.hint = key, message, hint


# libyaml's parser (C) when PyYAML has it: ten times faster on a province's worth of plans
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):
    file: Path = Path("?")


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    result: dict = {}
    pos = Pos(loader.file, node.start_mark.line + 1, node.start_mark.column + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise SourceError(loader.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                              "yaml-key", "Khóa (tên trường) không hợp lệ.",
                              "Tên trường phải là chữ, ví dụ `subject:`.") from None
        if key in result:
            raise SourceError(loader.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                              "yaml-duplicate-key", f"Trường `{key}` được khai báo hai lần trong cùng một khối.",
                              "Xóa một trong hai dòng hoặc gộp nội dung lại.")
        result[key] = loader.construct_object(value_node, deep=True)
        pos.keys[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if isinstance(value_node, yaml.SequenceNode):
            pos.items[key] = [item.start_mark.line + 1 for item in value_node.value]
    result[POS] = pos
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """``2026-02-30`` stays text, so that the schema reports the impossible date at its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_text(path: Path) -> str:
    """Read a content file as UTF-8 text, refusing what a clerk's editor would not produce."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(path, 1, 1, "file-too-large",
                          f"Tệp quá lớn ({size:,} byte; tối đa {MAX_BYTES:,} byte).",
                          "Kiểm tra xem có dán nhầm dữ liệu vào tệp không, hoặc chia thành nhiều phụ lục.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start: exc.start].decode("utf-8", errors="replace")) + 1
        raise SourceError(path, line, column, "encoding",
                          "Tệp không phải văn bản UTF-8 hợp lệ (có byte lạ ở vị trí này).",
                          "Mở tệp bằng trình soạn thảo và lưu lại với mã hóa UTF-8.") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(path, line, 1, "encoding", "Tệp chứa ký tự NUL (tệp nhị phân?).",
                          "Chỉ đặt tệp văn bản YAML hoặc Markdown trong thư mục content/.")
    return text


def load_yaml(path: Path, text: str) -> Any:
    """Parse YAML text (safe: no Python objects) into plain data with positions."""
    loader = _Loader(text)
    loader.file = path
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # an alias is written `*name`: without one, nothing repeats
            _limit_aliases(node, path)
        return loader.construct_document(node)
    except SourceError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        problem = (exc.problem or "").strip()
        lines = text.splitlines()
        if "cannot start any token" in problem and line <= len(lines) and "\t" in lines[line - 1][: column]:
            problem = "found a tab character that cannot start any token"
        raise SourceError(path, line, column, "yaml-syntax",
                          f"Lỗi cú pháp YAML: {_explain_yaml(problem)}",
                          "Kiểm tra thụt lề (dùng dấu cách, không dùng Tab), dấu `:` sau tên trường, "
                          "và đặt văn bản có dấu `:` hoặc `#` trong ngoặc kép.") from None
    except yaml.YAMLError as exc:
        raise SourceError(path, 1, 1, "yaml-syntax", f"Lỗi YAML: {exc}", "Kiểm tra lại cú pháp tệp.") from None
    finally:
        loader.dispose()


def _limit_aliases(root: yaml.Node, path: Path) -> None:
    """Refuse a file whose aliases repeat more than :data:`MAX_ALIAS_EXPANSION` values.

    An alias is the same node reached a second time; the values it repeats are counted once per
    node (memoised), so the count costs time linear in the file, never in what it would expand to.
    """
    size: dict[int, int] = {}  # id(node) -> number of values it stands for, aliases expanded
    seen: set[int] = set()
    repeated = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            size[key] = 1 + sum(size.get(id(c), 0) for c in children)
            continue
        if key in seen:  # reached again through an alias
            if key not in size:  # an alias of a node that contains itself: PyYAML refuses it anyway
                continue
            repeated += size[key]
            if repeated > MAX_ALIAS_EXPANSION:
                mark = node.start_mark
                raise SourceError(path, mark.line + 1, mark.column + 1, "yaml-alias-limit",
                                  f"Bí danh (`*`) lặp lại khối này quá nhiều lần (hơn {MAX_ALIAS_EXPANSION:,} giá trị)."
                                  .replace(",", "."),
                                  "Viết thẳng nội dung thay cho bí danh `&…`/`*…`; một kế hoạch không cần lồng bí danh.")
            continue
        seen.add(key)
        stack.append((node, True))
        for child in reversed(children):
            stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


# (words in the message of PyYAML or libyaml, Vietnamese explanation)
_YAML_PROBLEMS = (
    (("'\\t'", "tab character"), "có ký tự Tab ở đầu dòng"),
    (("mapping values are not allowed",), "có dấu `:` ở chỗ không được phép"),
    (("could not find expected ':'",), "thiếu dấu `:` sau tên trường"),
    (("undefined alias",), "dùng bí danh (*) chưa khai báo"),
    (("expected ',' or ']'", "expected ',' or '}'"), "thiếu dấu đóng ngoặc `]` hoặc `}`"),
    (("found unexpected end of stream", "found unknown escape"), "chuỗi trong ngoặc kép chưa đóng hoặc có ký tự lạ"),
)


def _explain_yaml(problem: str) -> str:
    for needles, vietnamese in _YAML_PROBLEMS:
        if any(n in problem for n in needles):
            return f"{vietnamese} ({problem})"
    return problem or "không đọc được"


def strip_pos(data: Any) -> Any:
    """The same data without position markers (for hashing and export)."""
    if isinstance(data, dict):
        return {k: strip_pos(v) for k, v in data.items() if k != POS}
    if isinstance(data, list):
        return [strip_pos(v) for v in data]
    return data
