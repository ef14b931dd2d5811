"""Revocation of the PDF-signing PKI and validation once the embedded CRL is stale (issue 21, 2).

Every signer and TSA certificate names the CRL distribution point ``{base}/v1/pki/ca.crl``. The
CRL embedded in a PDF is current for 30 days; a validator later (after the signer expired, say)
uses the current CRL fetched there: the signature still validates, unless the signer was revoked
before it signed. An operator revokes with `carbon-account pki revoke`; the next CRL lists the
serial with its reason and the next signing batch replaces the revoked certificate.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json

from cryptography import x509
from sqlalchemy.ext.asyncio import AsyncSession

from service.certificates.pki_store import NotRevocable, current_crl, pki_material, revoke
from service.db.engine import make_engine, make_sessionmaker
from service.pdf.pki import Authority, PkiMaterial, crl_url_of, issue_crl, issue_signer, issue_tsa, new_ca, serial_of
from service.pdf.signing import PdfSigner, validate_long_term
from service.settings import Settings
from tests.integration.test_cli import run_cli
from tests.integration.test_pdf_signature_validators import _unsigned

URL = "https://carbon.example.cn/v1/pki/ca.crl"


def _material(ca: Authority, *, signer_days: int | None = None) -> tuple[PkiMaterial, int]:
    now = dt.datetime.now(dt.UTC)
    until = None if signer_days is None else now + dt.timedelta(days=signer_days)
    signer, tsa = issue_signer(ca, until=until, crl_url=URL), issue_tsa(ca, crl_url=URL)
    material = PkiMaterial(ca_cert_pem=ca.cert_pem, signer_cert_pem=signer.cert_pem, signer_key_pem=signer.key_pem,
                           tsa_cert_pem=tsa.cert_pem, tsa_key_pem=tsa.key_pem, crl_pem=issue_crl(ca))  # fmt: skip
    return material, serial_of(signer.cert_pem)


def test_signer_and_tsa_name_the_distribution_point() -> None:
    material, _ = _material(new_ca())
    assert crl_url_of(material.signer_cert_pem) == URL and crl_url_of(material.tsa_cert_pem) == URL
    assert crl_url_of(new_ca().cert_pem) is None  # the root names none (it is trusted directly)


def test_after_the_embedded_crl_went_stale_the_fetched_crl_keeps_the_signature_valid() -> None:
    """A 3-year signer (production's): 60 days on, the embedded CRL (30 days) is stale and a
    validator with nothing else can only say TRY_LATER; with the CRL fetched then, PASSED; and
    a day after the signer itself expired, with that day's CRL, still PASSED (the timestamp)."""
    ca = new_ca()
    material, _ = _material(ca)
    pdf = PdfSigner(material).sign(_unsigned())
    now = dt.datetime.now(dt.UTC)
    day60 = now + dt.timedelta(days=60)
    assert validate_long_term(pdf, ca.cert_pem, day60) == "INDETERMINATE/TRY_LATER"
    assert validate_long_term(pdf, ca.cert_pem, day60, (issue_crl(ca, now=day60),)) == "PASSED"
    signer_end = x509.load_pem_x509_certificate(material.signer_cert_pem.encode()).not_valid_after_utc
    later = signer_end + dt.timedelta(days=1)
    assert validate_long_term(pdf, ca.cert_pem, later, (issue_crl(ca, now=later),)) == "PASSED"


def test_a_revoked_signer_fails_what_it_signed_after_the_revocation_only() -> None:
    ca = new_ca()
    material, serial = _material(ca)
    pdf = PdfSigner(material).sign(_unsigned())  # signed (and timestamped) now
    now = dt.datetime.now(dt.UTC)
    at = now + dt.timedelta(days=40)
    before = issue_crl(ca, now=at, revoked=((serial, now - dt.timedelta(hours=1), "keyCompromise"),))
    after = issue_crl(ca, now=at, revoked=((serial, now + dt.timedelta(days=10), "keyCompromise"),))
    # ETSI EN 319 102-1: revoked, and no proof the signature existed before the revocation
    assert validate_long_term(pdf, ca.cert_pem, at, (before,)) == "INDETERMINATE/REVOKED_NO_POE"
    assert validate_long_term(pdf, ca.cert_pem, at, (after,)) == "PASSED"  # it signed before the revocation


async def _with_db(settings: Settings, fn):  # type: ignore[no-untyped-def]
    engine = make_engine(settings.app_database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            return await fn(db)
    finally:
        await engine.dispose()


def test_revoking_lists_the_serial_and_replaces_the_leaf(settings: Settings) -> None:
    async def first(db: AsyncSession) -> PkiMaterial:
        return await pki_material(db, settings.secret_key, crl_url=URL)

    one = asyncio.run(_with_db(settings, first))
    assert asyncio.run(_with_db(settings, first)) == one  # nothing to renew
    serial = serial_of(one.signer_cert_pem)

    cli = run_cli("pki", "revoke", "--serial", str(serial), "--reason", "keyCompromise",
                  database_url=settings.database_url)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["serial"] == str(serial)
    again = run_cli("pki", "revoke", "--serial", str(serial), "--reason", "keyCompromise",
                    database_url=settings.database_url)  # fmt: skip
    assert again.returncode == 2 and "already revoked" in again.stderr
    status = json.loads(run_cli("pki", "status", database_url=settings.database_url).stdout)
    assert {s["serial"]: s["revoked"]["reason"] for s in status if s["revoked"]} == {str(serial): "keyCompromise"}

    two = asyncio.run(_with_db(settings, first))
    assert two.signer_cert_pem != one.signer_cert_pem and two.tsa_cert_pem == one.tsa_cert_pem
    crl = x509.load_pem_x509_crl(two.crl_pem.encode())
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    served = asyncio.run(_with_db(settings, lambda db: current_crl(db, settings.secret_key)))
    assert served == two.crl_pem  # the endpoint serves the CRL the batch embedded

    async def unknown(db: AsyncSession) -> str:
        try:
            await revoke(db, 12345, "keyCompromise")
        except NotRevocable as exc:
            return str(exc)
        return "revoked"

    assert "no signer or TSA certificate" in asyncio.run(_with_db(settings, unknown))


def test_a_moved_public_base_url_renews_the_leaves(settings: Settings) -> None:
    moved = "https://carbon.zibo.gov.cn/v1/pki/ca.crl"
    one = asyncio.run(_with_db(settings, lambda db: pki_material(db, settings.secret_key, crl_url=URL)))
    two = asyncio.run(_with_db(settings, lambda db: pki_material(db, settings.secret_key, crl_url=moved)))
    assert crl_url_of(two.signer_cert_pem) == moved and crl_url_of(two.tsa_cert_pem) == moved
    assert two.ca_cert_pem == one.ca_cert_pem
