"""Read ``content/`` into typed objects (:mod:`planpub.model`), once, reporting every problem.

A commune is a folder with ``commune.yaml``; a document is a sub-folder with ``document.yaml``,
``body.md`` and the files its ``document.yaml`` names (see ``docs/content-format.md``).
"""
from __future__ import annotations

import difflib
import os
import re
import typing
import unicodedata
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import ValidationError

from . import appendices, folders, model, regulation, textrules
from .agencies import AgencyIndex, agency_key
from .diagnostics import Report
from .yamlsrc import POS, Pos, SourceError, load_yaml, read_text

COMMUNE_FILE = "commune.yaml"
DOCUMENT_FILE = "document.yaml"
BODY_FILE = "body.md"
COMMITMENTS_FILE = "commitments.yaml"
TARGETS_FILE = "targets.yaml"
MAX_FILES_PER_DOCUMENT = 200


def load_content(content_dir: Path, report: Report) -> model.Site:
    """Load every commune and document under ``content_dir``; problems go to ``report``."""
    communes: list[model.Commune] = []
    documents: list[model.Document] = []
    if not content_dir.is_dir():
        report.error(content_dir, 1, "no-content", "Không thấy thư mục nội dung.",
                     "Tạo thư mục content/ với mỗi xã một thư mục con.")
        return model.Site(communes=[], documents=[])
    commune_dirs, outside = commune_folders(content_dir, report)
    for commune_dir in commune_dirs:
        commune, docs = load_commune(commune_dir, content_dir, outside, report)
        if commune is not None:
            communes.append(commune)
            documents.extend(docs)
    site = model.Site(communes=communes, documents=documents)
    from .progress import load_progress  # noqa: PLC0415 — it uses this module's readers
    load_progress(site, content_dir, report)
    return site


def commune_folders(content_dir: Path, report: Report) -> tuple[list[Path], set[Path]]:
    """The folders of ``content_dir`` to load as communes, and the links that lead out of it
    (reported here, never read). Problems of the top level (a stray file, a bad folder name) go to
    ``report``."""
    outside = links_outside(content_dir)
    for link in outside:
        _report_link(link, report)
    _Letters.coverage = _font_coverage()
    found = []
    for commune_dir in _entries(content_dir, COMMUNE_FILE, report):
        if commune_dir in outside:
            continue
        if not commune_dir.is_dir():
            _stray_file(commune_dir, "xã", report)
            continue
        if not _folder_name_ok(commune_dir, COMMUNE_FILE, (), report):
            continue
        found.append(commune_dir)
    return found, outside


def load_commune(commune_dir: Path, content_dir: Path, outside: set[Path],
                 report: Report) -> tuple[model.Commune | None, list[model.Document]]:
    """One commune's folder: its ``commune.yaml`` and its documents (progress not yet read: see
    :func:`planpub.progress.load_progress`). The unit of build (planpub/communes.py)."""
    commune = _load_commune(commune_dir, content_dir, report)
    if commune is None:
        return None, []
    documents: list[model.Document] = []
    index = AgencyIndex(commune.agencies)
    for doc_dir in _entries(commune_dir, DOCUMENT_FILE, report):
        if doc_dir in outside or doc_dir.name == COMMUNE_FILE:
            continue
        if not doc_dir.is_dir():
            _stray_file(doc_dir, "văn bản", report)
            continue
        if (doc_dir / DOCUMENT_FILE).is_file() and not _folder_name_ok(
                doc_dir, DOCUMENT_FILE, folders.RESERVED_IN_COMMUNE, report):
            continue
        if not (doc_dir / DOCUMENT_FILE).exists():
            report.warning(doc_dir, 1, "no-document", f"Thư mục `{doc_dir.name}` không có {DOCUMENT_FILE}; bỏ qua.",
                           f"Mỗi văn bản là một thư mục có tệp {DOCUMENT_FILE}.")
            continue
        doc = _load_document(doc_dir, commune, index, content_dir, report)
        if doc is not None:
            documents.append(doc)
    return commune, documents


