"""``build.py sign``: sign an issued document's PDF in its signature field, the ND30 way.

The order is ND30's: the person with authority signs first (``--role signer``); then the clerical
office (văn thư) adds the organisation's signature with the seal image (``--role organisation``).
The first signature is made on the unsigned PDF rendered from the content as it is now; the second
is appended to ``content/<doc>/signed.pdf`` (pyHanko writes an incremental update, so the bytes
the first signature covers stay untouched). Both are PAdES baseline signatures (``ETSI.CAdES.detached``,
SHA-256): B-B, or B-T when a timestamp server is given.

Appearance (ND30, "Signed electronic documents"): the signer's field shows their signature image
centred in it; the organisation's field shows the seal image, centred in a square the seal's actual
size, placed over the left third of the signature (:mod:`planpub.pdf.fields` places both fields).
Images come only from paths given on the command line; they must be PNG with transparency.

Nothing is written unless the signature was made: a wrong password, a certificate that cannot sign,
a bad image, an unreachable timestamp server leave ``content/`` as it was.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .. import model
from ..pdf.fields import FIELD_LABELS, ORGANISATION_FIELD, ROLES, SIGNER_FIELD
from . import record
from .credentials import Credentials
from .inspect import open_pdf, read_signatures, vietnam_time

REASONS = {"signer": "Ký ban hành văn bản", "organisation": "Văn thư ký số của cơ quan, tổ chức (đóng dấu)"}
IMAGE_NAMES = {"signer": "ảnh chữ ký", "organisation": "ảnh con dấu"}


class SignRefused(Exception):
    """The document cannot be signed as asked; the message says why, in Vietnamese."""


@dataclass
class Signed:
    path: Path
    field: str
    signer: str
    signed_at: datetime
    notes: list[str]


# --- what may be signed ---------------------------------------------------------------------------

def _filled_fields(pdf: bytes) -> dict[str, bool]:
    """``{field name: already signed}`` for every signature field of the PDF."""
    from pyhanko.sign.fields import enumerate_sig_fields  # noqa: PLC0415

    reader = open_pdf(pdf)
    return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}


def preflight(doc: model.Document, role: str) -> None:
    """The refusals that need no PDF and no password: run them first."""
    if doc.attached_to:
        raise SignRefused(f"“{doc.id}” được in trong tệp PDF của quyết định {doc.attached_to} "
                          f"(phụ lục, văn bản kèm theo cùng tệp không ký riêng): hãy ký {doc.attached_to}.")
    if doc.published_copy:
        raise SignRefused(f"“{doc.id}” là bản công bố lại một văn bản đã ban hành (nguồn không ghi: "
                          f"{', '.join(model.NOT_IN_SOURCE_WORDS[k] for k in doc.not_in_source)}); "
                          "bản này không ký lại. Chỉ ký văn bản do chính cơ quan ban hành qua `build.py issue`.")
    if doc.is_draft:
        raise SignRefused(f"“{doc.id}” còn là dự thảo (chưa có số hoặc ngày ban hành). "
                          f"Ban hành trước: python build.py issue {doc.id} --number N --date YYYY-MM-DD.")
    if doc.signature is None:
        raise SignRefused(f"“{doc.id}” không có khối chữ ký (`signature:`), nên không có chỗ ký.")
    stored = record.signed_pdf(doc)
    if role == "signer" and stored is not None:
        raise SignRefused(f"“{doc.id}” đã được ký ({record.SIGNED_PDF} đã có); mỗi văn bản chỉ ký một lần. "
                          "Nếu cần ký lại, hãy hỏi bộ phận kỹ thuật: bản đã ký là hồ sơ ban hành, không thay thế.")
    if role == "organisation" and stored is None:
        raise SignRefused(f"“{doc.id}” chưa có chữ ký của người có thẩm quyền. Theo thứ tự ND30: người ký ký trước "
                          "(--role signer), văn thư ký số của cơ quan sau (--role organisation).")


def source_pdf(doc: model.Document, site: model.Site, role: str) -> tuple[bytes, bool]:
    """The bytes to sign and whether they come from ``signed.pdf`` (else: freshly rendered)."""
    preflight(doc, role)
    stored = record.signed_pdf(doc)
    if stored is None:
        from ..pdf.render import render_document  # noqa: PLC0415 — WeasyPrint only when needed

        return render_document(doc, site), False
    return stored.read_bytes(), True


def _check_fields(pdf: bytes, field: str, doc: model.Document) -> None:
    fields = _filled_fields(pdf)
    if field not in fields:
        raise SignRefused(f"Tệp PDF của “{doc.id}” không có ô chữ ký “{field}” ({FIELD_LABELS[field]}).")
    if fields[field]:
        raise SignRefused(f"Ô “{FIELD_LABELS[field]}” của “{doc.id}” đã được ký; không ký chồng lên.")
    if field == ORGANISATION_FIELD and not fields.get(SIGNER_FIELD):
        raise SignRefused(f"“{doc.id}” chưa có chữ ký của người có thẩm quyền; văn thư ký số sau người ký.")


def _check_existing_signatures(pdf: bytes, doc: model.Document) -> None:
    """Do not seal a file whose earlier signature is broken."""
    for sig in read_signatures(pdf):
        if not sig.ok:
            raise SignRefused(f"Chữ ký đã có trong {record.SIGNED_PDF} của “{doc.id}” không còn nguyên vẹn "
                              f"({'; '.join(sig.problems)}). Không ký thêm; lấy lại tệp đã ký từ bản lưu.")


# --- images ---------------------------------------------------------------------------------------

def load_image(path: Path, role: str):
    """A transparent PNG given on the command line, as a Pillow image; refused otherwise."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    what = IMAGE_NAMES[role]
    try:
        with path.open("rb") as f:
            head = f.read(8)
        if head != b"\x89PNG\r\n\x1a\n":
            raise SignRefused(f"Tệp {what} {path.name} không phải ảnh PNG.")
        image = Image.open(path)
        image.load()
    except OSError as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise SignRefused(f"Không đọc được {what} {path.name}: tệp PNG hỏng.") from None
        raise SignRefused(f"Không đọc được {what} {path} ({exc.strerror or exc}).") from None
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode not in ("RGBA", "LA"):
        raise SignRefused(f"{what.capitalize()} {path.name} phải là PNG nền trong suốt (có kênh alpha); "
                          "ảnh nền trắng sẽ che chữ của văn bản.")
    return image.convert("RGBA")


