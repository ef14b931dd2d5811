"""Certificate PDF signatures as validators nobody here wrote see them (issue 21, points 1, 2, 7).

poppler's pdfsig with an NSS database trusting the service CA, openssl (certificate purposes, the
extracted CMS, the RFC 3161 token) and pyHanko all accept the signature; the signature is PAdES
B-LT (timestamp from the service's own TSA, certificates and CRL in the DSS) and still validates
after its signer certificate has expired; signer and TSA certificates are renewed before they
could cut a certificate's life short; `keys rotate` refuses a delay shorter than the JWKS max-age.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from service.certificates.pki_store import RENEWAL_MARGIN, pki_material
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import PkiIssued
from service.pdf.pki import (
    DOCUMENT_SIGNING,
    SIGNER_NAME,
    TSA_NAME,
    PkiMaterial,
    issue_crl,
    issue_signer,
    issue_tsa,
    new_ca,
    new_pki,
)
from service.pdf.signing import PdfSigner, validate, validate_long_term
from service.pdf.tsa import TSA_POLICY
from service.ratings.tokens import expiry
from service.settings import Settings
from tests.integration.test_cli import run_cli

TEXT = b"Zibo carbon certificate under test"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} ({package}) is required under CI=true")
        pytest.skip(f"{name} ({package}) is not installed")
    return found


def _unsigned() -> bytes:
    buf = BytesIO()
    page = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    page.drawString(72, 770, TEXT.decode())
    page.showPage()
    page.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def pki() -> PkiMaterial:
    return new_pki()


@pytest.fixture(scope="module")
def signed(pki: PkiMaterial) -> bytes:
    return PdfSigner(pki).sign(_unsigned())


@pytest.fixture
def files(tmp_path: Path, pki: PkiMaterial, signed: bytes) -> dict[str, Path]:
    paths = {"ca": tmp_path / "ca.pem", "signer": tmp_path / "signer.pem", "tsa": tmp_path / "tsa.pem"}
    paths["ca"].write_text(pki.ca_cert_pem)
    paths["signer"].write_text(pki.signer_cert_pem)
    paths["tsa"].write_text(pki.tsa_cert_pem)
    paths["pdf"] = tmp_path / "signed.pdf"
    paths["pdf"].write_bytes(signed)
    return paths


def _nss(tmp_path: Path, ca: Path, name: str = "nss") -> str:
    certutil = _tool("certutil", "libnss3-tools")
    db = tmp_path / name
    db.mkdir()
    for cmd in (["-N", "--empty-password"], ["-A", "-n", "ca", "-t", "CT,C,C", "-i", str(ca)]):
        done = subprocess.run([certutil, *cmd, "-d", f"sql:{db}"], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
    return f"sql:{db}"


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), capture_output=True, text=True, timeout=60, check=False)


# ---- 1. the signer certificate: what NSS, openssl and pyHanko check -----------------------------


def test_signer_and_tsa_certificates_carry_the_usages_validators_check(pki: PkiMaterial) -> None:
    ca = x509.load_pem_x509_certificate(pki.ca_cert_pem.encode())
    signer = x509.load_pem_x509_certificate(pki.signer_cert_pem.encode())
    tsa = x509.load_pem_x509_certificate(pki.tsa_cert_pem.encode())
    eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert set(eku.value) == {ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING} and not eku.critical
    tsa_eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert list(tsa_eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING] and tsa_eku.critical  # RFC 3161 §2.3
    for leaf, name in ((signer, SIGNER_NAME), (tsa, TSA_NAME)):
        leaf.verify_directly_issued_by(ca)
        assert leaf.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == name
        assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert leaf.not_valid_after_utc <= ca.not_valid_after_utc
    assert tsa.not_valid_after_utc > signer.not_valid_after_utc  # the timestamp outlives the signer


def test_pdfsig_with_an_nss_database_trusting_the_ca(tmp_path: Path, files: dict[str, Path], signed: bytes) -> None:
    pdfsig = _tool("pdfsig", "poppler-utils")
    nss = _nss(tmp_path, files["ca"])
    out = _run(pdfsig, "-nssdir", nss, str(files["pdf"]))
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Signer Certificate Common Name: {SIGNER_NAME}" in out.stdout
    assert "Signature is Valid." in out.stdout
    assert "Certificate is Trusted." in out.stdout, out.stdout  # was "Unknown issue with Certificate"
    assert "Total document signed" in out.stdout

    stranger = tmp_path / "stranger.pem"
    stranger.write_text(new_pki().ca_cert_pem)  # same CA name, another key
    out = _run(pdfsig, "-nssdir", _nss(tmp_path, stranger, "stranger-nss"), str(files["pdf"]))
    assert "Certificate is Trusted." not in out.stdout

    tampered = tmp_path / "tampered.pdf"
    changed = bytearray(signed)
    changed[signed.index(TEXT) + 3] ^= 0x01
    tampered.write_bytes(bytes(changed))
    out = _run(pdfsig, "-nssdir", nss, str(tampered))
    assert "Signature is Valid." not in out.stdout


def test_certutil_approves_the_signer_for_signing(tmp_path: Path, files: dict[str, Path]) -> None:
    certutil = _tool("certutil", "libnss3-tools")
    nss = _nss(tmp_path, files["ca"])
    added = _run(certutil, "-A", "-d", nss, "-n", "signer", "-t", ",,", "-i", str(files["signer"]))
    assert added.returncode == 0, added.stderr
    out = _run(certutil, "-V", "-d", nss, "-n", "signer", "-u", "S")  # S: email (document) signer
    assert out.returncode == 0 and "certificate is valid" in out.stdout, out.stdout + out.stderr


def test_openssl_accepts_the_chain_and_purposes(files: dict[str, Path]) -> None:
    openssl = _tool("openssl", "openssl")
    ca = str(files["ca"])
    for args in (
        ["verify", "-CAfile", ca, str(files["signer"])],  # the default purpose
        ["verify", "-CAfile", ca, "-purpose", "smimesign", str(files["signer"])],
        ["verify", "-CAfile", ca, "-purpose", "timestampsign", str(files["tsa"])],
    ):
        out = _run(openssl, *args)
        assert out.returncode == 0 and ": OK" in out.stdout, (args, out.stdout, out.stderr)
    out = _run(openssl, "verify", "-CAfile", ca, "-purpose", "timestampsign", str(files["signer"]))
    assert out.returncode != 0  # the signer is no TSA


def _cms_and_content(pdf: bytes) -> tuple[cms.ContentInfo, bytes]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found is not None
    a, b, c, d = (int(n) for n in found.groups())
    der = bytes.fromhex(pdf[a + b + 1 : c - 1].decode())
    return cms.ContentInfo.load(der.rstrip(b"\0"), strict=False), pdf[a : a + b] + pdf[c : c + d]


def test_openssl_cms_verify_of_the_extracted_signature(tmp_path: Path, files: dict[str, Path], signed: bytes) -> None:
    openssl = _tool("openssl", "openssl")
    info, content = _cms_and_content(signed)
    (tmp_path / "sig.der").write_bytes(info.dump())
    (tmp_path / "content.bin").write_bytes(content)
    verify = [openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "sig.der")]
    out = _run(*verify, "-content", str(tmp_path / "content.bin"), "-CAfile", str(files["ca"]), "-out", "/dev/null")
    assert out.returncode == 0 and "Verification successful" in out.stderr, out.stderr  # smimesign purpose
    (tmp_path / "other.bin").write_bytes(content.replace(TEXT, TEXT.upper()))
    out = _run(*verify, "-content", str(tmp_path / "other.bin"), "-CAfile", str(files["ca"]), "-out", "/dev/null")
    assert out.returncode != 0


def test_openssl_ts_verifies_the_signature_timestamp(tmp_path: Path, files: dict[str, Path], signed: bytes) -> None:
    """The RFC 3161 token in the signature: over the signature value, from the service's TSA."""
    openssl = _tool("openssl", "openssl")
    info, _ = _cms_and_content(signed)
    signer_info = info["content"]["signer_infos"][0]
    tokens = [a for a in signer_info["unsigned_attrs"] if a["type"].native == "signature_time_stamp_token"]
    assert len(tokens) == 1
    token = tokens[0]["values"][0]
    (tmp_path / "token.der").write_bytes(token.dump())
    digest = hashlib.sha256(signer_info["signature"].native).hexdigest()
    out = _run(openssl, "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der"), "-digest", digest,
               "-CAfile", str(files["ca"]))  # fmt: skip
    assert out.returncode == 0 and "Verification: OK" in out.stdout, out.stdout + out.stderr
    shown = _run(openssl, "ts", "-reply", "-token_in", "-in", str(tmp_path / "token.der"), "-token_out", "-text")
    assert f"Policy OID: {TSA_POLICY}" in shown.stdout, shown.stdout
    assert "TSA: DirName:" in shown.stdout and TSA_NAME in shown.stdout