def _entries(parent: Path, own_file: str, report: Report) -> list[Path]:
    """The entries of ``parent`` to load, sorted. A hidden one (its name starts with a dot) is
    skipped, with a warning when it is a folder holding ``own_file`` (a document or commune that
    would vanish)."""
    found = []
    for p in sorted(parent.iterdir()):
        if p.name.startswith("."):
            if p.is_dir() and not p.is_symlink() and (p / own_file).is_file():
                report.warning(p / own_file, 1, "hidden-folder",
                               f"Thư mục “{p.name}” bắt đầu bằng dấu chấm nên bị bỏ qua: văn bản trong đó không được công bố.",
                               f"Nếu muốn công bố, đổi tên thư mục thành “{folders.suggest(p.name)}”.")
            continue
        found.append(p)
    return found


def _folder_name_ok(folder: Path, own_file: str, reserved: tuple[str, ...], report: Report) -> bool:
    """The folder-name rule of docs/content-format.md: a checker error, and the folder is not loaded."""
    problem = folders.problem(folder.name, reserved)
    if problem is None:
        return True
    shown = folder.name.encode("unicode_escape").decode("ascii") if not folder.name.isprintable() else folder.name
    where = folder / own_file if (folder / own_file).is_file() else folder
    if folder.name in reserved:
        hint = ("Đặt tên khác, ví dụ theo loại, lĩnh vực và năm của văn bản (như `kh-cchc-2026`); các tên dành "
                f"riêng cho trang web: {', '.join(reserved)}.")
    else:
        hint = f"Đổi tên thư mục, ví dụ thành “{folders.suggest(folder.name)}” (tên thư mục là một phần địa chỉ trang web)."
    report.error(where, 1, "folder-name", f"Tên thư mục “{shown}” không dùng được: {problem}.", hint)
    return False


def links_outside(content_dir: Path) -> set[Path]:
    """Symbolic links under ``content_dir`` that lead out of it (or nowhere): never read, never published."""
    root = content_dir.resolve()
    found: set[Path] = set()
    for folder, dirs, files in os.walk(content_dir):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink() and not _inside(path, root):
                found.add(path)
    return found


def _report_link(link: Path, report: Report) -> None:
    report.error(link, 1, "symlink-outside",
                 f"“{link.name}” là liên kết (symlink) trỏ ra ngoài thư mục content/; không đọc, không công bố.",
                 "Chép tệp thật vào thư mục văn bản thay cho liên kết, hoặc xóa liên kết.")


def _stray_file(path: Path, what: str, report: Report) -> None:
    report.warning(path, 1, "not-a-folder",
                   f"“{path.name}” là một tệp, không phải thư mục {what}; bỏ qua.",
                   f"Mỗi {what} là một thư mục (xem docs/content-format.md); chuyển tệp này vào đúng chỗ hoặc xóa nó.")


def _not_a_file(path: Path, report: Report) -> None:
    report.error(path, 1, "not-a-file", f"“{path.name}” là một thư mục, không phải tệp.",
                 f"Đặt nội dung vào tệp {path.name}, không phải vào thư mục cùng tên.")


def _font_coverage() -> frozenset | None:
    """The characters the PDF face can draw, or None when no face is installed (the build says so)."""
    try:
        from .pdf.fonts import find_faces  # noqa: PLC0415 — fontconfig, only when content is read
        return find_faces()._covered
    except Exception:  # noqa: BLE001 — no fontconfig, no face: the PDF stage reports it
        return None


class _Letters:
    coverage: frozenset | None = None  # set by load_content for the run


# --- reading files ---------------------------------------------------------------------------

