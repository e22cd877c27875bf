"""The signing credentials: a PKCS#12 file (``.p12``/``.pfx``), its password, and whether the
certificate in it may sign a document.

The password comes from the environment variable ``PLAN_SIGN_PASSWORD`` or, when it is not set, from
a prompt that does not echo (:func:`getpass.getpass`); it is never read from content, never printed
and never written to a log. A certificate may sign a document when it is valid today and its key
usage includes nonRepudiation (contentCommitment): validators (pyHanko's by default) require it of
a document signature, so a signature made without it would not validate.
"""
from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..textrules import printable

PASSWORD_ENV = "PLAN_SIGN_PASSWORD"


class CredentialsRefused(Exception):
    """The credentials cannot be used; the message says why, in Vietnamese."""


@dataclass
class Credentials:
    signer: object          # pyhanko.sign.signers.SimpleSigner
    common_name: str
    organisation: str
    not_after: datetime


def read_password(prompt: str = "Mật khẩu của tệp chứng thư số (.p12): ") -> bytes:
    value = os.environ.get(PASSWORD_ENV)
    if value is None:
        if not sys.stdin.isatty():  # no terminal to ask on (a script, a scheduled job)
            raise CredentialsRefused(f"Chưa có mật khẩu: đặt biến môi trường {PASSWORD_ENV}, hoặc chạy lệnh trong "
                                     "cửa sổ dòng lệnh để nhập mật khẩu. Không có gì bị thay đổi.")
        try:
            value = getpass.getpass(prompt)
        except EOFError:
            raise CredentialsRefused(
                f"Chưa có mật khẩu: đặt biến môi trường {PASSWORD_ENV} hoặc chạy lệnh trong cửa sổ dòng lệnh "
                "để nhập mật khẩu.") from None
    return value.encode("utf-8")


def _subject_field(cert, oid) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return printable(str(values[0].value)) if values else ""


def load(p12: Path, password: bytes) -> Credentials:
    """Open the PKCS#12 file and check that its certificate may sign; raise CredentialsRefused."""
    from asn1crypto import pkcs12 as asn1_pkcs12  # noqa: PLC0415
    from cryptography import x509  # noqa: PLC0415
    from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415
    from pyhanko.sign import signers  # noqa: PLC0415

    try:
        data = p12.read_bytes()
    except OSError as exc:
        raise CredentialsRefused(f"Không đọc được tệp chứng thư số {p12} ({exc.strerror}).") from None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        try:
            asn1_pkcs12.Pfx.load(data).native  # noqa: B018 — parses: the file is PKCS#12
        except Exception:  # noqa: BLE001
            raise CredentialsRefused(f"Tệp {p12.name} không phải tệp chứng thư số PKCS#12 (.p12, .pfx) "
                                     "hoặc đã hỏng.") from None
        raise CredentialsRefused(f"Sai mật khẩu của tệp chứng thư số {p12.name}. Không có gì bị thay đổi.") from None
    if key is None or cert is None:
        raise CredentialsRefused(f"Tệp {p12.name} không có khóa bí mật và chứng thư số để ký.")
    name = _subject_field(cert, NameOID.COMMON_NAME) or printable(cert.subject.rfc4514_string())
    now = datetime.now(timezone.utc)
    if now < cert.not_valid_before_utc:
        raise CredentialsRefused(
            f"Chứng thư số của “{name}” chưa có hiệu lực (hiệu lực từ {cert.not_valid_before_utc:%d/%m/%Y} "
            f"đến {cert.not_valid_after_utc:%d/%m/%Y}). Hãy chờ đến ngày có hiệu lực hoặc dùng chứng thư số khác.")
    if now > cert.not_valid_after_utc:
        raise CredentialsRefused(
            f"Chứng thư số của “{name}” không còn hiệu lực (hiệu lực từ {cert.not_valid_before_utc:%d/%m/%Y} "
            f"đến {cert.not_valid_after_utc:%d/%m/%Y}). Hãy gia hạn hoặc dùng chứng thư số khác.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        can_sign = usage.content_commitment
        have = [label for attr, label in (("digital_signature", "digitalSignature"),
                                          ("content_commitment", "nonRepudiation"),
                                          ("key_encipherment", "keyEncipherment"),
                                          ("key_cert_sign", "keyCertSign")) if getattr(usage, attr)]
    except x509.ExtensionNotFound:
        can_sign, have = False, []
    if not can_sign:
        raise CredentialsRefused(
            f"Chứng thư số của “{name}” không dùng để ký văn bản được: mục đích sử dụng khóa "
            f"({', '.join(have) or 'không ghi'}) thiếu nonRepudiation (chống chối bỏ). "
            "Hãy dùng chứng thư số ký văn bản do tổ chức cung cấp dịch vụ chứng thực cấp cho người ký hoặc cơ quan.")
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    return Credentials(signer=signer, common_name=name,
                       organisation=_subject_field(cert, NameOID.ORGANIZATION_NAME),
                       not_after=cert.not_valid_after_utc)
