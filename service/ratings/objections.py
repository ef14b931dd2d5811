"""Objections (异议): an enterprise contests a rating; the rating authority upholds or dismisses it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound, StateConflict
from domain.organisations import OrgKind
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import Enterprise, Objection, RatingRecord
from service.filings import SEES_ALL
from service.ratings.reads import get_rating

__all__ = ["decide_objection", "list_objections", "object_to"]


async def object_to(db: AsyncSession, actor: Principal, rating_id: uuid.UUID, statement: str) -> tuple[Objection, str]:
    view = await get_rating(db, actor, rating_id)
    rec, ent = view.rating, view.enterprise
    if not actor.owns(ent.uscc):
        raise NotFound("No such rating.")
    # One open objection per rating (a unique index holds it under races too): add to it by
    # waiting for the decision, rather than filing copy after copy.
    await db.execute(select(RatingRecord.id).where(RatingRecord.id == rec.id).with_for_update())
    open_one = await db.scalar(select(Objection.id).where(Objection.rating_id == rec.id, Objection.status == "open"))
    if open_one is not None:
        raise StateConflict(f"objection {open_one} on this rating is still open; the rating authority decides it first")
    objection = Objection(
        rating_id=rec.id,
        enterprise_id=ent.enterprise_id,
        statement=statement,
        status="open",
        created_by_client_id=actor.client_id,
    )
    db.add(objection)
    await db.flush()
    await db.refresh(objection)
    await record_event(db, actor, "objection.create", f"objection:{objection.id}", rating_id=rec.id)
    return objection, ent.uscc


async def list_objections(db: AsyncSession, actor: Principal, status: str | None) -> list[tuple[Objection, str]]:
    stmt = select(Objection, Enterprise.uscc).join(Enterprise, Enterprise.enterprise_id == Objection.enterprise_id)
    if actor.kind is OrgKind.ENTERPRISE:
        stmt = stmt.where(Enterprise.uscc == actor.uscc)
    elif actor.kind not in SEES_ALL:
        return []
    if status is not None:
        stmt = stmt.where(Objection.status == status)
    rows = (await db.execute(stmt.order_by(Objection.created_at.desc()).limit(500))).all()
    return [(r.Objection, r.uscc) for r in rows]


async def decide_objection(
    db: AsyncSession, actor: Principal, objection_id: uuid.UUID, *, uphold: bool, reply: str
) -> tuple[Objection, str]:
    row = (
        await db.execute(
            select(Objection, Enterprise.uscc)
            .join(Enterprise, Enterprise.enterprise_id == Objection.enterprise_id)
            .where(Objection.id == objection_id)
            .with_for_update(of=Objection)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such objection.")
    objection = row.Objection
    if objection.status != "open":
        raise StateConflict(f"the objection is already {objection.status}")
    objection.status = "upheld" if uphold else "dismissed"
    objection.reply = reply
    objection.decided_at = dt.datetime.now(dt.UTC)
    objection.decided_by_client_id = actor.client_id
    await db.flush()
    await record_event(db, actor, f"objection.{objection.status}", f"objection:{objection.id}")
    return objection, row.uscc
