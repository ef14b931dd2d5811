"""The service's own small PKI for signing certificate PDFs.

A PDF signature needs an X.509 certificate, and a rating key (a bare JWS key) has none. Rather
than depending on a commercial CA, the service is its own root: a P-256 CA whose certificate is
published at ``GET /v1/pki/ca.pem``, and under it two kinds of P-256 end-entity certificates:

- document signers (``issue_signer``): keyUsage digitalSignature + nonRepudiation, extended key
  usage emailProtection and documentSigning. Validators check a PDF signer as an S/MIME signer:
  NSS (poppler's ``pdfsig``, Firefox) and openssl's ``cms -verify`` refuse a certificate whose
  EKU lacks emailProtection ("Certificate type not approved for application", "unsuitable
  certificate purpose"); Adobe accepts emailProtection, and documentSigning (RFC 9336) says
  what the key is really for;
- timestamping authorities (``issue_tsa``): EKU timeStamping alone and critical (RFC 3161 §2.3),
  the service's own TSA, so that signatures carry a trusted time and keep validating after
  their signer certificate expires (PAdES B-T/B-LT).

The CA (pathlen 0, keyCertSign + cRLSign) can only issue end-entity certificates and CRLs, so a
leaked signer or TSA key cannot mint further certificates. ``issue_crl`` makes the CA's CRL,
embedded in every signed PDF as its revocation information when it is signed, and published at
``GET /v1/pki/ca.crl``, the CRL distribution point named in every signer and TSA certificate
(RFC 5280 §4.2.1.13): the embedded CRL is current for ``CRL_DAYS``, so a validator checking a
signature later (after the signer has expired, say) fetches the current CRL there, which still
says whether the signer or TSA key was revoked, and when. No OCSP responder is run.

Everything here is pure: keys, certificates and CRLs come back as PEM; the caller seals the
private halves at rest (see ``service.certificates.pki_store``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

__all__ = [
    "CA_NAME",
    "DOCUMENT_SIGNING",
    "REVOCATION_REASONS",
    "SIGNER_EKU",
    "SIGNER_NAME",
    "TSA_NAME",
    "Authority",
    "Leaf",
    "PkiMaterial",
    "crl_dates",
    "crl_url_of",
    "issue_crl",
    "issue_signer",
    "issue_tsa",
    "new_ca",
    "new_pki",
    "not_after",
    "serial_of",
]

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning (RFC 9336)
SIGNER_EKU = (ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING)
CA_NAME = "Zibo Carbon Account CA"
SIGNER_NAME = "Zibo Carbon Account Certificate Signer"
TSA_NAME = "Zibo Carbon Account Timestamping Authority"
CA_YEARS = 10
SIGNER_YEARS = 3
TSA_YEARS = 6
CRL_DAYS = 30  # a CRL's nextUpdate; each signing batch embeds a fresh one
_BACKDATE = dt.timedelta(minutes=5)  # tolerate a validator whose clock is slightly behind

Kind = Literal["signer", "tsa"]

# CRL reason codes (RFC 5280 §5.3.1) an operator may give when revoking a signer or TSA key
REVOCATION_REASONS: dict[str, x509.ReasonFlags] = {
    "keyCompromise": x509.ReasonFlags.key_compromise,
    "superseded": x509.ReasonFlags.superseded,
    "cessationOfOperation": x509.ReasonFlags.cessation_of_operation,
    "affiliationChanged": x509.ReasonFlags.affiliation_changed,
}


class PkiMaterial(msgspec.Struct, frozen=True, kw_only=True):
    """What a signing worker needs: the CA certificate, the current signer and TSA (keys as
    unencrypted PKCS#8 PEM: seal them before storing) and the CA's current CRL. Not the CA key."""

    ca_cert_pem: str
    signer_cert_pem: str
    signer_key_pem: bytes
    tsa_cert_pem: str
    tsa_key_pem: bytes
    crl_pem: str


class Authority(msgspec.Struct, frozen=True, kw_only=True):
    """The CA: its certificate and (unsealed) key."""

    cert_pem: str
    key_pem: bytes


class Leaf(msgspec.Struct, frozen=True, kw_only=True):
    """An end-entity certificate and its key, with its validity for the store's index."""

    kind: str
    cert_pem: str
    key_pem: bytes
    not_before: dt.datetime
    not_after: dt.datetime


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


def _start(now: dt.datetime | None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)) - _BACKDATE


def _load(ca: Authority) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate(ca.cert_pem.encode("ascii"))
    key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("the CA key is not an EC key")
    return cert, key


def not_after(cert_pem: str) -> dt.datetime:
    return x509.load_pem_x509_certificate(cert_pem.encode("ascii")).not_valid_after_utc


