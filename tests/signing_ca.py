"""A test certification authority made on the spot with ``cryptography``: a root, the signer's
certificate (digitalSignature + nonRepudiation), the organisation's, one that cannot sign (only
keyEncipherment), and a timestamp authority (critical extended key usage timeStamping). Keys and
certificates are written as PKCS#12 files protected by a password, the root as PEM."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mật-khẩu-thử 2026"


@dataclass
class Identity:
    key: object  # an EC key, or RSA for the timestamp authority
    cert: x509.Certificate
    p12: Path | None = None


def _name(common_name: str, organisation: str = "UBND xã Thử Nghiệm") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _usage(**on) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: on.get(n, False) for n in names})


def _issue(subject: x509.Name, issuer: Identity | None, usage: x509.KeyUsage, *, ca: bool = False,
           eku: list | None = None, rsa_key: bool = False, starts_in_days: int = -1) -> Identity:
    key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now + timedelta(days=starts_in_days))
               .not_valid_after(now + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(usage, critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    cert = builder.sign((issuer or Identity(key, None)).key, hashes.SHA256())  # type: ignore[arg-type]
    return Identity(key, cert)


@dataclass
class CA:
    root: Identity
    signer: Identity
    organisation: Identity
    cannot_sign: Identity
    tsa: Identity
    root_pem: Path


def _p12(identity: Identity, ca: Identity, path: Path, name: str) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), identity.key, identity.cert, [ca.cert],
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    identity.p12 = path
    return path


def make_ca(folder: Path) -> CA:
    """Create the CA and write ``root.pem`` and one ``.p12`` per identity into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    root = _issue(_name("Test Root CA planpub", "Tổ chức chứng thực thử"), None,
                  _usage(key_cert_sign=True, crl_sign=True), ca=True)
    signer = _issue(_name("Nguyễn Thị Hạnh"), root, _usage(digital_signature=True, content_commitment=True))
    organisation = _issue(_name("UBND xã Thử Nghiệm"), root, _usage(digital_signature=True, content_commitment=True))
    cannot_sign = _issue(_name("Máy chủ mã hóa"), root, _usage(key_encipherment=True))
    tsa = _issue(_name("TSA thử nghiệm", "Tổ chức chứng thực thử"), root, _usage(digital_signature=True),
                 eku=[ExtendedKeyUsageOID.TIME_STAMPING], rsa_key=True)  # pyHanko's DummyTimeStamper signs RSA
    root_pem = folder / "root.pem"
    root_pem.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    _p12(signer, root, folder / "signer.p12", "signer")
    _p12(organisation, root, folder / "organisation.p12", "organisation")
    _p12(cannot_sign, root, folder / "cannot-sign.p12", "cannot-sign")
    return CA(root, signer, organisation, cannot_sign, tsa, root_pem)


def make_signer(ca: CA, folder: Path, common_name: str, file_name: str, *, starts_in_days: int = -1) -> Path:
    """A ``.p12`` of another signer issued by the same root: any name (control characters too), and a
    validity that may start in the future (a certificate not yet valid)."""
    identity = _issue(_name(common_name), ca.root, _usage(digital_signature=True, content_commitment=True),
                      starts_in_days=starts_in_days)
    return _p12(identity, ca.root, folder / file_name, file_name)


def make_other_root(folder: Path) -> Path:
    """The PEM of a root that issued none of our certificates (for 'not trusted')."""
    other = _issue(_name("Another Root CA", "Nơi khác"), None, _usage(key_cert_sign=True, crl_sign=True), ca=True)
    path = folder / "other-root.pem"
    path.write_bytes(other.cert.public_bytes(serialization.Encoding.PEM))
    return path
