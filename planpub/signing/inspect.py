"""Read and validate the signatures of a PDF with pyHanko: who signed, when, whether each is intact,
whether its certificate chains to a root we were given, and how much of the file it covers.

Used by ``build.py verify`` and by the website (which shows who signed and whether each signature
covers the whole file). Nothing is fetched from the network: trust is judged only against the roots
given (``--trust ROOT.pem``); without one, trust is not judged.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from ..pdf.fields import ORGANISATION_FIELD, SIGNER_FIELD
from ..textrules import printable

VIETNAM = timezone(timedelta(hours=7), "ICT")
ROLE_OF_FIELD = {SIGNER_FIELD: "signer", ORGANISATION_FIELD: "organisation"}
ROLE_NAMES = {"signer": "người có thẩm quyền ký", "organisation": "cơ quan, tổ chức (văn thư)"}


class UnreadablePdf(Exception):
    """The file is not a PDF pyHanko can read; the message says why, in Vietnamese."""


@dataclass
class SignatureInfo:
    field: str
    role: Optional[str]
    signer: str                      # common name of the signing certificate
    organisation: str
    signed_at: Optional[datetime]    # as the signer's software reported it
    timestamp: Optional[datetime]    # from a timestamp authority (PAdES B-T), if any
    intact: bool                     # the signed bytes are unchanged
    valid: bool                      # the cryptographic signature is correct
    trusted: Optional[bool]          # chains to a given root; None when no root was given
    whole_file: bool                 # covers every byte of the file
    coverage: str                    # pyHanko's coverage level
    modifications: str               # what was added after this signature (pyHanko's level)
    level: str                       # PAdES B-B or B-T
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and not self.problems

    @property
    def when(self) -> Optional[datetime]:
        return self.timestamp or self.signed_at


def vietnam_time(moment: Optional[datetime]) -> str:
    """ISO 8601 in Vietnam time, to the second: ``2026-04-24T09:15:02+07:00``."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else ""


def load_roots(paths: list[Path]) -> list:
    """Root certificates from PEM or DER files, as asn1crypto certificates."""
    from asn1crypto import pem, x509  # noqa: PLC0415

    roots = []
    for path in paths:
        data = path.read_bytes()
        if pem.detect(data):
            for _, _, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _reader_class():
    """pyHanko's reader, reading each object stream's header once instead of once per object.

    pyHanko 0.38 scans an object stream's header from the start for every object it reads from it.
    WeasyPrint puts almost every object of our tagged PDFs in one object stream, and the
    modification analysis of a signature reads them all. Measured on the signed plan of seed 000
    (163 KB, about 2,000 objects, both signatures validated with the analysis): 28.6 s with
    pyHanko's reader, 1.0 s with this one, the same results (tests/test_signing.py compares them).
    Same objects, same checks; anything unusual falls back to pyHanko's own method.
    """
    from pyhanko.pdf_utils import generic, misc  # noqa: PLC0415
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.pdf_utils.decode_limits import DecodePurpose  # noqa: PLC0415

    class Reader(PdfFileReader):
        def _get_object_from_stream(self, idnum, stmnum, idx):
            index = self.__dict__.setdefault("_planpub_objstm", {})
            entry = index.get(stmnum)
            if entry is None:
                entry = index[stmnum] = self._planpub_index(stmnum)
            if not entry or idnum not in entry[2]:
                return super()._get_object_from_stream(idnum, stmnum, idx)
            data, first, offsets = entry
            buf = io.BytesIO(data)
            buf.seek(first + offsets[idnum])
            try:
                obj = generic.read_object(buf, generic.Reference(idnum, 0, self))
            except (misc.PdfStreamError, misc.PdfReadError):
                return super()._get_object_from_stream(idnum, stmnum, idx)
            if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
                return super()._get_object_from_stream(idnum, stmnum, idx)
            return obj

        def _planpub_index(self, stmnum):
            stream = generic.Reference(stmnum, 0, self).get_object()
            if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
                return None
            data = stream.read_data(DecodePurpose.OBJECT_STREAM)
            buf, offsets = io.BytesIO(data), {}
            try:
                for _ in range(int(stream["/N"])):
                    misc.read_non_whitespace(buf, seek_back=True)
                    objnum = generic.NumberObject.read_from_stream(buf)
                    misc.read_non_whitespace(buf, seek_back=True)
                    offset = generic.NumberObject.read_from_stream(buf)
                    offsets.setdefault(int(objnum), int(offset))
            except (ValueError, misc.PdfReadError):
                return None
            return data, int(stream["/First"]), offsets

    return Reader