def _colour_note(image, role: str) -> Optional[str]:
    """ND30: the signature image blue, the seal red. A note (not a refusal) when it is not."""
    pixels = [p for p in image.getdata() if p[3] > 128]
    if not pixels:
        return f"{IMAGE_NAMES[role].capitalize()} trong suốt hoàn toàn: không có gì hiện ra."
    r = sum(p[0] for p in pixels) / len(pixels)
    g = sum(p[1] for p in pixels) / len(pixels)
    b = sum(p[2] for p in pixels) / len(pixels)
    if role == "signer" and not (b > r and b > g):
        return "Lưu ý: ND30 quy định hình ảnh chữ ký màu xanh; ảnh đã cho không phải màu xanh."
    if role == "organisation" and not (r > g and r > b):
        return "Lưu ý: ND30 quy định hình ảnh con dấu màu đỏ; ảnh đã cho không phải màu đỏ."
    return None


def _stamp_style(image):
    from pyhanko.pdf_utils import layout  # noqa: PLC0415
    from pyhanko.pdf_utils.images import PdfImage  # noqa: PLC0415
    from pyhanko.stamp import StaticStampStyle  # noqa: PLC0415

    fit = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                                     margins=layout.Margins(), inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT)
    if image is None:
        return StaticStampStyle(border_width=0)
    return StaticStampStyle(background=PdfImage(image), background_opacity=1.0, border_width=0, background_layout=fit)


# --- signing --------------------------------------------------------------------------------------

def _timestamper(url: Optional[str]):
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper  # noqa: PLC0415

    return HTTPTimeStamper(url, timeout=20)


