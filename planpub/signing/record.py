"""The issued record: a signed PDF kept with its document in ``content/``, and what it was signed from.

``content/<commune>/<doc>/signed.pdf`` is the document as signed (signer, then organisation); it is
published as it is at the document's PDF path in ``site/`` and never regenerated: the PDF stage
copies it byte for byte instead of rendering the document. ``signed.json`` beside it records the
SHA-256 of every content file the PDF was rendered from (the document's folder, and for a decision
the folder of the plan it issues, printed in the same file), the SHA-256 of the unsigned PDF and of
the signed file, and who signed in which role and when. ``build.py check`` warns when a content
file changed after signing, or when ``signed.pdf`` is not the file the record describes.

This module imports no pyHanko: the build and the checker read records on every run.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Optional

from .. import model
from ..diagnostics import Report

SIGNED_PDF = "signed.pdf"
RECORD = "signed.json"
_NOT_CONTENT = {SIGNED_PDF, RECORD}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def document_folder(doc: model.Document) -> Optional[Path]:
    return doc.source_file.parent if doc.source_file is not None else None


def owner(doc: model.Document, site: model.Site) -> model.Document:
    """The document whose PDF holds ``doc``: itself, or the decision that issues it."""
    if doc.attached_to:
        parent = site.document(doc.attached_to)
        if parent is not None:
            return parent
    return doc


def signed_pdf(doc: model.Document) -> Optional[Path]:
    """``content/<doc>/signed.pdf`` if the document has been signed, else None."""
    folder = document_folder(doc)
    if folder is None:
        return None
    path = folder / SIGNED_PDF
    return path if path.is_file() and not path.is_symlink() else None


def content_files(doc: model.Document, site: model.Site) -> dict[str, str]:
    """``{path relative to content/: sha256}`` of every file the document's PDF is rendered from."""
    folders = [document_folder(doc)]
    if doc.issues:
        plan = site.document(doc.issues)
        if plan is not None and plan.attached_to == doc.id:
            folders.append(document_folder(plan))
    out: dict[str, str] = {}
    for folder in folders:
        if folder is None:
            continue
        base = folder.parent.parent  # content/
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name not in _NOT_CONTENT and not path.name.startswith("."):
                out[path.relative_to(base).as_posix()] = sha256_file(path)
    return out


def read_record(doc: model.Document) -> Optional[dict]:
    folder = document_folder(doc)
    if folder is None or not (folder / RECORD).is_file():
        return None
    try:
        return json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_atomically(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path``; the caller renames it with :func:`os.replace`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def store(doc: model.Document, pdf: bytes, record: dict) -> Path:
    """Put ``signed.pdf`` and ``signed.json`` in place together (each written whole, then renamed)."""
    folder = document_folder(doc)
    assert folder is not None
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    tmp_pdf = write_atomically(folder / SIGNED_PDF, pdf)
    try:
        tmp_json = write_atomically(folder / RECORD, text.encode("utf-8"))
    except BaseException:
        tmp_pdf.unlink(missing_ok=True)
        raise
    os.replace(tmp_pdf, folder / SIGNED_PDF)
    os.replace(tmp_json, folder / RECORD)
    return folder / SIGNED_PDF


def validate_signed(path: Path, record: Optional[dict]) -> list[str]:
    """Why ``path`` cannot be published as the signed document (empty when it can): it must be a
    regular file, a PDF whose every signature is intact and valid with nothing but allowed
    additions after it, the last one covering the whole file, and exactly the signatures ``record``
    lists. Validated as ``build.py verify`` does (pyHanko, with its analysis of what was added)."""
    from .inspect import UnreadablePdf, read_signatures  # noqa: PLC0415 — pyHanko only for signed documents

    if path.is_symlink() or not path.is_file():
        return [f"{SIGNED_PDF} không phải một tệp thật (là liên kết hoặc thư mục)"]
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        return [f"{SIGNED_PDF} không phải tệp PDF"]
    try:
        signatures = read_signatures(data)
    except UnreadablePdf as exc:
        return [str(exc)]
    if not signatures:
        return [f"{SIGNED_PDF} không có chữ ký số nào"]
    problems = []
    for s in signatures:
        if not s.ok:
            problems.append(f"chữ ký ở ô “{s.field}”: {'; '.join(s.problems) or 'không hợp lệ'}")
        elif s.modifications == "OTHER":
            problems.append(f"sau chữ ký ở ô “{s.field}”, tệp bị thêm nội dung không được phép (vẽ đè, sửa trang)")
    if not signatures[-1].whole_file:
        problems.append("có phần được thêm vào sau chữ ký cuối cùng (chữ ký không bao trùm toàn bộ tệp)")
    if record is not None:
        recorded = [(e.get("field"), e.get("signer")) for e in record.get("signatures", [])]
        found = [(s.field, s.signer) for s in signatures]
        if recorded != found:
            problems.append(f"các chữ ký trong tệp ({_names(found)}) khác các chữ ký ghi trong {RECORD} ({_names(recorded)})")
    return problems


def _names(pairs) -> str:
    return "; ".join(f"{signer} ở ô {field}" for field, signer in pairs) or "không có"


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())


