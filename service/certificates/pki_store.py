"""The service's PDF-signing PKI: the CA made once, its private keys sealed at rest.

What the CA issues (document signers, the timestamping authority, CRLs) is kept in the
insert-only ``pki_issued`` table. At each signing batch, ``pki_material`` hands the worker the
current signer and TSA and a recent CRL, renewing any of them first:

- a signer or TSA certificate is replaced by a new one under the same CA when its remaining
  validity is shorter than the longest certificate validity (a rating's 18 months,
  ``service.ratings.tokens.VALIDITY_MONTHS``) plus ``RENEWAL_MARGIN``, so a certificate signed
  today never outlives the certificate that signed or timestamped it; the old rows stay;
- a CRL is re-issued when the newest is older than ``CRL_REFRESH`` (it is valid for
  ``service.pdf.pki.CRL_DAYS``), so the CRL embedded in a PDF was current when it was signed.

The CA itself is not renewed: a leaf is never issued past the CA's own end, and once the CA has
less than 18 months left renewal stops (logged) — a new CA is a deliberate act (left to do).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.keystore import seal, unseal
from service.db.models import PkiIssued, PkiRecord
from service.pdf.pki import Authority, Leaf, PkiMaterial, crl_dates, issue_crl, issue_signer, issue_tsa, new_ca
from service.ratings.tokens import expiry

__all__ = ["CRL_REFRESH", "RENEWAL_MARGIN", "ca_pem", "pki_material"]

log = logging.getLogger(__name__)

PURPOSE = "pdf-signing"
RENEWAL_MARGIN = dt.timedelta(days=30)  # rendering lag, clock skew, a late batch
CRL_REFRESH = dt.timedelta(days=1)
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('pki'))"


def _needed_until(now: dt.datetime) -> dt.datetime:
    """A leaf used now must stay valid at least this long: a rating issued now expires at
    ``expiry(now)`` (18 months), and its certificate may be rendered a little later."""
    return expiry(now) + RENEWAL_MARGIN


async def _ca(db: AsyncSession, secret_key: str) -> tuple[PkiRecord, Authority]:
    record = await db.get(PkiRecord, 1)
    if record is None:
        await db.execute(text(_LOCK))
        record = await db.get(PkiRecord, 1)
    if record is None:
        ca = new_ca()
        record = PkiRecord(id=1, ca_cert_pem=ca.cert_pem, ca_key_sealed=seal(secret_key, PURPOSE, ca.key_pem))
        db.add(record)
        await db.flush()
        return record, ca
    return record, Authority(cert_pem=record.ca_cert_pem, key_pem=unseal(secret_key, PURPOSE, record.ca_key_sealed))


async def _latest(db: AsyncSession, kind: str) -> PkiIssued | None:
    order = PkiIssued.not_before if kind == "crl" else PkiIssued.not_after
    stmt = select(PkiIssued).where(PkiIssued.kind == kind).order_by(order.desc(), PkiIssued.created_at.desc()).limit(1)
    return (await db.execute(stmt)).scalar_one_or_none()


def _fresh(row: PkiIssued | None, kind: str, now: dt.datetime) -> bool:
    if row is None:
        return False
    if kind == "crl":
        return row.not_before > now - CRL_REFRESH
    return row.not_after >= _needed_until(now)


async def _current(db: AsyncSession, secret_key: str, ca: Authority, kind: str, now: dt.datetime) -> PkiIssued:
    """The newest ``kind`` row, first renewed (under the advisory lock) if it is not fresh."""
    row = await _latest(db, kind)
    if _fresh(row, kind, now):
        assert row is not None
        return row
    await db.execute(text(_LOCK))
    row = await _latest(db, kind)  # another process may have renewed it meanwhile
    if _fresh(row, kind, now):
        assert row is not None
        return row
    if kind == "crl":
        pem = issue_crl(ca, now=now)
        this_update, next_update = crl_dates(pem)
        made = PkiIssued(kind="crl", pem=pem, key_sealed=None, not_before=this_update, not_after=next_update)
    else:
        leaf: Leaf = issue_signer(ca, now=now) if kind == "signer" else issue_tsa(ca, now=now)
        if row is not None and leaf.not_after <= row.not_after + dt.timedelta(days=1):
            # capped by the CA's own end: a new leaf would last no longer than the current one
            log.warning("the PDF-signing CA ends %s: the %s certificate can no longer be renewed", leaf.not_after, kind)
            return row
        made = PkiIssued(
            kind=kind,
            pem=leaf.cert_pem,
            key_sealed=seal(secret_key, PURPOSE, leaf.key_pem),
            not_before=leaf.not_before,
            not_after=leaf.not_after,
        )
        if row is not None:
            log.info("%s certificate renewed: the old one ends %s, the new one %s", kind, row.not_after, leaf.not_after)
    db.add(made)
    await db.flush()
    return made


async def pki_material(db: AsyncSession, secret_key: str, *, now: dt.datetime | None = None) -> PkiMaterial:
    """What a signing worker needs now, the CA and its leaves created or renewed first (one
    process wins if several race; the rest wait on the advisory lock and reuse its rows)."""
    at = now or dt.datetime.now(dt.UTC)
    _, ca = await _ca(db, secret_key)
    signer = await _current(db, secret_key, ca, "signer", at)
    tsa = await _current(db, secret_key, ca, "tsa", at)
    crl = await _current(db, secret_key, ca, "crl", at)
    assert signer.key_sealed is not None and tsa.key_sealed is not None
    return PkiMaterial(
        ca_cert_pem=ca.cert_pem,
        signer_cert_pem=signer.pem,
        signer_key_pem=unseal(secret_key, PURPOSE, signer.key_sealed),
        tsa_cert_pem=tsa.pem,
        tsa_key_pem=unseal(secret_key, PURPOSE, tsa.key_sealed),
        crl_pem=crl.pem,
    )


async def ca_pem(db: AsyncSession, secret_key: str) -> str:
    """The CA certificate (made on first use), for ``GET /v1/pki/ca.pem``."""
    record, _ = await _ca(db, secret_key)
    return record.ca_cert_pem
