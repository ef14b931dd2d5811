"""The latest rating of an enterprise in one round trip: the read banks make most.

One statement finds the enterprise, (for a bank) its widest active consent, the newest
rating of the latest year and whether the next year's round completed; one INSERT logs
the read. Same rules as service/ratings/reads.py: no consent or no enterprise is the
same 404, a refused read is not logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
from sqlalchemy import and_, exists, false, insert, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Scope
from domain.errors import NotFound
from domain.organisations import OrgKind
from service.access_log import LOGGED_KINDS
from service.auth.principal import Principal
from service.db.models import AccessLogEntry, Consent, Enterprise, RatingRecord, RatingRound
from service.ratings.reads import SEES_ALL

__all__ = ["LatestRating", "latest_rating"]

MISSING = "No such enterprise."


class LatestRating(msgspec.Struct, kw_only=True):
    rating_id: uuid.UUID
    round_id: uuid.UUID
    uscc: str
    year: int
    status: str
    colour: str
    grade: int | None
    band: str | None
    finance_tier: str
    methodology_version: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    revoked_reason: str | None
    kid: str
    grade_token: str
    scope: str
    token: str | None
    payload: dict[str, Any] | None


def _statement(actor: Principal, uscc: str, now: dt.datetime) -> Any:
    r = RatingRecord
    newest = (
        select(r.id, r.round_id, r.year, r.colour, r.grade, r.methodology_version, r.issued_at, r.expires_at,
               r.revoked_reason, r.status, r.kid, r.grade_token, r.token, r.payload)
        .where(r.enterprise_id == Enterprise.enterprise_id)
        .order_by(r.year.desc(), r.issued_at.desc(), r.id)
        .limit(1)
        .lateral("newest")
    )  # fmt: skip
    next_done = (
        exists().where(RatingRound.year == newest.c.year + 1, RatingRound.status == "completed").label("next_done")
    )
    columns = [Enterprise.enterprise_id, Enterprise.uscc, *newest.c, next_done]
    if actor.kind is OrgKind.BANK:
        c = Consent
        consent = (
            select(c.id, c.scope, c.purpose)
            .where(c.enterprise_id == Enterprise.enterprise_id, c.bank_org_id == actor.org_id,
                   c.withdrawn_at.is_(None), c.expires_at > now)
            .order_by(c.scope, c.expires_at.desc())  # 'full' < 'grade_only': the widest scope first
            .limit(1)
            .lateral("consent")
        )  # fmt: skip
        stmt = select(*columns, consent.c.id.label("consent_id"), consent.c.scope, consent.c.purpose)
        stmt = stmt.select_from(Enterprise).join(consent, true()).outerjoin(newest, true())
    else:
        stmt = select(*columns, literal(None).label("consent_id"), literal(None).label("scope"),
                      literal(None).label("purpose"))  # fmt: skip
        stmt = stmt.select_from(Enterprise).outerjoin(newest, true())
        if not (actor.kind in SEES_ALL or actor.kind is OrgKind.ENTERPRISE):
            stmt = stmt.where(false())
        elif actor.kind is OrgKind.ENTERPRISE:
            stmt = stmt.where(and_(Enterprise.uscc == actor.uscc))
    return stmt.where(Enterprise.uscc == uscc)


def _status(row: Any, now: dt.datetime) -> str:
    if row.status in ("revoked", "superseded"):
        return str(row.status)
    return "expired" if now >= row.expires_at or row.next_done else "active"


async def latest_rating(db: AsyncSession, actor: Principal, uscc: str) -> LatestRating:
    now = dt.datetime.now(dt.UTC)
    row = (await db.execute(_statement(actor, uscc, now))).first()
    if row is None:
        raise NotFound(MISSING)  # no such enterprise, another's, or no consent: one answer
    if row.id is None:
        raise NotFound("No rating for this enterprise yet.")
    scope = Scope(row.scope) if row.scope else Scope.FULL
    if actor.kind in LOGGED_KINDS:
        await db.execute(
            insert(AccessLogEntry).values(
                client_id=actor.client_id, org_id=actor.org_id, org_kind=actor.kind.value,
                enterprise_id=row.enterprise_id, consent_id=row.consent_id, purpose=row.purpose or "supervision",
                what="rating", resource_id=str(row.id), scope=scope.value,
            )
        )  # fmt: skip
    full = scope is Scope.FULL
    return LatestRating(
        rating_id=row.id, round_id=row.round_id, uscc=row.uscc, year=row.year, status=_status(row, now),
        colour=row.colour, grade=row.grade, band=row.payload.get("band"), finance_tier=row.payload["finance_tier"],
        methodology_version=row.methodology_version, issued_at=row.issued_at, expires_at=row.expires_at,
        revoked_reason=row.revoked_reason, kid=row.kid, grade_token=row.grade_token, scope=scope.value,
        token=row.token if full else None, payload=row.payload if full else None,
    )  # fmt: skip