def test_pyhanko_validates_with_the_ca_as_trust_root(pki: PkiMaterial, signed: bytes) -> None:
    result = validate(signed, pki.ca_cert_pem)
    assert result["ok"] and result["coverage"] == "ENTIRE_FILE", result
    assert result["timestamp"] is not None  # B-T: the token verified against the same CA
    stamped = dt.datetime.fromisoformat(result["timestamp"])
    assert abs(stamped - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=10)
    assert validate_long_term(signed, pki.ca_cert_pem, dt.datetime.now(dt.UTC)) == "PASSED"
    assert validate_long_term(signed, new_pki().ca_cert_pem, dt.datetime.now(dt.UTC)) != "PASSED"


# ---- 2. long-term: B-LT, and validation after the signer's expiry ------------------------------


def test_the_dss_holds_every_certificate_and_the_crl(pki: PkiMaterial, signed: bytes) -> None:
    reader = PdfFileReader(BytesIO(signed))
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) == 3 and len(dss["/CRLs"]) == 1
    assert signed.count(b"%%EOF") == 2  # rendered + one update (signature and DSS together)
    crl = x509.load_der_x509_crl(dss["/CRLs"][0].get_object().data)
    ca = x509.load_pem_x509_certificate(pki.ca_cert_pem.encode())
    assert crl.is_signature_valid(ca.public_key()) and crl.issuer == ca.subject


