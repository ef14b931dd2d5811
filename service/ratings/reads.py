"""Reading ratings: visibility, the status each reads as now, history, latest, revocation.

Stored status is active | superseded | revoked; `expired` is read: at exp, or once a
round for the next year completes. Revoked wins over superseded, superseded over
expired, expired over active (design.md, "Signing and verification").
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Scope
from domain.errors import NotFound, StateConflict
from domain.organisations import OrgKind
from domain.webhooks import EventType
from service.access_log import log_read
from service.audit import record_event
from service.auth.principal import Principal
from service.consents import active_consent
from service.db.models import Consent, Enterprise, RatingRecord, RatingRound
from service.enterprises import get_enterprise
from service.filings import visible_enterprise
from service.webhooks.outbox import emit

__all__ = [
    "RatingView",
    "StatusReader",
    "find_rating",
    "full_reader",
    "get_rating",
    "ratings_of",
    "revoke",
    "status_now",
]

# Every rating and certificate, in full: the regulators, the rating authority and the finance
# regulators (who see no filing: service.filings.SEES_ALL leaves them out).
SEES_ALL = frozenset({OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR})


class StatusReader:
    """Reads ratings' statuses now, asking once per year whether the next year's round completed."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self._next_done: dict[int, bool] = {}
        self.now = dt.datetime.now(dt.UTC)

    async def _next_year_completed(self, year: int) -> bool:
        if year not in self._next_done:
            stmt = select(RatingRound.id).where(RatingRound.year == year + 1, RatingRound.status == "completed")
            self._next_done[year] = await self.db.scalar(stmt.limit(1)) is not None
        return self._next_done[year]

    async def status(self, rec: RatingRecord) -> str:
        if rec.status in ("revoked", "superseded"):
            return rec.status
        return status_now(rec.status, rec.expires_at, self.now, await self._next_year_completed(rec.year))


def status_now(stored: str, expires_at: dt.datetime, now: dt.datetime, next_year_completed: bool) -> str:
    """Revoked over superseded over expired over active."""
    if stored in ("revoked", "superseded"):
        return stored
    return "expired" if now >= expires_at or next_year_completed else "active"


class RatingView(msgspec.Struct, kw_only=True):
    """A rating as one caller may see it: `full`, or `grade_only` under such a consent."""

    rating: RatingRecord
    enterprise: Enterprise
    scope: Scope


async def full_reader(db: AsyncSession, actor: Principal, ent: Enterprise, missing: str) -> Consent | None:
    """Let in the enterprise itself, regulators and the rating authority, and a bank under a `full`
    consent (returned, for the access log); anyone else gets NotFound(`missing`)."""
    if actor.kind is OrgKind.BANK:
        consent = await active_consent(db, actor.org_id, ent.enterprise_id, Scope.FULL)
        if consent is None:
            raise NotFound(missing)
        return consent
    if not (actor.kind in SEES_ALL or actor.owns(ent.uscc)):
        raise NotFound(missing)
    return None


async def _bank_consent(db: AsyncSession, actor: Principal, ent: Enterprise, missing: str) -> Consent:
    consent = await active_consent(db, actor.org_id, ent.enterprise_id)
    if consent is None:
        raise NotFound(missing)  # whether or not the enterprise exists
    return consent


async def _view(db: AsyncSession, actor: Principal, rec: RatingRecord, ent: Enterprise, missing: str) -> RatingView:
    """Who may see it, in which scope; banks' and regulators' reads go to the access log."""
    consent = None
    if actor.kind is OrgKind.BANK:
        consent = await _bank_consent(db, actor, ent, missing)
        scope = Scope(consent.scope)
    elif actor.kind in SEES_ALL or actor.owns(ent.uscc):
        scope = Scope.FULL
    else:
        raise NotFound(missing)
    await log_read(db, actor, ent.enterprise_id, "rating", rec.id, consent, scope.value)
    return RatingView(rating=rec, enterprise=ent, scope=scope)


async def find_rating(
    db: AsyncSession, rating_id: uuid.UUID, *, for_update: bool = False
) -> tuple[RatingRecord, Enterprise]:
    stmt = (
        select(RatingRecord, Enterprise)
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .where(RatingRecord.id == rating_id)
    )
    row = (await db.execute(stmt.with_for_update(of=RatingRecord) if for_update else stmt)).one_or_none()
    if row is None:
        raise NotFound("No such rating.")
    return row.RatingRecord, row.Enterprise


async def get_rating(db: AsyncSession, actor: Principal, rating_id: uuid.UUID) -> RatingView:
    rec, ent = await find_rating(db, rating_id)
    return await _view(db, actor, rec, ent, "No such rating.")


async def ratings_of(db: AsyncSession, actor: Principal, uscc: str) -> tuple[Enterprise, list[RatingRecord]]:
    """History, newest year and issue first (the enterprise and regulators; a regulator's read is logged)."""
    ent = (await get_enterprise(db, uscc))[0] if actor.kind in SEES_ALL else await visible_enterprise(db, actor, uscc)
    stmt = (
        select(RatingRecord)
        .where(RatingRecord.enterprise_id == ent.enterprise_id)
        .order_by(RatingRecord.year.desc(), RatingRecord.issued_at.desc(), RatingRecord.id)
    )
    history = list(await db.scalars(stmt))
    await log_read(db, actor, ent.enterprise_id, "rating_history", None)
    return ent, history


async def revoke(
    db: AsyncSession, actor: Principal, rating_id: uuid.UUID, reason: str
) -> tuple[RatingRecord, Enterprise]:
    locked, ent = await find_rating(db, rating_id, for_update=True)
    if locked.status == "revoked":
        raise StateConflict("the rating is already revoked")
    locked.status = "revoked"
    locked.revoked_at = dt.datetime.now(dt.UTC)
    locked.revoked_reason = reason
    locked.revoked_by_client_id = actor.client_id
    await db.flush()
    await record_event(db, actor, "rating.revoke", f"rating:{locked.id}", reason=reason)
    data = {"rating_id": str(locked.id), "uscc": ent.uscc, "year": locked.year}
    await emit(db, [(ent.enterprise_id, EventType.RATING_REVOKED, data)])
    return locked, ent
