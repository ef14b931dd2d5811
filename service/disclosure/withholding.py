"""Withholding a record (暂缓公开): a regulator takes an enterprise-year's figures out of public view
with a reason (an open objection, say), and releases them later; both are audited.

The record itself is kept: the public sees that it is withheld, why and since when, and none of
its figures. A re-publication (a round, a re-rating) leaves a withholding in place.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import StateConflict
from service.audit import record_event
from service.auth.principal import Principal
from service.disclosure.reads import find

__all__ = ["release", "withhold"]


async def withhold(db: AsyncSession, actor: Principal, uscc: str, year: int, reason: str) -> None:
    record = await find(db, uscc, year, for_update=True)
    if record.withheld_at is not None:
        raise StateConflict("the disclosure is already withheld")
    record.withheld_at = dt.datetime.now(dt.UTC)
    record.withheld_reason = reason
    record.withheld_by_client_id = actor.client_id
    await db.flush()
    await record_event(db, actor, "disclosure.withhold", f"disclosure:{uscc}:{year}", reason=reason)


async def release(db: AsyncSession, actor: Principal, uscc: str, year: int) -> None:
    record = await find(db, uscc, year, for_update=True)
    if record.withheld_at is None:
        raise StateConflict("the disclosure is not withheld")
    reason = record.withheld_reason
    record.withheld_at = record.withheld_reason = record.withheld_by_client_id = None
    await db.flush()
    await record_event(db, actor, "disclosure.release", f"disclosure:{uscc}:{year}", withheld_reason=reason)