def _read(path: Path, report: Report, content_dir: Path | None = None) -> str | None:
    try:
        if content_dir is not None and not _inside(path, content_dir):
            if path.is_symlink():
                _report_link(path, report)
            else:
                report.error(path, 1, "path-outside", "Tệp trỏ ra ngoài thư mục content/.",
                             "Chỉ dùng tên tệp nằm trong cùng thư mục văn bản.")
            return None
        if path.exists() and not path.is_file():
            _not_a_file(path, report)
            return None
        text = read_text(path)
    except SourceError as exc:
        report.error(exc.file, exc.line, exc.key, exc.message, exc.hint, exc.column)
        return None
    except OSError as exc:
        report.error(path, 1, "unreadable", f"Không đọc được tệp ({exc.strerror}).", "Kiểm tra tệp có tồn tại không.")
        return None
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        line = next((i + 1 for i, (a, b) in enumerate(zip(text.splitlines(), nfc.splitlines())) if a != b), 1)
        report.warning(path, line, "not-nfc",
                       "Văn bản dùng dạng Unicode tổ hợp (NFD, thường do macOS hoặc Word xuất ra); đã tự chuyển sang NFC.",
                       "Lưu lại tệp ở dạng Unicode dựng sẵn (NFC) để tìm kiếm và so sánh chính xác.")
    if path.suffix == ".md":
        _check_markdown_text(path, nfc, report)
    return nfc


def _check_markdown_text(path: Path, text: str, report: Report) -> None:
    """Characters with no place in a body, at their exact line and column."""
    if not textrules.has_bad_chars(text) and not _missing_letters(text):
        return
    for lineno, line in enumerate(text.split("\n"), 1):
        firsts: dict[str, tuple[int, str]] = {}
        for index, ch, kind in textrules.bad_chars(line):
            if ch == "\r" and index == len(line) - 1:
                continue  # a Windows line end
            firsts.setdefault(ch, (index, kind))
        for ch, (index, kind) in firsts.items():
            _bad_char(path, lineno, index + 1, BODY_FILE, ch, kind, report)
        for ch in _missing_letters(line):
            _letter(path, lineno, line.index(ch) + 1, BODY_FILE, ch, report)


def _bad_char(path: Path, line: int, column: int, field: str, ch: str, kind: str, report: Report) -> None:
    where = f"Trường `{field}`" if field != BODY_FILE else "Văn bản"
    if field == "(khóa)":
        where = "Tên trường"
    if kind == "newline":
        report.error(path, line, "newline-in-field", f"{where} chỉ có một dòng nhưng chứa dấu xuống dòng.",
                     "Viết trên một dòng (bỏ `|` hoặc `\\n`).", column)
        return
    key = {"control": "control-character", "bidi": "bidi-character", "zero-width": "invisible-character"}[kind]
    report.error(path, line, key, f"{where} chứa {textrules.KIND_NAMES[kind]}: {textrules.describe(ch)}.",
                 "Xóa ký tự này (gõ lại đoạn chữ quanh nó); văn bản tiếng Việt không cần ký tự nào như vậy.", column)


def _missing_letters(text: str) -> list[str]:
    covered = _Letters.coverage
    if covered is None:
        return []
    return sorted(c for c in set(text).difference(covered) if c.isprintable() and not c.isspace())


def _letter(path: Path, line: int, column: int, field: str, ch: str, report: Report) -> None:
    where = f"Trường `{field}`" if field != BODY_FILE else "Văn bản"
    report.error(path, line, "letter-not-in-font",
                 f"{where} có ký tự “{ch}” ({textrules.describe(ch)}) mà phông chữ của bản PDF (Times New Roman / "
                 "Liberation Serif) không có; bản PDF sẽ không in được đúng thể thức.",
                 "Thay ký tự này bằng chữ hoặc ký hiệu có trong phông (chữ tiếng Việt, dấu câu thông thường), "
                 "hoặc bỏ đi.", column)


def _check_yaml_text(data: Any, report: Report) -> None:
    """Every text of a YAML file: no control, bidi or invisible character, no line break in a
    one-line field, no letter the PDF face lacks."""
    for file, line, column, field, text in textrules.strings(data):
        if file is None:
            continue
        one_line = field in textrules.ONE_LINE_FIELDS
        if (not one_line or "\n" not in text) and not textrules.has_bad_chars(text) and not _missing_letters(text):
            continue
        for ch, kind in dict.fromkeys((ch, kind) for _, ch, kind in textrules.bad_chars(text, one_line=one_line)):
            _bad_char(file, line, column, field, ch, kind, report)
        for ch in _missing_letters(text):
            _letter(file, line, column, field, ch, report)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _read_yaml(path: Path, report: Report, content_dir: Path | None = None) -> Any:
    text = _read(path, report, content_dir)
    if text is None:
        return None
    if not text.strip():
        report.error(path, 1, "empty-file", "Tệp trống.", "Điền nội dung theo mẫu trong docs/content-format.md.")
        return None
    try:
        data = load_yaml(path, text)
    except SourceError as exc:
        report.error(exc.file, exc.line, exc.key, exc.message, exc.hint, exc.column)
        return None
    _check_yaml_text(data, report)
    return data