def sign_pdf(pdf: bytes, field: str, credentials: Credentials, image, reason: str, location: Optional[str],
             timestamp_url: Optional[str]) -> bytes:
    """The PDF with ``field`` signed (an incremental update appended to ``pdf``)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415
    from pyhanko.sign import fields, signers  # noqa: PLC0415

    reader = open_pdf(pdf)
    writer = IncrementalPdfFileWriter(reader.stream, prev=reader)
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location)
    signer = signers.PdfSigner(meta, signer=credentials.signer, timestamper=_timestamper(timestamp_url),
                               stamp_style=_stamp_style(image))
    out = io.BytesIO()
    try:
        signer.sign_pdf(writer, existing_fields_only=True, output=out)
    except Exception as exc:  # noqa: BLE001 — a timestamp server, a key: say what failed, write nothing
        if timestamp_url and ("Timestamp" in type(exc).__name__ or "timestamp" in str(exc).lower()):
            raise SignRefused(f"Không lấy được dấu thời gian từ {timestamp_url} ({exc}). Không có gì bị thay đổi; "
                              "kiểm tra địa chỉ và kết nối mạng, hoặc ký không có --timestamp-url (PAdES B-B).") from None
        raise SignRefused(f"pyHanko không ký được ({type(exc).__name__}: {exc}). Không có gì bị thay đổi.") from None
    return out.getvalue()


def sign_document(doc: model.Document, site: model.Site, role: str, credentials: Credentials,
                  image_path: Optional[Path] = None, timestamp_url: Optional[str] = None) -> Signed:
    """Sign ``doc`` in ``role`` and store the result with its content; raise SignRefused."""
    field = ROLES[role]
    notes: list[str] = []
    image = load_image(image_path, role) if image_path is not None else None
    if image is not None and (note := _colour_note(image, role)):
        notes.append(note)
    if image is None:
        notes.append(f"Không có --image: chữ ký số vẫn hợp lệ nhưng không hiện {IMAGE_NAMES[role]} trên văn bản.")
    if role == "signer" and doc.signature and doc.signature.name \
            and not record.same_name(credentials.common_name, doc.signature.name):
        notes.append(f"Cảnh báo: chứng thư số mang tên “{credentials.common_name}”, khác người ký ghi trong "
                     f"document.yaml: “{doc.signature.name}”. Người ký văn bản phải ký bằng chứng thư số của chính mình.")
    pdf, from_store = source_pdf(doc, site, role)
    _check_fields(pdf, field, doc)
    old = record.read_record(doc) if from_store else None
    content = record.content_files(doc, site)
    if from_store:
        _check_existing_signatures(pdf, doc)
        if old is None:
            raise SignRefused(f"Thiếu hồ sơ ký số {record.RECORD} bên cạnh {record.SIGNED_PDF} của “{doc.id}”.")
        if old.get("signed_sha256") != record.sha256_file(record.signed_pdf(doc)):
            raise SignRefused(f"{record.SIGNED_PDF} của “{doc.id}” không phải tệp đã ghi trong {record.RECORD}; không ký thêm.")
        if old.get("content") != content:
            notes.append("Lưu ý: nội dung trong content/ đã thay đổi sau lần ký trước; chữ ký này đặt trên bản PDF "
                         "đã ký (không dựng lại). `build.py check` sẽ cảnh báo.")
    signed = sign_pdf(pdf, field, credentials, image, REASONS[role], doc.place, timestamp_url)
    sig = next(s for s in read_signatures(signed) if s.field == field)
    if not sig.ok:  # never store a signature that does not validate
        raise SignRefused(f"Chữ ký vừa tạo không hợp lệ ({'; '.join(sig.problems)}); không lưu.")
    when = sig.when or datetime.now(timezone.utc)
    entry = {"role": role, "field": field, "signer": credentials.common_name,
             "organisation": credentials.organisation, "signed_at": vietnam_time(when),
             "level": sig.level}
    new_record = {
        "document": doc.id,
        "number": doc.number_text,
        "date": doc.date.as_date().isoformat() if doc.date and doc.date.complete else None,
        "content": old["content"] if old else content,
        "unsigned_sha256": old["unsigned_sha256"] if old else hashlib.sha256(pdf).hexdigest(),
        "signed_sha256": hashlib.sha256(signed).hexdigest(),
        "signatures": [*(old or {}).get("signatures", []), entry],
    }
    path = record.store(doc, signed, new_record)
    return Signed(path=path, field=field, signer=credentials.common_name, signed_at=when, notes=notes)
