"""Issue a draft: give it its number and date in content/, the ND30 way.

``python build.py issue thien-phu/kh-cchc-2026-2030 --number 5 --date 2026-01-15`` writes
``number: "05"`` and ``date: 2026-01-15`` into the document's ``document.yaml`` (every other line,
comments included, stays as it was). It refuses a number already used that year by the same
issuer for the same type of document, a date before any of the document's legal bases, and a
document that is already issued.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from datetime import date
from pathlib import Path

from . import model, numbering
from .diagnostics import Report


class IssueRefused(Exception):
    """The document cannot be issued as asked; the message says why in Vietnamese."""


def find_document(site: model.Site, ref: str, content_dir: Path) -> model.Document:
    ref = ref.strip().rstrip("/")
    p = Path(ref)
    if p.name == "document.yaml":
        p = p.parent
    if p.exists():
        try:
            ref = p.resolve().relative_to(content_dir.resolve()).as_posix()
        except ValueError:
            pass
    doc = site.document(ref)
    if doc is None:
        known = ", ".join(d.id for d in site.documents)
        raise IssueRefused(f"Không có văn bản “{ref}”. Các văn bản hiện có: {known}.")
    return doc


def issue_document(site: model.Site, doc: model.Document, number: int, when: date) -> Path:
    """Check and write; return the path of the document.yaml changed."""
    if doc.attached_to:
        raise IssueRefused(f"“{doc.id}” được ban hành kèm theo {doc.attached_to}; hãy ban hành quyết định đó.")
    if not doc.is_draft:
        raise IssueRefused(f"“{doc.id}” đã ban hành: số {doc.number_text}, ngày {doc.date.as_date():%d/%m/%Y}.")
    if number < 1:
        raise IssueRefused("Số văn bản phải từ 1 trở lên.")
    text_number = f"{number:02d}"
    for other in site.documents:
        if (other is not doc and other.commune == doc.commune and other.type == doc.type
                and other.symbol == doc.symbol and other.number and int(other.number) == number
                and other.date and other.date.year == when.year):
            shown = numbering.number_text(text_number, doc.symbol, when.year if doc.normative else None)
            raise IssueRefused(f"Số {shown} năm {when.year} đã dùng cho “{other.id}”. "
                               "Số văn bản đánh liên tục trong năm; hãy lấy số kế tiếp trong sổ đăng ký văn bản đi.")
    for basis in doc.legal_bases:
        if basis.date and basis.date > when:
            raise IssueRefused(f"Ngày ban hành {when:%d/%m/%Y} trước ngày của căn cứ “{basis.text}” "
                               f"({basis.date:%d/%m/%Y}). Văn bản không thể ban hành trước văn bản làm căn cứ.")
    path = doc.source_file
    original = path.read_text(encoding="utf-8")
    updated = _set_top_level(original, "number", f'"{text_number}"')
    updated = _set_top_level(updated, "date", when.isoformat())
    _write_atomically(path, updated)
    return path


def _set_top_level(text: str, key: str, value: str) -> str:
    """Replace a top-level ``key:`` (and its indented block, if any) with ``key: value``."""
    lines = text.splitlines(keepends=True)
    out, i, done = [], 0, False
    while i < len(lines):
        line = lines[i]
        if not done and re.match(rf"^{re.escape(key)}\s*:", line):
            out.append(f"{key}: {value}\n")
            i += 1
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
                if not lines[i].strip():
                    break
                i += 1
            done = True
            continue
        out.append(line)
        i += 1
    if not done:
        out.append(f"{key}: {value}\n")
    return "".join(out)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".issue-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))  # keep the file's mode (mkstemp makes it 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def recheck(content_dir: Path, root: Path) -> Report:
    from .content import load_and_check
    return load_and_check(content_dir, root)[1]
