"""A targeted re-rating (issue 15.8): the rating authority re-rates one enterprise after an
upheld objection or a verified correction, without re-running its city's round.

The enterprise's current filing of the year is rated against the peer groups its round
issued (service.ratings.recompute.pinned_round): the round's factor set, edition,
methodology and L_industry, so that nobody else's rating moves. Only that one rating is
superseded, with the reason and the objection; the new rating keeps its round and its
validity (a correction does not extend it), gets its own certificate, and banks holding the
enterprise's consent are told through the same webhook events as a round's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import InvalidField, StateConflict
from service.audit import record_event
from service.auth.keystore import signing_key
from service.auth.principal import Principal
from service.db.models import CertificateJob, Objection, RatingRecord
from service.disclosure.publish import publish
from service.policy.round import pin, policy_inputs
from service.policy.sheet import store
from service.ratings.compute import rating_row
from service.ratings.events import earlier_colours, round_events
from service.ratings.inputs import load_entry
from service.ratings.payload import full_claims
from service.ratings.reads import find_rating
from service.ratings.recompute import pinned_round, rate_entry
from service.webhooks.outbox import emit

__all__ = ["rerate"]


async def _objection(db: AsyncSession, objection_id: uuid.UUID, rating_id: uuid.UUID) -> Objection:
    objection = await db.get(Objection, objection_id)
    if objection is None or objection.rating_id != rating_id:
        raise InvalidField("objection_id", "no objection with this id was made to this rating")
    if objection.status != "upheld":
        raise StateConflict(f"the objection is {objection.status}; only an upheld objection grounds a re-rating")
    return objection


async def rerate(
    db: AsyncSession,
    actor: Principal,
    rating_id: uuid.UUID,
    *,
    reason: str,
    objection_id: uuid.UUID | None,
    secret_key: str,
    issuer: str,
) -> tuple[RatingRecord, str]:
    """Supersede `rating_id` with a new rating of the same round; (the new rating, the USCC)."""
    old, ent = await find_rating(db, rating_id, for_update=True)
    if old.status != "active":
        raise StateConflict(f"the rating is {old.status}; only an active rating is re-rated")
    objection = await _objection(db, objection_id, old.id) if objection_id is not None else None
    entry = await load_entry(db, ent, old.year)
    if entry is None:
        raise StateConflict(f"the enterprise has no submitted or verified filing for {old.year} to re-rate")
    pinned = await pinned_round(db, old)
    new_id = uuid.uuid4()
    cand, rating, pins = await asyncio.to_thread(rate_entry, pinned, entry, rating_id=new_id, round_id=old.round_id)
    key = await signing_key(db, "rating", secret_key)
    now = dt.datetime.now(dt.UTC)
    # Same expiry as the rating it corrects: a re-rating corrects the year, it does not extend it.
    claims = full_claims(pins, cand.account, rating, iss=issuer, iat=int(now.timestamp()), exp=old.payload["exp"])
    row = rating_row(pins, entry, rating, claims, key=key, issued_at=now, expires_at=old.expires_at) | {
        "supersedes_rating_id": old.id,
        "rerating_reason": reason,
        "objection_id": objection.id if objection else None,
    }
    # issued now: pins the policy set in force now, as a round's ratings do
    sheets = pin(await policy_inputs(db, [ent.enterprise_id], old.year), [entry], [cand], [row])
    superseded = (
        await db.execute(
            update(RatingRecord)
            .where(RatingRecord.id == old.id)
            .values(status="superseded", superseded_at=now)
            .returning(RatingRecord.id, RatingRecord.enterprise_id, RatingRecord.colour)
        )
    ).all()
    earlier = (await db.execute(earlier_colours(old.year).where(RatingRecord.enterprise_id == ent.enterprise_id))).all()
    await db.execute(insert(RatingRecord), [row])
    await db.execute(insert(CertificateJob), [{"rating_id": new_id}])
    await emit(db, round_events(old.year, [row], superseded, earlier))
    await store(db, sheets)
    await publish(db, [entry], [cand], [row])  # the public record now shows the new rating
    await record_event(
        db,
        actor,
        "rating.rerate",
        f"rating:{new_id}",
        supersedes=str(old.id),
        reason=reason,
        objection_id=str(objection.id) if objection else None,
    )
    new = await db.scalar(select(RatingRecord).where(RatingRecord.id == new_id))
    assert new is not None
    return new, ent.uscc