def open_pdf(data: bytes):
    """A pyHanko reader over ``data`` (see :func:`_reader_class`)."""
    return _reader_class()(io.BytesIO(data), strict=False)


def read_signatures(data: bytes, roots: Optional[list] = None, *, diff: bool = True) -> list[SignatureInfo]:
    """Every signature of the PDF ``data``, validated; ``roots`` (asn1crypto certificates) to judge
    trust, or None not to judge it. ``diff=False`` skips pyHanko's analysis of what was added after
    each signature (intactness and coverage are still checked)."""
    try:
        reader = open_pdf(data)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 — any parsing failure is a broken file for the clerk
        raise UnreadablePdf(f"Không đọc được tệp PDF ({type(exc).__name__}: {exc}).") from None
    # Without a root, pyHanko logs a traceback for every chain it cannot build: that is "trust not
    # judged" here, said in the report, not an error for the clerk's screen.
    quiet = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        return [_validate(sig, roots, diff) for sig in embedded]
    finally:
        for logger, level in zip(quiet, levels):
            logger.setLevel(level)


def _validate(sig, roots: Optional[list], diff: bool) -> SignatureInfo:
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    problems: list[str] = []
    context = ValidationContext(trust_roots=list(roots or []), allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context, skip_diff=not diff)
    except Exception as exc:  # noqa: BLE001 — a broken signature must be reported, not crash
        cert = _cert_or_none(sig)
        return SignatureInfo(
            field=printable(sig.field_name), role=ROLE_OF_FIELD.get(sig.field_name), signer=_cn(cert), organisation=_org(cert),
            signed_at=_reported_time(sig), timestamp=None, intact=False, valid=False,
            trusted=False if roots else None, whole_file=False, coverage="?", modifications="?", level="?",
            problems=[f"không kiểm tra được chữ ký ({type(exc).__name__}: {exc})"])
    if not status.intact:
        problems.append("nội dung đã bị thay đổi sau khi ký (mã băm không khớp)")
    elif not status.valid:
        problems.append("chữ ký số không đúng với chứng thư số")
    if status.docmdp_ok is False:
        problems.append("tệp bị sửa sau khi ký theo cách không được phép")
    ts = status.timestamp_validity
    timestamp = ts.timestamp if ts is not None else None
    if ts is not None and not (ts.intact and ts.valid):
        problems.append("dấu thời gian không hợp lệ")
    cert = status.signing_cert
    return SignatureInfo(
        field=printable(sig.field_name), role=ROLE_OF_FIELD.get(sig.field_name), signer=_cn(cert), organisation=_org(cert),
        signed_at=status.signer_reported_dt, timestamp=timestamp, intact=bool(status.intact),
        valid=bool(status.valid), trusted=bool(status.trusted) if roots else None,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=status.coverage.name if status.coverage else "?",
        modifications=status.modification_level.name if status.modification_level else "?",
        level="PAdES B-T" if timestamp else "PAdES B-B", problems=problems)


def _cert_or_none(sig):
    try:
        return sig.signer_cert
    except Exception:  # noqa: BLE001
        return None


def _reported_time(sig) -> Optional[datetime]:
    try:
        return sig.self_reported_timestamp
    except Exception:  # noqa: BLE001
        return None


def _cn(cert) -> str:
    """The certificate's common name, printable (a name with a control character cannot rewrite a line)."""
    if cert is None:
        return "?"
    native = cert.subject.native
    return printable(str(native.get("common_name") or cert.subject.human_friendly))


def _org(cert) -> str:
    if cert is None:
        return ""
    return printable(str(cert.subject.native.get("organization_name") or ""))