def crl_dates(crl_pem: str) -> tuple[dt.datetime, dt.datetime]:
    """A CRL's thisUpdate and nextUpdate."""
    crl = x509.load_pem_x509_crl(crl_pem.encode("ascii"))
    assert crl.next_update_utc is not None
    return crl.last_update_utc, crl.next_update_utc


def new_ca(common_name: str = CA_NAME, *, now: dt.datetime | None = None) -> Authority:
    """A fresh self-signed CA: CA:TRUE pathlen 0 and keyCertSign + cRLSign, both critical; 10 years."""
    start = _start(now)
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_years(start, CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(cert_pem=_pem_cert(cert), key_pem=_pem_key(key))


def _distribution_point(crl_url: str) -> x509.CRLDistributionPoints:
    uri = x509.UniformResourceIdentifier(crl_url)
    return x509.CRLDistributionPoints([x509.DistributionPoint([uri], None, None, None)])


def crl_url_of(cert_pem: str) -> str | None:
    """The CRL distribution point a certificate names (the first URI), if any."""
    cert = x509.load_pem_x509_certificate(cert_pem.encode("ascii"))
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return None
    uris = [n.value for p in points for n in p.full_name or () if isinstance(n, x509.UniformResourceIdentifier)]
    return uris[0] if uris else None


def serial_of(cert_pem: str) -> int:
    return x509.load_pem_x509_certificate(cert_pem.encode("ascii")).serial_number


def _issue(
    ca: Authority,
    kind: Kind,
    *,
    now: dt.datetime | None,
    years: int,
    until: dt.datetime | None,
    crl_url: str | None,
) -> Leaf:
    ca_cert, ca_key = _load(ca)
    start = _start(now)
    end = min(until or _years(start, years), ca_cert.not_valid_after_utc)  # never past the CA
    key = ec.generate_private_key(ec.SECP256R1())
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    if kind == "signer":
        name, eku, eku_critical = SIGNER_NAME, list(SIGNER_EKU), False
    else:
        name, eku, eku_critical = TSA_NAME, [ExtendedKeyUsageOID.TIME_STAMPING], True  # RFC 3161 §2.3
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
    )
    if crl_url:
        builder = builder.add_extension(_distribution_point(crl_url), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return Leaf(
        kind=kind,
        cert_pem=_pem_cert(cert),
        key_pem=_pem_key(key),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def issue_signer(
    ca: Authority, *, now: dt.datetime | None = None, until: dt.datetime | None = None, crl_url: str | None = None
) -> Leaf:
    """A document signer under ``ca``: 3 years (or until ``until``), never past the CA's own end;
    ``crl_url`` is where its revocation status is published."""
    return _issue(ca, "signer", now=now, years=SIGNER_YEARS, until=until, crl_url=crl_url)


def issue_tsa(
    ca: Authority, *, now: dt.datetime | None = None, until: dt.datetime | None = None, crl_url: str | None = None
) -> Leaf:
    """A timestamping-authority certificate under ``ca``: 6 years (or until ``until``), capped by the CA."""
    return _issue(ca, "tsa", now=now, years=TSA_YEARS, until=until, crl_url=crl_url)


def issue_crl(
    ca: Authority,
    *,
    now: dt.datetime | None = None,
    revoked: tuple[tuple[int, dt.datetime, str], ...] = (),
    days: int = CRL_DAYS,
) -> str:
    """The CA's CRL (PEM) as of ``now``, listing ``revoked`` (serial, revocation time, a reason of
    ``REVOCATION_REASONS``); the CRL number grows with time, so a later CRL always supersedes an
    earlier one."""
    ca_cert, ca_key = _load(ca)
    this_update = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(this_update)
        .next_update(this_update + dt.timedelta(days=days))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .add_extension(x509.CRLNumber(int(this_update.timestamp() * 1000)), critical=False)
    )
    for serial, when, reason in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
        entry = entry.add_extension(x509.CRLReason(REVOCATION_REASONS[reason]), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode("ascii")


def new_pki(common_name: str = CA_NAME, *, now: dt.datetime | None = None) -> PkiMaterial:
    """A fresh CA with a signer, a TSA and a CRL, all at once (tests, benchmarks); the CA key
    is dropped — the service keeps its own in ``service.certificates.pki_store``."""
    ca = new_ca(common_name, now=now)
    signer, tsa = issue_signer(ca, now=now), issue_tsa(ca, now=now)
    return PkiMaterial(
        ca_cert_pem=ca.cert_pem,
        signer_cert_pem=signer.cert_pem,
        signer_key_pem=signer.key_pem,
        tsa_cert_pem=tsa.cert_pem,
        tsa_key_pem=tsa.key_pem,
        crl_pem=issue_crl(ca, now=now),
    )