# --- validation errors -> Vietnamese ----------------------------------------------------------

def _locate(data: Any, loc: tuple, fallback: Path) -> tuple[Path, int, int]:
    """Follow a pydantic error location through the raw data to the file and line it came from."""
    file, line, column = fallback, 1, 1
    current = data
    for part in loc:
        if isinstance(current, dict):
            pos: Pos | None = current.get(POS)
            if part in current or (pos and part in pos.keys):
                if pos:
                    file, line, column = pos.file, pos.line_of(part), pos.column_of(part)
                current = current.get(part)
                continue
            if pos:
                file, line, column = pos.file, pos.line, pos.column
            continue  # a union tag or a validator's own step
        if isinstance(current, list) and isinstance(part, int) and part < len(current):
            item = current[part]
            if isinstance(item, dict) and item.get(POS):
                file, line, column = item[POS].file, item[POS].line, item[POS].column
            current = item
            continue
    own = current.get(POS) if isinstance(current, dict) else None
    if own is not None and own.file != file:  # the value is a file of its own (an appendix): point into it
        file, line, column = own.file, own.line, own.column
    return file, line, column


def _field_names(model_cls: type) -> list[str]:
    hidden = {"pos", *getattr(model_cls, "DERIVED", ())}
    if model_cls is model.Document:
        hidden |= set(model.LOADER_FIELDS)
    return [name for name in model_cls.model_fields if name not in hidden]


