"""Reading the public records: one enterprise-year, a year's list (by USCC, in cursor pages), the
newest (re)publications for the feeds.

A record is shown while its rating stands: with the rating's status now (active, revoked or
expired, service.ratings.reads.status_now), so a revoked rating's record says it was
withdrawn. A record whose rating was superseded without a new record — a later round of the
year did not rate the enterprise — is not shown: the same 404 as for an enterprise never rated.
The certificate's number, once the certificate job rendered it, gives the verification link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from service.db.models import Certificate, Disclosure, Enterprise, RatingRecord, RatingRound
from service.ratings.reads import status_now

__all__ = ["FEED_SIZE", "Shown", "feed", "find", "one", "page", "shown_query"]

FEED_SIZE = 100
MISSING = "No such disclosure."


class Shown(msgspec.Struct, frozen=True, kw_only=True):
    """A stored record with what is read beside it."""

    uscc: str
    year: int
    document: dict[str, Any]
    published_at: dt.datetime
    withheld_at: dt.datetime | None
    withheld_reason: str | None
    rating_status: str
    certificate_no: str | None


def shown_query() -> Select[Any]:
    """Every record whose rating stands, with its USCC, rating status and certificate number."""
    return (
        select(Disclosure, Enterprise.uscc, RatingRecord.status, RatingRecord.expires_at, Certificate.certificate_no)
        .join(Enterprise, Enterprise.enterprise_id == Disclosure.enterprise_id)
        .join(RatingRecord, RatingRecord.id == Disclosure.rating_id)
        .outerjoin(Certificate, Certificate.rating_id == Disclosure.rating_id)
        .where(RatingRecord.status != "superseded")
    )


async def _shown(db: AsyncSession, stmt: Select[Any]) -> list[Shown]:
    rows = (await db.execute(stmt)).all()
    years = {r.Disclosure.year + 1 for r in rows}
    done = set()
    if years:  # a rating expires once the next year's round completes: one query for them all
        completed = select(RatingRound.year).where(RatingRound.year.in_(years), RatingRound.status == "completed")
        done = set(await db.scalars(completed.distinct()))
    now = dt.datetime.now(dt.UTC)
    return [
        Shown(
            uscc=r.uscc,
            year=r.Disclosure.year,
            document=r.Disclosure.document,
            published_at=r.Disclosure.published_at,
            withheld_at=r.Disclosure.withheld_at,
            withheld_reason=r.Disclosure.withheld_reason,
            rating_status=status_now(r.status, r.expires_at, now, r.Disclosure.year + 1 in done),
            certificate_no=r.certificate_no,
        )
        for r in rows
    ]


async def find(db: AsyncSession, uscc: str, year: int, *, for_update: bool = False) -> Disclosure:
    """The stored record of a shown enterprise-year (locked for a withholding), else NotFound."""
    stmt = (
        select(Disclosure)
        .join(Enterprise, Enterprise.enterprise_id == Disclosure.enterprise_id)
        .join(RatingRecord, RatingRecord.id == Disclosure.rating_id)
        .where(Enterprise.uscc == uscc, Disclosure.year == year, RatingRecord.status != "superseded")
    )
    found = await db.scalar(stmt.with_for_update(of=Disclosure) if for_update else stmt)
    if found is None:
        raise NotFound(MISSING)
    return found


async def one(db: AsyncSession, uscc: str, year: int) -> Shown:
    """The enterprise-year's record; NotFound alike for an unknown USCC and a year without one."""
    found = await _shown(db, shown_query().where(Enterprise.uscc == uscc, Disclosure.year == year))
    if not found:
        raise NotFound(MISSING)
    return found[0]


async def page(
    db: AsyncSession, year: int, district: str | None, *, after: str | None, limit: int
) -> tuple[list[Shown], bool]:
    """One page of the year's records by USCC (optionally one district's, as the record names
    it), and whether more follow."""
    stmt = shown_query().where(Disclosure.year == year)
    if district is not None:
        stmt = stmt.where(Disclosure.document["district"].astext == district)
    if after is not None:
        stmt = stmt.where(Enterprise.uscc > after)
    found = await _shown(db, stmt.order_by(Enterprise.uscc).limit(limit + 1))
    return found[:limit], len(found) > limit


async def feed(db: AsyncSession) -> list[Shown]:
    """The newest (re)publications, newest first (ties, as within one round: by USCC, then year)."""
    order = (Disclosure.published_at.desc(), Enterprise.uscc, Disclosure.year)
    return await _shown(db, shown_query().order_by(*order).limit(FEED_SIZE))