def test_a_certificate_still_validates_after_its_signer_certificate_expired() -> None:
    """A signer issued with a one-day life; a validator two days later (the signer expired,
    the TSA and the embedded CRL still current) accepts the signature thanks to the timestamp;
    the same check without a time (pyHanko at that moment, ignoring the token) does not."""
    now = dt.datetime.now(dt.UTC)
    ca = new_ca()
    short = issue_signer(ca, until=now + dt.timedelta(days=1))
    tsa = issue_tsa(ca)
    material = PkiMaterial(ca_cert_pem=ca.cert_pem, signer_cert_pem=short.cert_pem, signer_key_pem=short.key_pem,
                           tsa_cert_pem=tsa.cert_pem, tsa_key_pem=tsa.key_pem, crl_pem=issue_crl(ca))  # fmt: skip
    pdf = PdfSigner(material).sign(_unsigned())
    later = now + dt.timedelta(days=2)
    assert later > short.not_after
    assert validate_long_term(pdf, ca.cert_pem, later) == "PASSED"
    root = next(iter(load_certs_from_pemder_data(ca.cert_pem.encode())))
    context = ValidationContext(trust_roots=[root], allow_fetching=False, moment=later)
    plain = validate_pdf_signature(PdfFileReader(BytesIO(pdf)).embedded_signatures[0], context)
    assert not plain.trusted  # without the timestamp, the expired signer is refused
    assert validate_long_term(pdf, ca.cert_pem, tsa.not_after + dt.timedelta(days=1)) != "PASSED"


# ---- 2. renewal at signing time (the store, on the real database as the app role) --------------


async def _material(settings: Settings, now: dt.datetime) -> PkiMaterial:
    engine = make_engine(settings.app_database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            return await pki_material(db, settings.secret_key, now=now)
    finally:
        await engine.dispose()


async def _issued(settings: Settings) -> list[PkiIssued]:
    engine = make_engine(settings.app_database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db:
            return list((await db.execute(select(PkiIssued).order_by(PkiIssued.created_at))).scalars())
    finally:
        await engine.dispose()


def test_signer_and_tsa_are_renewed_before_they_could_cut_a_certificate_short(settings: Settings) -> None:
    t0 = dt.datetime.now(dt.UTC)
    first = asyncio.run(_material(settings, t0))
    assert asyncio.run(_material(settings, t0)) == first  # nothing to renew: the same material
    signer_end = x509.load_pem_x509_certificate(first.signer_cert_pem.encode()).not_valid_after_utc
    assert signer_end >= expiry(t0) + RENEWAL_MARGIN

    # a day after the signer stopped covering a new 18-month certificate (+ margin)
    t1 = signer_end - (expiry(t0) - t0) - RENEWAL_MARGIN + dt.timedelta(days=2)
    second = asyncio.run(_material(settings, t1))
    assert second.ca_cert_pem == first.ca_cert_pem  # same CA
    assert second.signer_cert_pem != first.signer_cert_pem
    assert second.tsa_cert_pem == first.tsa_cert_pem  # the TSA (6 years) still covers it
    assert second.crl_pem != first.crl_pem  # the CRL is re-issued too (older than a day)
    renewed = x509.load_pem_x509_certificate(second.signer_cert_pem.encode())
    assert renewed.not_valid_after_utc >= expiry(t1) + RENEWAL_MARGIN
    renewed.verify_directly_issued_by(x509.load_pem_x509_certificate(first.ca_cert_pem.encode()))

    rows = asyncio.run(_issued(settings))
    assert [r.pem for r in rows if r.kind == "signer"] == [first.signer_cert_pem, second.signer_cert_pem]  # old kept
    assert all(r.key_sealed is not None and b"PRIVATE KEY" not in r.key_sealed for r in rows if r.kind != "crl")

    tsa_end = x509.load_pem_x509_certificate(first.tsa_cert_pem.encode()).not_valid_after_utc
    t2 = tsa_end - (expiry(t0) - t0) - RENEWAL_MARGIN + dt.timedelta(days=2)
    third = asyncio.run(_material(settings, t2))
    assert third.tsa_cert_pem != first.tsa_cert_pem and third.ca_cert_pem == first.ca_cert_pem


# ---- 7. key rotation delay ----------------------------------------------------------------------


def test_keys_rotate_refuses_a_delay_shorter_than_the_jwks_max_age(settings: Settings) -> None:
    short = run_cli("keys", "rotate", "--delay", "60", database_url=settings.database_url)
    assert short.returncode == 2 and short.stdout == ""
    assert "--delay 60" in short.stderr and "max-age=300" in short.stderr
    ok = run_cli("keys", "rotate", "--delay", "300", database_url=settings.database_url)
    assert ok.returncode == 0, ok.stderr
    assert "kid" in ok.stdout