def _explain(err: dict, data: Any, fallback: Path, model_cls: type, report: Report) -> None:
    loc = tuple(err["loc"])
    file, line, column = _locate(data, loc, fallback)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    field = str(loc[-1]) if loc else "?"
    if kind == "missing":
        report.error(file, line, "missing-field", f"Thiếu trường bắt buộc `{field}`.",
                     f"Thêm dòng `{field}: …` (xem docs/content-format.md).", column)
    elif kind == "extra_forbidden":
        known = _known_fields_at(model_cls, loc[:-1])
        near = difflib.get_close_matches(field, known, n=1)
        hint = f"Có phải là `{near[0]}`?" if near else "Xóa trường này."
        if known:
            hint += " Các trường hợp lệ: " + ", ".join(f"`{k}`" for k in known) + "."
        report.error(file, line, "unknown-field", f"Trường `{field}` không có trong mẫu.", hint, column)
    elif kind == "unknown_agency":
        near = ctx.get("nearest") or []
        hint = ("Tên gần nhất: " + "; ".join(f"“{n}”" for n in near) + ". ") if near else ""
        hint += "Sửa tên cho đúng, hoặc thêm cơ quan hay bí danh (aliases) của nó vào commune.yaml."
        report.error(file, line, "unknown-agency", err["msg"], hint, column)
    elif kind == "literal_error":
        expected = re.sub(r"(?<=') or (?=')", " hoặc ", str(ctx.get("expected", "")))
        report.error(file, line, "invalid-value",
                     f"Giá trị “{err.get('input')}” của `{field}` không hợp lệ.",
                     f"Chỉ nhận một trong: {expected}.", column)
    elif kind == "too_short" and field in ("lead",):
        report.error(file, line, "missing-lead", "Nhiệm vụ chưa có cơ quan chủ trì.",
                     "Ghi ít nhất một cơ quan trong `lead:`.", column)
    elif kind in _BOUNDS:
        report.error(file, line, "out-of-range",
                     f"Giá trị “{str(err.get('input'))[:60]}” của `{field}` {_BOUNDS[kind]} {_limit(ctx, err.get('input'))}.",
                     "Sửa lại cho đúng với văn bản gốc (xem docs/content-format.md).", column)
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        report.error(file, line, "invalid-shape", "Phụ lục thiếu hoặc sai `shape`.",
                     "Ghi một trong: " + "; ".join(f"`shape: {s.name}` ({s.describe})"
                                                  for s in appendices.shapes().values()) + ".", column)
    elif kind == "agency_form":
        report.error(file, line, "agency-form", err["msg"],
                     "Viết `- {agency: \"Các phòng, ban\", scope: \"đối với …;\"}` (chỉ hai trường `agency` và `scope`), "
                     "hoặc chỉ tên cơ quan nếu ô không ghi phạm vi.", column)
    elif kind == "deadline_contradiction":
        report.error(file, line, "deadline-contradiction", err["msg"],
                     "Văn bản gốc có ghi thời hạn thì bỏ dòng `deadline_in_source: false`; "
                     "không ghi thì bỏ dòng `deadline:` (không tự đặt thời hạn).", column)
    elif kind == "reserved_field":
        report.error(file, line, "reserved-field", err["msg"], "Xóa dòng này.", column)
    elif kind == "impossible_date":
        report.error(file, line, "impossible-date", err["msg"], "Kiểm tra lại ngày và tháng (tháng 4, 6, 9, 11 có 30 ngày; tháng 2 có 28 hoặc 29).", column)
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
        bound = f"không nhỏ hơn {low}" if low is not None else f"không lớn hơn {high}"
        if field in ("year", "start", "end") or (len(loc) > 1 and loc[-2] in ("years", "values")):
            hint = f"Ghi năm có bốn chữ số, từ {model.YEAR_MIN} đến {model.YEAR_MAX}."
        else:
            hint = f"Ghi số từ 0 đến {model.NUMBER_MAX:,}.".replace(",", ".")
        report.error(file, line, "out-of-range", f"Giá trị “{err.get('input')}” của `{field}` phải {bound}.", hint, column)
    elif kind in ("period_range", "period_order", "period_length"):
        report.error(file, line, "period-range", err["msg"],
                     "Ghi thời kỳ như `2026`, `2026-2030` (năm đầu trước, năm cuối sau); "
                     f"`period: {{start: 2026, end: 2030}}` trong document.yaml; không quá {model.PERIOD_MAX_YEARS} năm.",
                     column)
    elif kind == "string_pattern_mismatch" and field == "period":
        report.error(file, line, "period-range", f"Thời kỳ “{err.get('input')}” không đúng dạng.",
                     "Ghi một năm (`\"2027\"`) hoặc hai năm nối bằng gạch ngang (`\"2026-2030\"`), trong ngoặc kép.",
                     column)
    elif kind == "too_long":
        report.error(file, line, "too-long", f"`{field}` có quá nhiều mục (tối đa {ctx.get('max_length')}).",
                     "Xem lại trường này (mỗi năm một mục).", column)
    elif kind == "string_pattern_mismatch":
        report.error(file, line, "invalid-id", f"Giá trị “{err.get('input')}” của `{field}` không đúng dạng.",
                     "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ `pl-01`); tên tệp là tên trong cùng thư mục.", column)
    elif kind.startswith(("string_", "int_", "float_", "bool_", "list_", "dict_", "date_", "model_")):
        expected = {"string": "một dòng chữ", "int": "một số nguyên", "float": "một số", "bool": "true hoặc false",
                    "list": "một danh sách (mỗi mục một dòng bắt đầu bằng `- `)", "dict": "một khối trường",
                    "date": "một ngày dạng YYYY-MM-DD", "model": "một khối trường"}[kind.split("_")[0]]
        report.error(file, line, "invalid-type", f"`{field}` phải là {expected}.",
                     "Sửa giá trị theo mẫu trong docs/content-format.md.", column)
    elif kind in _PYDANTIC_KINDS:  # one of pydantic's own (its message is English): say it plainly
        report.error(file, line, "invalid-value", f"Giá trị của `{field}` không hợp lệ.",
                     "Sửa giá trị theo mẫu trong docs/content-format.md.", column)
    else:  # one of ours (model.py), whose message is Vietnamese
        report.error(file, line, kind.replace("_", "-"), err["msg"].removeprefix("Value error, "),
                     "Xem docs/content-format.md.", column)


