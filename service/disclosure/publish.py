"""Publishing: a completed round, or a re-rating, (re)writes the public record of every
enterprise-year it rated, in the same transaction as the ratings.

In bulk: one query for the verifications of the filings rated, the projection off the event
loop, one INSERT … ON CONFLICT (enterprise_id, year) DO UPDATE for every record. A
re-publication replaces the document, the rating and `published_at`, and never touches a
withholding: a withheld record stays withheld until a regulator releases it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Uuid, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.disclosure import DisclosedRating, DisclosedVerification, Subject, disclose
from scoring.model import Candidate
from service.db.models import Disclosure, FilingVerification, Organisation
from service.display import SECTOR_NAMES
from service.ratings.inputs import Entry

__all__ = ["documents", "publish"]

Verifications = dict[uuid.UUID, DisclosedVerification]


async def _verifications(db: AsyncSession, filing_ids: list[uuid.UUID]) -> Verifications:
    """The verifier, report hash and time of each verified filing among `filing_ids` (one query)."""
    if not filing_ids:
        return {}
    ids = bindparam("filing_ids", filing_ids, type_=ARRAY(Uuid()))
    stmt = (
        select(FilingVerification, Organisation.name)
        .join(Organisation, Organisation.id == FilingVerification.verifier_org_id)
        .where(FilingVerification.filing_id == any_(ids), FilingVerification.outcome == "verified")
    )
    return {
        v.filing_id: DisclosedVerification(verifier=name, report_sha256=v.report_sha256, verified_at=v.verified_at)
        for v, name in (await db.execute(stmt)).all()
    }


def _rating(row: dict[str, Any]) -> DisclosedRating:
    figures = row["payload"]["figures"]
    intensity = figures.get("intensity")
    return DisclosedRating(
        rating_id=row["id"],
        colour=row["colour"],
        grade=row["grade"],
        intensity=None if intensity is None else Decimal(intensity),
        intensity_basis="co2e" if figures.get("emissions_rated") == "co2e" else "co2",
        methodology_version=row["methodology_version"],
    )


def documents(
    entries: Sequence[Entry], cands: Sequence[Candidate], rows: Sequence[dict[str, Any]], verifications: Verifications
) -> list[dict[str, Any]]:
    """The disclosures rows of rated entries (CPU only): each row's `document` is the public record."""
    out = []
    for entry, cand, row in zip(entries, cands, rows, strict=True):
        subject = Subject(uscc=entry.uscc, name=entry.name, year=row["year"], district=entry.district,
                          industry=entry.industry, sector=entry.sector,
                          sector_name=SECTOR_NAMES.get(entry.sector, entry.sector))  # fmt: skip
        record = disclose(subject, cand.account, _rating(row), verifications.get(entry.filing_id))
        out.append({"enterprise_id": entry.enterprise_id, "year": row["year"], "rating_id": row["id"],
                    "document": msgspec.to_builtins(record)})  # fmt: skip
    return out


async def publish(
    db: AsyncSession, entries: Sequence[Entry], cands: Sequence[Candidate], rows: Sequence[dict[str, Any]]
) -> int:
    """(Re)publish the record of each rated entry (`rows`: the new ratings rows, aligned with
    `entries` and `cands`); how many were written."""
    if not rows:
        return 0
    verifications = await _verifications(db, [e.filing_id for e in entries if e.verified])
    values = await asyncio.to_thread(documents, entries, cands, rows, verifications)
    upsert = pg_insert(Disclosure)
    await db.execute(
        upsert.on_conflict_do_update(
            index_elements=["enterprise_id", "year"],
            set_={
                "rating_id": upsert.excluded.rating_id,
                "document": upsert.excluded.document,
                "published_at": func.now(),
            },
        ),
        values,
    )
    return len(values)
