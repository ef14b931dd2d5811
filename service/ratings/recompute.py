"""Recompute a rating from what it pins: its round's pinned filings, factor set, edition and
methodology version. The result must be the very claims that were signed.

The peer groups of a round are those of the ratings the round itself issued: a targeted
re-rating (service.ratings.rerate) is rated against them too and changes them for nobody.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from scoring import METHODOLOGIES
from scoring.model import Candidate, PeerBasis, PeerGroup, Rating
from service import reference
from service.db.models import BenchmarkEditionRecord, Enterprise, FactorSetRecord, Filing, RatingRecord
from service.ratings.compute import candidates, peer_groups_of, pins_for
from service.ratings.inputs import Entry, RoundInputs, entry_of
from service.ratings.payload import Pins, full_claims
from service.reference_intensities import reference_intensity_version

__all__ = ["PinnedRound", "pinned_entry", "pinned_round", "rate_entry", "recompute_claims"]

Groups = dict[tuple[PeerBasis, str], PeerGroup]


class PinnedRound(msgspec.Struct, frozen=True, kw_only=True):
    """A round as it was issued: its inputs (factor set, edition, the pinned entries) and peer groups."""

    inputs: RoundInputs
    groups: Groups
    methodology_version: str


async def _content(db: AsyncSession, filing_id: str | None) -> Filing | None:
    return None if filing_id is None else await db.get(Filing, uuid.UUID(filing_id))


async def pinned_entry(db: AsyncSession, rec: RatingRecord) -> Entry:
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


async def pinned_round(db: AsyncSession, target: RatingRecord) -> PinnedRound:
    """The round of `target` as issued: every rating the round itself issued (not re-ratings)."""
    issued = select(RatingRecord).where(
        RatingRecord.round_id == target.round_id, RatingRecord.supersedes_rating_id.is_(None)
    )
    peers = list(await db.scalars(issued))
    fs = await db.get(FactorSetRecord, target.factor_set_id)
    edition = await db.get(BenchmarkEditionRecord, target.edition_id) if target.edition_id else None
    assert fs is not None
    entries = [await pinned_entry(db, rec) for rec in peers]
    set_id = target.payload["pins"].get("reference_intensity_set_id")  # v2 ratings pin it (or null)
    inputs = RoundInputs(
        year=target.year,
        factor_set_record=fs,
        factor_set=reference.decode_factor_set(fs),
        edition_record=edition,
        edition=reference.decode_edition(edition) if edition else None,
        entries=entries,
        reference=await reference_intensity_version(db, uuid.UUID(set_id)) if set_id else None,
    )
    groups = peer_groups_of(target.methodology_version, candidates(inputs, entries), inputs)
    return PinnedRound(inputs=inputs, groups=groups, methodology_version=target.methodology_version)


def rate_entry(
    pinned: PinnedRound, entry: Entry, *, rating_id: uuid.UUID, round_id: uuid.UUID
) -> tuple[Candidate, Rating, Pins]:
    """One entry accounted and rated against the round as issued (CPU only: a re-rating runs it
    off the event loop)."""
    (cand,) = candidates(pinned.inputs, [entry])
    rating = METHODOLOGIES[pinned.methodology_version].rate(cand, pinned.groups)
    return cand, rating, pins_for(pinned.inputs, entry, round_id=round_id, rating_id=rating_id)


async def recompute_claims(db: AsyncSession, rating_id: uuid.UUID) -> dict[str, Any]:
    """The full claims of a rating, recomputed under everything it pins (its round's peers included)."""
    target = await db.get(RatingRecord, rating_id)
    if target is None:
        raise NotFound("No such rating.")
    pinned = await pinned_round(db, target)
    cand, rating, pins = rate_entry(
        pinned, await pinned_entry(db, target), rating_id=target.id, round_id=target.round_id
    )
    claims = target.payload
    return full_claims(pins, cand.account, rating, iss=claims["iss"], iat=claims["iat"], exp=claims["exp"])