#: pydantic's bounds, in the clerk's words: "… phải lớn hơn hoặc bằng 1"
_BOUNDS = {"too_short": "quá ngắn: tối thiểu", "multiple_of": "phải là bội số của"}
#: (greater/less than and too_long have branches of their own above, with hints on years and rows)
_PYDANTIC_KINDS = frozenset(typing.get_args(pydantic_core.core_schema.ErrorType))


def _limit(ctx: dict, value: Any) -> str:
    for key in ("gt", "ge", "lt", "le", "multiple_of"):
        if key in ctx:
            return str(ctx[key])
    unit = "ký tự" if isinstance(value, str) else "mục"
    for key in ("max_length", "min_length"):
        if key in ctx:
            return f"{ctx[key]} {unit}"
    return ""


def _known_fields_at(model_cls: type, loc: tuple) -> list[str]:
    """The field names allowed at a location (for 'did you mean')."""
    current = model_cls
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            shape = appendices.get(part) if isinstance(part, str) else None  # a union tag: the shape's model
            current = shape.model if shape is not None else current
            continue
        current = _inner_model(info.annotation)
    return _field_names(current) if current is not None and hasattr(current, "model_fields") else []


def _inner_model(annotation: Any):
    if isinstance(annotation, type) and issubclass(annotation, model.BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _validate(model_cls: type, data: Any, path: Path, report: Report, context: dict | None = None):
    if not isinstance(data, dict):
        report.error(path, 1, "invalid-type", "Tệp phải là một khối trường (tên: giá trị).",
                     "Xem mẫu trong docs/content-format.md.")
        return None
    try:
        return model_cls.model_validate(data, context=context or {})
    except ValidationError as exc:
        for err in exc.errors():
            _explain(err, data, path, model_cls, report)
        return None


# --- communes and documents ------------------------------------------------------------------

def _load_commune(commune_dir: Path, content_dir: Path, report: Report) -> model.Commune | None:
    path = commune_dir / COMMUNE_FILE
    if not path.exists() and not path.is_symlink():
        report.error(commune_dir, 1, "no-commune", f"Thư mục xã `{commune_dir.name}` thiếu {COMMUNE_FILE}.",
                     "Tạo commune.yaml với tên xã và danh sách cơ quan.")
        return None
    data = _read_yaml(path, report, content_dir)
    if data is None:
        return None
    commune = _validate(model.Commune, data, path, report)
    if commune and commune.id != commune_dir.name:
        report.error(path, commune.line_of("id"), "id-mismatch",
                     f"Mã xã `{commune.id}` khác tên thư mục `{commune_dir.name}`.", "Đặt `id:` trùng tên thư mục.")
    if commune is not None:
        _check_agency_names(commune, path, report)
    return commune


def _check_agency_names(commune: model.Commune, path: Path, report: Report) -> None:
    """One spelling means one agency: an alias under two agencies is an error; a name that only
    looks like another one (a Cyrillic ``а``, an Icelandic ``ð``) is a warning."""
    owner: dict[str, model.Agency] = {}
    looks: dict[str, tuple[model.Agency, str]] = {}
    for agency in commune.agencies:
        spellings = [(agency.name, agency.line_of("name"), agency.pos.column_of("name") if agency.pos else 1)]
        spellings += [(a, agency.line_of("aliases", i), 1) for i, a in enumerate(agency.aliases)]
        for text, line, column in spellings:
            key = agency_key(text)
            first = owner.setdefault(key, agency)
            if first.id != agency.id:
                report.error(path, line, "alias-two-agencies",
                             f"Tên “{text}” thuộc cả hai cơ quan `{first.id}` và `{agency.id}`.",
                             "Mỗi tên hoặc bí danh chỉ chỉ một cơ quan: xóa nó ở một trong hai cơ quan.", column)
                continue
            odd = list(dict.fromkeys(textrules.lookalikes(text)))
            shape = agency_key(textrules.skeleton(text))
            other = looks.get(shape)
            if other is not None and agency_key(other[1]) != key:
                letters = ", ".join(textrules.describe(c) for c in odd or textrules.lookalikes(other[1]))
                report.warning(path, line, "agency-lookalike",
                               f"Tên “{text}” trông giống hệt “{other[1]}” (cơ quan `{other[0].id}`) nhưng khác chữ: "
                               f"{letters}.",
                               "Gõ lại tên bằng bàn phím tiếng Việt; nếu là cùng một cơ quan thì ghi nó làm bí danh.",
                               column)
            elif odd:
                report.warning(path, line, "agency-lookalike",
                               f"Tên “{text}” có chữ của bảng chữ cái khác giả làm chữ Latinh: "
                               f"{', '.join(textrules.describe(c) for c in odd)}.",
                               "Gõ lại tên bằng bàn phím tiếng Việt.", column)
            looks.setdefault(shape, (agency, text))


def _load_document(doc_dir: Path, commune: model.Commune, index: AgencyIndex, content_dir: Path,
                   report: Report) -> model.Document | None:
    path = doc_dir / DOCUMENT_FILE
    data = _read_yaml(path, report, content_dir)
    if not isinstance(data, dict):
        if data is not None:
            report.error(path, 1, "invalid-type", "Tệp phải là một khối trường.", "Xem docs/content-format.md.")
        return None
    files = [p for p in doc_dir.iterdir()]
    if len(files) > MAX_FILES_PER_DOCUMENT:
        report.error(doc_dir, 1, "too-many-files", f"Thư mục có {len(files)} tệp.", "Mỗi văn bản chỉ gồm vài tệp.")
        return None
    pos: Pos = data[POS]
    for key in model.LOADER_FIELDS:
        if key in data:
            report.error(path, pos.line_of(key), "reserved-field",
                         f"Trường `{key}` do chương trình tự điền, không ghi trong {DOCUMENT_FILE}.",
                         {"body": f"Viết nội dung vào {BODY_FILE}."}.get(key, "Xóa dòng này."))
            del data[key]
    ok = True
    for i, entry in enumerate(data.get("appendices") or []):
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            name = entry["file"]
            target = doc_dir / name
            if "/" in name or "\\" in name or name.startswith(".") or not _inside(target, doc_dir):
                report.error(path, entry[POS].line_of("file"), "path-outside",
                             f"Tệp phụ lục “{name}” phải nằm ngay trong thư mục văn bản.",
                             "Chỉ ghi tên tệp, ví dụ `appendix-01.yaml`.", entry[POS].column_of("file"))
                ok = False
                continue
            if not target.exists() and not target.is_symlink():
                report.error(path, entry[POS].line_of("file"), "missing-file", f"Không thấy tệp phụ lục “{name}”.",
                             f"Tạo tệp {name} trong {doc_dir.name}/ hoặc sửa tên tệp.")
                ok = False
                continue
            content = _read_yaml(target, report, content_dir)
            if content is None:
                ok = False
                continue
            entry["content"] = content
    body_path = doc_dir / BODY_FILE
    if body_path.exists() or body_path.is_symlink():
        body = _read(body_path, report, content_dir)
        if body is None:
            ok = False
        data["body"] = body or ""
    else:
        report.error(doc_dir, 1, "missing-file", f"Thiếu {BODY_FILE}.", f"Tạo {BODY_FILE} với nội dung văn bản.")
        ok = False
    for file_name, key, list_key in ((COMMITMENTS_FILE, "body_commitments", "commitments"),
                                     (TARGETS_FILE, "body_targets", "targets")):
        extra = doc_dir / file_name
        if extra.exists() or extra.is_symlink():
            loaded = _read_yaml(extra, report, content_dir)
            if loaded is None:
                ok = False
            elif not isinstance(loaded, dict) or list_key not in loaded or set(loaded) - {list_key, POS}:
                report.error(extra, 1, "invalid-type", f"Tệp phải có đúng một trường `{list_key}:` (một danh sách).",
                             "Xem docs/content-format.md.")
                ok = False
            else:
                data[key] = loaded[list_key] or []
    doc_id = f"{commune.id}/{doc_dir.name}"
    data["id"], data["commune"] = doc_id, commune.id
    doc = _validate(model.Document, data, path, report, {"agencies": index, "source": True})
    if doc is None or not ok:
        return None
    _derive(doc, report)
    return doc


# --- what follows from the sources ------------------------------------------------------------

def _where(item) -> str:
    if item is None or getattr(item, "pos", None) is None:
        return "một mục khác"
    return f"{item.pos.file.name}:{item.line_of('id') if item.pos.keys.get('id') else item.line_of()}"


_ARTICLE = re.compile(r"^\*\*Điều\s+(\d+)\.\*\*\s*(.*)$", re.S)


def _derive(doc: model.Document, report: Report | None = None) -> None:
    """Give every task and target its id, area and place, and collect them in order.

    An id the content gives (``id:``) is unique in the document: a second one is an error. Default
    ids that meet (a table numbered again from 1 in each group) get ``-2``, ``-3`` …"""
    tasks: list[model.Task] = []
    targets: list[model.Target] = []
    used: dict[str, Any] = {}
    given: set[str] = {x.id for x in [*doc.body_commitments, *doc.body_targets] if x.id}
    # the commitments and targets of each appendix table, as its shape reads them (planpub/appendices/)
    appendix_items = [(appendix.id, appendices.of(appendix.content).items(appendix.id, appendix.content))
                      for appendix in doc.appendices if appendix.content is not None]
    given.update(item.id for _, found in appendix_items for item, _, explicit in found if explicit and item.id)

    def unique(candidate: str, item=None, explicit: bool = False) -> str:
        if candidate in used and report is not None and (explicit or candidate in given):
            first = used[candidate]
            noun = "chỉ tiêu" if isinstance(item, model.Target) else "nhiệm vụ"
            where = item.pos if item is not None and item.pos is not None else None
            report.error(where.file if where else doc.source_file, item.line_of("id") if item is not None else 1,
                         "duplicate-id",
                         f"Mã {noun} `{candidate}` bị trùng (đã dùng ở {_where(first)}).",
                         "Mỗi `id:` chỉ dùng một lần trong một văn bản: đổi mã này, hoặc bỏ `id:` để dùng mã tự đặt.",
                         where.column_of("id") if where else 1)
        n, out = 1, candidate
        while out in used:
            n += 1
            out = f"{candidate}-{n}"
        used[out] = item
        return out

    seen_appendices: dict[str, model.Appendix] = {}
    for appendix in doc.appendices:
        first = seen_appendices.setdefault(appendix.id, appendix)
        if first is not appendix and report is not None:
            report.error(doc.source_file, appendix.line_of("id"), "duplicate-id",
                         f"Mã phụ lục `{appendix.id}` bị trùng (đã dùng ở dòng {first.line_of('id')}).",
                         "Mỗi phụ lục có một `id:` riêng trong văn bản, ví dụ `pl-01`, `pl-02`.",
                         appendix.pos.column_of("id") if appendix.pos else 1)

    for t in doc.body_commitments:
        t.id = unique(t.id or f"nv-{t.number if t.number is not None else len(tasks) + 1}", t, t.id is not None)
        tasks.append(t)
    for i, t in enumerate(doc.body_targets, 1):
        t.id = unique(t.id or f"ct-{i}", t, t.id is not None)
        targets.append(t)
    for appendix_id, found in appendix_items:
        for item, default_id, explicit in found:
            item.appendix = appendix_id
            item.id = unique(item.id if explicit else default_id, item, explicit)
            (targets if isinstance(item, model.Target) else tasks).append(item)
    for item in [*tasks, *targets]:
        item.plan_id = doc.id
        item.uid = f"{doc.id}/{item.id}"
    doc.tasks, doc.targets = tasks, targets
    # one PDF per document; a plan issued by a decision is printed inside the decision's PDF
    doc.pdf = f"pdf/{doc.attached_to or doc.id}.pdf"
    if doc.type in regulation.TYPES:  # a Quy định / Quy chế: chapters, articles, clauses, points
        doc.regulation = regulation.parse(doc.body)
    if doc.type == "QĐ":
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", doc.body) if p.strip()]
        doc.articles = [model.Article(number=int(m[1]), text=m[2].strip())
                        for m in (_ARTICLE.match(p) for p in paragraphs) if m]
