"""Recompute a rating from what it pins: its round's pinned filings, factor set, edition and
methodology version. The result must be the very claims that were signed."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from scoring import METHODOLOGIES
from service import reference
from service.db.models import BenchmarkEditionRecord, Enterprise, FactorSetRecord, Filing, RatingRecord
from service.ratings.compute import candidates, pins_for
from service.ratings.inputs import Entry, RoundInputs, entry_of
from service.ratings.payload import full_claims

__all__ = ["recompute_claims"]


async def _content(db: AsyncSession, filing_id: str | None) -> Filing | None:
    return None if filing_id is None else await db.get(Filing, uuid.UUID(filing_id))


async def _entry(db: AsyncSession, rec: RatingRecord) -> Entry:
    """The entry as it was pinned: the filings by id, the enterprise as the rating names it."""
    pins, named = rec.payload["pins"], rec.payload["enterprise"]
    filing = await _content(db, pins["filing_id"])
    previous = await _content(db, pins["previous_filing_id"])
    ent = await db.get(Enterprise, rec.enterprise_id)
    assert filing is not None and ent is not None
    entry = entry_of(ent, filing, previous)
    return msgspec.structs.replace(
        entry, name=named["name"], district=named["district"], industry=named["industry"], sector=named["sector"]
    )


async def recompute_claims(db: AsyncSession, rating_id: uuid.UUID) -> dict[str, Any]:
    """The full claims of a rating, recomputed under everything it pins (its round's peers included)."""
    target = await db.get(RatingRecord, rating_id)
    if target is None:
        raise NotFound("No such rating.")
    peers = list(await db.scalars(select(RatingRecord).where(RatingRecord.round_id == target.round_id)))
    fs = await db.get(FactorSetRecord, target.factor_set_id)
    edition = await db.get(BenchmarkEditionRecord, target.edition_id) if target.edition_id else None
    assert fs is not None
    entries = [await _entry(db, rec) for rec in peers]
    inputs = RoundInputs(
        year=target.year,
        factor_set_record=fs,
        factor_set=reference.decode_factor_set(fs),
        edition_record=edition,
        edition=reference.decode_edition(edition) if edition else None,
        entries=entries,
    )
    method = METHODOLOGIES[target.methodology_version]
    cands = candidates(inputs, entries)
    groups = method.peer_groups(cands)
    index = next(i for i, rec in enumerate(peers) if rec.id == target.id)
    rating = method.rate(cands[index], groups)
    pins = pins_for(inputs, entries[index], round_id=target.round_id, rating_id=target.id)
    claims = target.payload
    return full_claims(pins, cands[index].account, rating, iss=claims["iss"], iat=claims["iat"], exp=claims["exp"])
