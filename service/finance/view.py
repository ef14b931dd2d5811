"""What a product's eligibility reads of an enterprise: its newest active, unexpired rating as a
grade-only consent shows it, and the consequence kinds of that year's stored policy sheet."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.finance.matching import RatingView
from service.db.models import PolicySheet, RatingRecord

__all__ = ["UNRATED", "rating_view"]

UNRATED = RatingView(rating_id=None, year=None, colour="unrated", grade=None, finance_tier="unrated")


async def rating_view(db: AsyncSession, enterprise_id: uuid.UUID) -> RatingView:
    now = dt.datetime.now(dt.UTC)
    rec = await db.scalar(
        select(RatingRecord)
        .where(RatingRecord.enterprise_id == enterprise_id, RatingRecord.status == "active",
               RatingRecord.expires_at > now)
        .order_by(RatingRecord.year.desc(), RatingRecord.issued_at.desc())
        .limit(1)
    )  # fmt: skip
    if rec is None:
        return UNRATED
    sheet = await db.get(PolicySheet, (enterprise_id, rec.year))
    kinds = frozenset(str(c["kind"]) for c in sheet.consequences) if sheet is not None else frozenset()
    return RatingView(rating_id=str(rec.id), year=rec.year, colour=rec.colour, grade=rec.grade,
                      finance_tier=str((rec.payload or {}).get("finance_tier", "unrated")), consequences=kinds)  # fmt: skip
