"""Reading certificates: downloads (the same stored bytes every time, each one logged) and
public verification by certificate number (status and summary, nothing confidential)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Scope
from domain.errors import NotFound
from service.access_log import log_read
from service.auth.principal import Principal
from service.certificates.issue import MAX_ATTEMPTS, beijing_date
from service.db.models import Certificate, CertificateJob, Enterprise, RatingRecord, RatingRound
from service.errors import ProblemError
from service.ratings.reads import StatusReader, find_rating, full_reader
from service.seals import issuer_of

__all__ = ["certificate_for", "public_summary", "round_certificates"]

PER_SECOND = 10  # certificates one render process issues a second, give or take (bench: ~40)


async def _pending(db: AsyncSession, needed: ColumnElement[bool]) -> None:
    """503 with Retry-After while a certificate the request needs is still queued for rendering.

    The wait is the whole queue at a modest rate; a job that failed for good is not pending."""
    open_jobs = CertificateJob.done_at.is_(None) & (CertificateJob.attempts < MAX_ATTEMPTS)
    mine = (
        select(CertificateJob.rating_id)
        .join(RatingRecord, RatingRecord.id == CertificateJob.rating_id)
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .where(open_jobs, needed)
    )
    if not await db.scalar(select(mine.exists())):
        return
    ahead = await db.scalar(select(func.count()).select_from(CertificateJob).where(open_jobs))
    wait = max(1, min(60, -(-(ahead or 1) // PER_SECOND)))
    raise ProblemError(
        503,
        "certificate-pending",
        f"The certificate is being rendered after its round ({ahead} in the queue): retry in about {wait} s.",
        headers={"Retry-After": str(wait)},
    )


async def certificate_for(db: AsyncSession, actor: Principal, rating_id: uuid.UUID) -> Certificate:
    """The enterprise itself, a bank with a `full` consent, regulators; the download is logged."""
    rec, ent = await find_rating(db, rating_id)
    consent = await full_reader(db, actor, ent, "No such rating.")
    cert = await db.scalar(select(Certificate).where(Certificate.rating_id == rec.id))
    if cert is None:
        await _pending(db, CertificateJob.rating_id == rec.id)
        # not pending: it may have been issued between the two reads (each statement sees the latest commit)
        cert = await db.scalar(select(Certificate).where(Certificate.rating_id == rec.id))
    if cert is None:
        raise NotFound("This rating has no certificate: its rendering failed or it was never queued.")
    await log_read(db, actor, ent.enterprise_id, "certificate", cert.certificate_no, consent, Scope.FULL.value)
    return cert


async def round_certificates(
    db: AsyncSession, actor: Principal, round_id: uuid.UUID, district: str | None
) -> list[tuple[uuid.UUID, str, str]]:
    """(certificate id, USCC, certificate number) of a round, optionally one district's; each logged.
    A round that does not exist is 404 (an empty zip would say it had no certificates)."""
    if await db.scalar(select(RatingRound.id).where(RatingRound.id == round_id)) is None:
        raise NotFound("No such rating round.")
    stmt = (
        select(Certificate.id, Certificate.certificate_no, Enterprise.uscc, Enterprise.enterprise_id)
        .join(RatingRecord, RatingRecord.id == Certificate.rating_id)
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .where(RatingRecord.round_id == round_id)
        .order_by(Enterprise.uscc)
    )
    if district is not None:
        stmt = stmt.where(Enterprise.district == district)
    # a zip missing the certificates still queued would pass for the round's whole set
    in_round = RatingRecord.round_id == round_id
    await _pending(db, in_round if district is None else in_round & (Enterprise.district == district))
    rows = (await db.execute(stmt)).all()
    for row in rows:
        await log_read(db, actor, row.enterprise_id, "certificate", row.certificate_no)
    return [(row.id, row.uscc, row.certificate_no) for row in rows]


async def public_summary(db: AsyncSession, certificate_no: str) -> dict[str, Any]:
    """What anyone holding the certificate may know: status, name, year, grade, colour, finance
    tier, issuer, validity, a revocation's date and reason, the current rating when this one is
    no longer it, and the PDF's SHA-256 (no emissions figures)."""
    row = (
        await db.execute(
            select(Certificate, RatingRecord, Enterprise)
            .join(RatingRecord, RatingRecord.id == Certificate.rating_id)
            .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
            .where(Certificate.certificate_no == certificate_no)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No certificate has this number.")
    rec: RatingRecord = row.RatingRecord
    status = await StatusReader(db).status(rec)
    issuer, _ = await issuer_of(db, rec)
    return {
        "certificate_no": certificate_no,
        "status": status,
        "enterprise_name": row.Enterprise.name,
        "uscc": row.Enterprise.uscc,
        "year": rec.year,
        "grade": rec.grade,
        "band": rec.payload.get("band"),
        "colour": rec.colour,
        "finance_tier": rec.payload.get("finance_tier"),
        "issuer": issuer or None,
        "issued_at": rec.issued_at.isoformat(),
        "issued_on": beijing_date(rec.issued_at).isoformat(),
        "valid_until": rec.expires_at.isoformat(),
        "valid_until_on": beijing_date(rec.expires_at).isoformat(),
        "revoked_on": beijing_date(rec.revoked_at).isoformat() if rec.revoked_at else None,
        "revoked_reason": rec.revoked_reason if status == "revoked" else None,
        "superseded_on": beijing_date(rec.superseded_at).isoformat() if rec.superseded_at else None,
        "current": None if status == "active" else await _current(db, rec),
        "sha256": row.Certificate.sha256,  # of the PDF: whoever holds it can compare
    }


async def _current(db: AsyncSession, rec: RatingRecord) -> dict[str, Any] | None:
    """The enterprise's current rating (newest year, newest issue, not revoked or superseded,
    not expired) with its certificate, when it is not `rec` itself."""
    stmt = (
        select(RatingRecord, Certificate.certificate_no)
        .join(Certificate, Certificate.rating_id == RatingRecord.id)
        .where(RatingRecord.enterprise_id == rec.enterprise_id, RatingRecord.status == "active",
               RatingRecord.id != rec.id)
        .order_by(RatingRecord.year.desc(), RatingRecord.issued_at.desc())
        .limit(5)
    )  # fmt: skip
    reader = StatusReader(db)
    for other, number in (await db.execute(stmt)).all():
        if await reader.status(other) == "active":
            return {"certificate_no": number, "year": other.year}
    return None
