"""The service's PDF-signing PKI: the CA made once, its private keys sealed at rest.

What the CA issues (document signers, the timestamping authority, CRLs) is kept in the
insert-only ``pki_issued`` table. At each signing batch, ``pki_material`` hands the worker the
current signer and TSA and a recent CRL, renewing any of them first:

- a signer or TSA certificate is replaced by a new one under the same CA when its remaining
  validity is shorter than the longest certificate validity (a rating's 18 months,
  ``service.ratings.tokens.VALIDITY_MONTHS``) plus ``RENEWAL_MARGIN``, so a certificate signed
  today never outlives the certificate that signed or timestamped it; the old rows stay;
- a leaf is also replaced when it was revoked (``revoke``: key compromise, say) or when it names
  another CRL distribution point than the service's current one (the public base URL moved);
- a CRL is re-issued when the newest is older than ``CRL_REFRESH`` (it is valid for
  ``service.pdf.pki.CRL_DAYS``) or older than the latest revocation, so the CRL embedded in a PDF
  was current when it was signed. ``current_crl`` serves the same CRL at ``GET /v1/pki/ca.crl``,
  the distribution point validators fetch when the embedded one has gone stale.

The CA itself is not renewed: a leaf is never issued past the CA's own end, and once the CA has
less than 18 months left renewal stops (logged) — a new CA is a deliberate act (left to do).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.keystore import seal, unseal
from service.db.models import PkiIssued, PkiRecord, PkiRevocation
from service.pdf.pki import (
    REVOCATION_REASONS,
    Authority,
    Leaf,
    PkiMaterial,
    crl_dates,
    crl_url_of,
    issue_crl,
    issue_signer,
    issue_tsa,
    new_ca,
    serial_of,
)
from service.ratings.tokens import expiry

__all__ = ["CRL_PATH", "CRL_REFRESH", "RENEWAL_MARGIN", "ca_pem", "current_crl", "pki_material", "revoke"]

log = logging.getLogger(__name__)

PURPOSE = "pdf-signing"
RENEWAL_MARGIN = dt.timedelta(days=30)  # rendering lag, clock skew, a late batch
CRL_REFRESH = dt.timedelta(days=1)
CRL_PATH = "/v1/pki/ca.crl"  # the distribution point, under the public base URL
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


async def _revocations(db: AsyncSession) -> list[PkiRevocation]:
    return list((await db.execute(select(PkiRevocation).order_by(PkiRevocation.revoked_at))).scalars())


class _State:
    """What freshness is judged against: the revocations so far and the distribution point."""

    def __init__(self, revoked: list[PkiRevocation], crl_url: str | None) -> None:
        self.revoked = revoked
        self.serials = {r.serial for r in revoked}
        self.crl_url = crl_url


def _fresh(row: PkiIssued | None, kind: str, now: dt.datetime, state: _State) -> bool:
    if row is None:
        return False
    if kind == "crl":
        newest = max((r.created_at for r in state.revoked), default=None)
        return row.not_before > now - CRL_REFRESH and (newest is None or row.created_at >= newest)
    if str(serial_of(row.pem)) in state.serials:
        return False
    if state.crl_url is not None and crl_url_of(row.pem) != state.crl_url:
        return False
    return row.not_after >= _needed_until(now)


async def _current(
    db: AsyncSession, secret_key: str, ca: Authority, kind: str, now: dt.datetime, crl_url: str | None
) -> PkiIssued:
    """The newest ``kind`` row, first renewed (under the advisory lock) if it is not fresh."""
    row = await _latest(db, kind)
    if _fresh(row, kind, now, _State(await _revocations(db), crl_url)):
        assert row is not None
        return row
    await db.execute(text(_LOCK))
    row = await _latest(db, kind)  # another process may have renewed it meanwhile
    state = _State(await _revocations(db), crl_url)
    if _fresh(row, kind, now, state):
        assert row is not None
        return row
    if kind == "crl":
        listed = tuple((int(r.serial), r.revoked_at, r.reason) for r in state.revoked)
        pem = issue_crl(ca, now=now, revoked=listed)
        this_update, next_update = crl_dates(pem)
        made = PkiIssued(kind="crl", pem=pem, key_sealed=None, not_before=this_update, not_after=next_update)
    else:
        issue = issue_signer if kind == "signer" else issue_tsa
        leaf: Leaf = issue(ca, now=now, crl_url=crl_url)
        moved = crl_url is not None and row is not None and crl_url_of(row.pem) != crl_url
        renewable = row is None or str(serial_of(row.pem)) in state.serials or moved
        if not renewable and row is not None and leaf.not_after <= row.not_after + dt.timedelta(days=1):
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


async def pki_material(
    db: AsyncSession, secret_key: str, *, crl_url: str | None = None, now: dt.datetime | None = None
) -> PkiMaterial:
    """What a signing worker needs now, the CA and its leaves created or renewed first (one
    process wins if several race; the rest wait on the advisory lock and reuse its rows).
    ``crl_url`` is the distribution point new leaves name (None: keep whatever they name)."""
    at = now or dt.datetime.now(dt.UTC)
    _, ca = await _ca(db, secret_key)
    signer = await _current(db, secret_key, ca, "signer", at, crl_url)
    tsa = await _current(db, secret_key, ca, "tsa", at, crl_url)
    crl = await _current(db, secret_key, ca, "crl", at, crl_url)
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


async def current_crl(db: AsyncSession, secret_key: str, *, now: dt.datetime | None = None) -> str:
    """The CA's current CRL (PEM; re-issued first if stale), for ``GET /v1/pki/ca.crl``."""
    _, ca = await _ca(db, secret_key)
    return (await _current(db, secret_key, ca, "crl", now or dt.datetime.now(dt.UTC), None)).pem


class NotRevocable(ValueError):
    """The serial names no signer or TSA certificate of this CA, or one already revoked."""


async def revoke(db: AsyncSession, serial: int, reason: str, *, at: dt.datetime | None = None) -> PkiRevocation:
    """Revoke the signer or TSA certificate with ``serial`` as of ``at`` (default now): the next
    CRL lists it and the next signing batch replaces it. PDFs it signed before ``at`` keep
    validating (their timestamps prove they predate it); any it signed after do not."""
    if reason not in REVOCATION_REASONS:
        raise NotRevocable(f"unknown reason {reason!r}: one of {', '.join(REVOCATION_REASONS)}")
    await db.execute(text(_LOCK))
    leaves = (await db.execute(select(PkiIssued).where(PkiIssued.kind != "crl"))).scalars()
    leaf = next((row for row in leaves if serial_of(row.pem) == serial), None)
    if leaf is None:
        raise NotRevocable(f"no signer or TSA certificate has serial {serial}")
    if await db.get(PkiRevocation, str(serial)) is not None:
        raise NotRevocable(f"the certificate with serial {serial} is already revoked")
    made = PkiRevocation(
        serial=str(serial),
        issued_id=leaf.id,
        reason=reason,
        revoked_at=(at or dt.datetime.now(dt.UTC)).replace(microsecond=0),
    )
    db.add(made)
    await db.flush()
    log.warning("%s certificate %s revoked (%s) as of %s", leaf.kind, serial, reason, made.revoked_at)
    return made