def same_name(a: str, b: str) -> bool:
    """Two spellings of one person's name (case, spaces and Unicode form aside)."""
    return _fold(a) == _fold(b)


def mark_signed(site: model.Site) -> None:
    """Set ``doc.signed`` for every document whose PDF is a signed file (an attached plan: its
    decision's), saying whether the content changed after signing: every output marks it."""
    for doc in site.documents:
        holder = owner(doc, site)
        pdf = signed_pdf(holder)
        saved = read_record(holder) if pdf is not None and not holder.attached_to else None
        if saved is None:
            doc.signed = None
            continue
        doc.signed = model.SignedState(signed_sha256=str(saved.get("signed_sha256", "")),
                                       content_changed_after_signing=saved.get("content") != content_files(holder, site))


def check_signed(site: model.Site, report: Report) -> None:
    """The checker's rules for the issued record: ``signed.pdf`` is a PDF whose signatures validate and
    are those ``signed.json`` records (errors); content changed after signing (a warning: the site
    keeps the signed file and marks the change)."""
    mark_signed(site)
    for doc in site.documents:
        folder = document_folder(doc)
        if folder is None:
            continue
        pdf = folder / SIGNED_PDF
        if not (pdf.is_file() or pdf.is_symlink()):
            continue
        where = doc.source_file
        if doc.attached_to:
            report.warning(pdf, 1, "signed-attached",
                           f"Kế hoạch này in trong tệp PDF của {doc.attached_to}; tệp {SIGNED_PDF} ở đây không được dùng.",
                           f"Ký quyết định {doc.attached_to}; xóa {SIGNED_PDF} ở thư mục này.")
            continue
        if pdf.is_symlink():
            if pdf.resolve().is_relative_to(folder.parent.parent.resolve()):
                report.error(pdf, 1, "signed-pdf-invalid", f"{SIGNED_PDF} là liên kết (symlink), không phải tệp đã ký.",
                             "Đặt đúng tệp đã ký (do `build.py sign` ghi) vào thư mục văn bản.")
            continue  # a link out of content/ is reported by the loader
        if doc.is_draft:
            report.warning(where, doc.line_of("number"), "signed-draft",
                           f"Văn bản có bản đã ký số ({SIGNED_PDF}) nhưng lại đang là dự thảo (chưa có số hoặc ngày).",
                           "Ghi lại số và ngày như khi ban hành; bản đã ký vẫn được công bố nguyên như khi ký.")
        record = read_record(doc)
        if record is None:
            report.error(pdf, 1, "signed-record-missing",
                         f"Có {SIGNED_PDF} nhưng thiếu hoặc không đọc được {RECORD} (hồ sơ ký số); không công bố.",
                         "Ký bằng `build.py sign` (ghi cả hai tệp) thay vì chép tệp PDF vào tay.")
            continue
        if record.get("signed_sha256") != sha256_file(pdf):
            report.error(pdf, 1, "signed-pdf-replaced",
                         f"Tệp {SIGNED_PDF} không phải tệp đã ghi trong {RECORD} (mã SHA-256 khác).",
                         "Lấy lại tệp đã ký từ bản lưu; đừng sửa hay thay tệp PDF đã ký.")
        problems = validate_signed(pdf, record)
        if problems:
            report.error(pdf, 1, "signed-pdf-invalid",
                         f"Tệp {SIGNED_PDF} không được công bố vì không kiểm tra được là bản đã ký nguyên vẹn: "
                         + "; ".join(problems) + ".",
                         "Lấy lại tệp đã ký từ bản lưu (kiểm tra bằng `build.py verify`); không sửa tệp PDF đã ký.")
        signer = next((e for e in record.get("signatures", []) if e.get("role") == "signer"), None)
        if signer and doc.signature and doc.signature.name and not same_name(signer.get("signer", ""), doc.signature.name):
            report.warning(where, doc.signature.line_of("name"), "signer-name-mismatch",
                           f"Chứng thư số của người ký mang tên “{signer.get('signer')}”, khác người ký ghi trong "
                           f"{where.name if where else 'document.yaml'}: “{doc.signature.name}”.",
                           "Kiểm tra lại: người ký văn bản phải ký bằng chứng thư số của chính mình.")
        recorded = record.get("content", {})
        now = content_files(doc, site)
        changed = sorted(k for k in set(recorded) | set(now) if recorded.get(k) != now.get(k))
        if changed:
            report.warning(where, 1, "signed-content-changed",
                           f"Nội dung của văn bản đã ký số đã thay đổi sau khi ký: {', '.join(changed)}. "
                           f"Trang web vẫn công bố bản đã ký ({SIGNED_PDF}), không dựng lại từ nội dung mới; "
                           "các trang, dữ liệu mở, lịch và bản tin ghi rõ nội dung đã sửa sau khi ký.",
                           "Văn bản đã ban hành không sửa trực tiếp: khôi phục nội dung như lúc ký, "
                           "hoặc ban hành văn bản sửa đổi, bổ sung hay đính chính.")
