"""What the website shows about a signed document: a data hook for the document page.

``signed_facts(doc, site)`` gives, for a document whose PDF has been signed (its own, or for an
attached plan its decision's), the site path of the PDF, its SHA-256 and size, and for each
signature who signed, in which role, when (read from the signature, Vietnam time), whether it is
intact and whether it covers the whole file; and whether the content changed after signing. The
template ``templates/website/pages/_signed.j2`` prints it; ``planpub/website/pages.py`` only makes
the function available to templates.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .. import model
from . import record

#: pyHanko's words for what was added after a signature, for a clerk.
MODIFICATIONS = {
    "NONE": "không có gì",
    "LTA_UPDATES": "chỉ thông tin kiểm tra dài hạn",
    "FORM_FILLING": "chữ ký số tiếp theo (được phép)",
    "ANNOTATIONS": "ghi chú (được phép)",
    "OTHER": "thay đổi khác (cần xem xét)",
}


@lru_cache(maxsize=64)
def _summary(path: str, size: int, mtime_ns: int) -> Optional[dict]:
    from .inspect import read_signatures, vietnam_time  # noqa: PLC0415 — pyHanko only for signed documents
    from .inspect import ROLE_NAMES, UnreadablePdf  # noqa: PLC0415
    import hashlib  # noqa: PLC0415

    data = Path(path).read_bytes()
    try:
        signatures = read_signatures(data)
    except UnreadablePdf:
        return None
    out = []
    for s in signatures:
        when = s.when
        out.append({
            "role": s.role, "role_name": ROLE_NAMES.get(s.role or "", s.field), "signer": s.signer,
            "organisation": s.organisation, "time": vietnam_time(when),
            "time_text": _time_text(when), "level": s.level, "intact": s.ok, "whole_file": s.whole_file,
            "after": MODIFICATIONS.get(s.modifications, s.modifications),
        })
    return {"sha256": hashlib.sha256(data).hexdigest(), "size_kb": max(1, round(len(data) / 1024)),
            "signatures": out}


def _time_text(moment: Optional[datetime]) -> str:
    from .inspect import VIETNAM  # noqa: PLC0415

    if moment is None:
        return "không ghi"
    local = moment.astimezone(VIETNAM)
    return f"{local:%H:%M:%S} ngày {local:%d/%m/%Y}"


def signed_facts(doc: model.Document, site: model.Site) -> Optional[dict]:
    """The signed PDF's facts for ``doc``'s page, or None when it has not been signed."""
    holder = record.owner(doc, site)
    path = record.signed_pdf(holder)
    if path is None or not holder.pdf:
        return None
    st = path.stat()
    summary = _summary(str(path), st.st_size, st.st_mtime_ns)
    if not summary or not summary["signatures"]:
        return None
    saved = record.read_record(holder) or {}
    changed = saved.get("content") != record.content_files(holder, site)
    # "unchanged since signing" is said only of a file validated here, as `build.py check` validates it
    validated = not record.validate_signed(path, saved or None) and saved.get("signed_sha256") == summary["sha256"]
    return {**summary, "pdf": holder.pdf, "holder": holder.id, "content_changed": changed, "validated": validated}
