"""The service's own small PKI for signing certificate PDFs.

A PDF signature needs an X.509 certificate, and a rating key (a bare JWS key) has none. Rather
than depending on a commercial CA, the service is its own root: a P-256 CA whose certificate is
published at ``GET /v1/pki/ca.pem``, and a separate P-256 signer certificate issued by it. Anyone
who trusts that CA certificate can check a downloaded PDF with pyHanko, Acrobat or poppler.
The CA (pathlen 0) can only issue end-entity certificates, and the signer may only sign
documents, so a leak of the signer key cannot mint further certificates.

Everything here is pure: keys and certificates come back as PEM; the caller seals the private
halves at rest (see ``service.certificates.pki_store``).
"""

from __future__ import annotations

import datetime as dt

import msgspec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

__all__ = ["DOCUMENT_SIGNING", "SIGNER_NAME", "PkiMaterial", "new_pki"]

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning (RFC 9336)
SIGNER_NAME = "Zibo Carbon Account Certificate Signer"
_CA_YEARS = 10
_SIGNER_YEARS = 3
_BACKDATE = dt.timedelta(minutes=5)  # tolerate a validator whose clock is slightly behind


class PkiMaterial(msgspec.Struct, frozen=True, kw_only=True):
    """The CA and signer; the keys are unencrypted PKCS#8 PEM — seal them before storing."""

    ca_cert_pem: str
    signer_cert_pem: str
    signer_key_pem: bytes
    ca_key_pem: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zibo Carbon Account"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, cert_sign: bool = False, signing: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_cert(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _years(start: dt.datetime, years: int) -> dt.datetime:
    return start + dt.timedelta(days=365 * years + years // 4)


def new_pki(common_name: str = "Zibo Carbon Account CA", *, now: dt.datetime | None = None) -> PkiMaterial:
    """A fresh self-signed CA (10 years) and a document-signing certificate issued by it (3 years)."""
    start = (now or dt.datetime.now(dt.UTC)) - _BACKDATE
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(common_name)
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_years(start, _CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ca_ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_NAME))
        .issuer_name(ca_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(_years(start, _SIGNER_YEARS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(signer_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return PkiMaterial(
        ca_cert_pem=_pem_cert(ca_cert),
        signer_cert_pem=_pem_cert(signer_cert),
        signer_key_pem=_pem_key(signer_key),
        ca_key_pem=_pem_key(ca_key),
    )
