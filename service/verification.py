"""Use cases for verification (披露核查): engaging a verifier, its verdict on a filing.

Only a verifier the enterprise engaged sees and acts on its filings; for any other the
filing does not exist (NotFound).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, InvalidField
from domain.filings import FilingStatus, VerificationOutcome, check_verifiable
from domain.organisations import OrgKind, OrgStatus
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import Enterprise, Filing, FilingVerification, Organisation, VerifierEngagement
from service.filings import get_filing, visible_enterprise

__all__ = ["engage", "engagements_of", "verifications_of", "verifiers", "verify"]


async def verifiers(db: AsyncSession) -> list[Organisation]:
    """The directory: active verifier organisations, by name."""
    stmt = select(Organisation).where(
        Organisation.kind == OrgKind.VERIFIER.value, Organisation.status == OrgStatus.ACTIVE.value
    )
    return list(await db.scalars(stmt.order_by(Organisation.name, Organisation.id)))


async def engage(
    db: AsyncSession, actor: Principal, uscc: str, verifier_org_id: uuid.UUID
) -> tuple[VerifierEngagement, Organisation]:
    ent = await visible_enterprise(db, actor, uscc)
    verifier = await db.get(Organisation, verifier_org_id)
    if verifier is None or verifier.kind != OrgKind.VERIFIER.value or verifier.status != OrgStatus.ACTIVE.value:
        raise InvalidField("verifier_org_id", "is not an active verifier organisation (GET /v1/verifiers lists them)")
    already = Conflict(f"{verifier.name} is already engaged")
    if await db.get(VerifierEngagement, (ent.enterprise_id, verifier.id)) is not None:
        raise already
    engagement = VerifierEngagement(
        enterprise_id=ent.enterprise_id, verifier_org_id=verifier.id, engaged_by_client_id=actor.client_id
    )
    db.add(engagement)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent twin engagement won; this request rolls back
        raise already from exc
    await db.refresh(engagement)
    await record_event(db, actor, "verifier.engage", f"enterprise:{uscc}", verifier_org_id=verifier.id)
    return engagement, verifier


async def engagements_of(
    db: AsyncSession, actor: Principal, uscc: str
) -> list[tuple[VerifierEngagement, Organisation]]:
    ent = await visible_enterprise(db, actor, uscc)
    stmt = (
        select(VerifierEngagement, Organisation)
        .join(Organisation, Organisation.id == VerifierEngagement.verifier_org_id)
        .where(VerifierEngagement.enterprise_id == ent.enterprise_id)
        .order_by(VerifierEngagement.engaged_at)
    )
    return [(r.VerifierEngagement, r.Organisation) for r in (await db.execute(stmt)).all()]


async def verify(
    db: AsyncSession,
    actor: Principal,
    filing_id: uuid.UUID,
    *,
    outcome: VerificationOutcome,
    opinion: str,
    report_sha256: str,
) -> tuple[Filing, Enterprise, FilingVerification]:
    filing, ent = await get_filing(db, actor, filing_id, for_update=True)
    check_verifiable(FilingStatus(filing.status))
    verification = FilingVerification(
        filing_id=filing.id,
        enterprise_id=ent.enterprise_id,
        verifier_org_id=actor.org_id,
        outcome=outcome.value,
        opinion=opinion,
        report_sha256=report_sha256,
        verified_at=dt.datetime.now(dt.UTC),
        verified_by_client_id=actor.client_id,
    )
    db.add(verification)
    filing.status = outcome.value
    await db.flush()
    await record_event(db, actor, f"filing.{outcome.value}", f"filing:{filing.id}", report_sha256=report_sha256)
    return filing, ent, verification


async def verifications_of(db: AsyncSession, filing_ids: list[uuid.UUID]) -> dict[uuid.UUID, FilingVerification]:
    if not filing_ids:
        return {}
    stmt = select(FilingVerification).where(FilingVerification.filing_id.in_(filing_ids))
    return {v.filing_id: v for v in await db.scalars(stmt)}
