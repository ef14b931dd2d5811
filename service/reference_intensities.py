"""Use cases for reference intensities: per-year sets of official L_industry, versioned, never edited.

The rating authority loads a set for a year (POST /v1/reference-intensities); each load is
that year's next version, and the application role cannot change or delete one (migration
0013 grants SELECT and INSERT only). A round for year Y that needs a reference intensity
pins the latest version of year Y (`reference_intensity_for_year`); a recompute reads the
version it pinned by id (`reference_intensity_version`). The project ships no set.
"""

from __future__ import annotations

import uuid

import msgspec
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, NotFound
from domain.reference_intensity import (
    ReferenceIntensitySet,
    ReferenceIntensityVersion,
    set_sha256,
    validate_reference_intensities,
)
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import ReferenceIntensitySetRecord

__all__ = [
    "create_reference_intensity_set",
    "decode_reference_intensities",
    "get_reference_intensity_set",
    "list_reference_intensity_sets",
    "reference_intensity_for_year",
    "reference_intensity_version",
]

_decoded: dict[uuid.UUID, ReferenceIntensityVersion] = {}  # versions never change: decode each once


def decode_reference_intensities(record: ReferenceIntensitySetRecord) -> ReferenceIntensityVersion:
    found = _decoded.get(record.id)
    if found is None:
        intensities = msgspec.convert(record.document, ReferenceIntensitySet)
        found = ReferenceIntensityVersion(
            id=record.id, version=record.version, sha256=record.sha256, intensities=intensities
        )
        _decoded[record.id] = found
    return found


async def _latest(db: AsyncSession, year: int) -> ReferenceIntensitySetRecord | None:
    stmt = (
        select(ReferenceIntensitySetRecord)
        .where(ReferenceIntensitySetRecord.year == year)
        .order_by(ReferenceIntensitySetRecord.version.desc())
        .limit(1)
    )
    return await db.scalar(stmt)


async def create_reference_intensity_set(
    db: AsyncSession, actor: Principal | None, s: ReferenceIntensitySet
) -> ReferenceIntensitySetRecord:
    """The year's next version; the same content as the year's latest version is a conflict."""
    validate_reference_intensities(s)
    # Serialise version numbering per year (two loads for one year get n+1 and n+2, not a clash).
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:t), :k)"), {"t": "reference_intensity_sets", "k": s.year}
    )
    sha = set_sha256(s)
    latest = await _latest(db, s.year)
    if latest is not None and latest.sha256 == sha:
        raise Conflict(
            f"The same reference intensities are version {latest.version} of {s.year} ({latest.id}); "
            "a new version must differ."
        )
    max_version = await db.scalar(
        select(func.max(ReferenceIntensitySetRecord.version)).where(ReferenceIntensitySetRecord.year == s.year)
    )
    record = ReferenceIntensitySetRecord(
        year=s.year,
        version=(max_version or 0) + 1,
        label=s.label,
        document=msgspec.to_builtins(s),
        sha256=sha,
        created_by_client_id=actor.client_id if actor else None,
    )
    db.add(record)
    await db.flush()
    await record_event(
        db,
        actor,
        "reference_intensity_set.create",
        f"reference_intensity_set:{record.id}",
        year=s.year,
        version=record.version,
    )
    return record


async def list_reference_intensity_sets(db: AsyncSession, year: int | None) -> list[ReferenceIntensitySetRecord]:
    stmt = select(ReferenceIntensitySetRecord).order_by(
        ReferenceIntensitySetRecord.year, ReferenceIntensitySetRecord.version
    )
    if year is not None:
        stmt = stmt.where(ReferenceIntensitySetRecord.year == year)
    return list(await db.scalars(stmt))


async def get_reference_intensity_set(db: AsyncSession, set_id: uuid.UUID) -> ReferenceIntensitySetRecord:
    record = await db.get(ReferenceIntensitySetRecord, set_id)
    if record is None:
        raise NotFound("No such reference-intensity set.")
    return record


async def reference_intensity_for_year(db: AsyncSession, year: int) -> ReferenceIntensityVersion | None:
    """The latest version loaded for `year`, or None: a round pins its id, version and SHA-256."""
    record = await _latest(db, year)
    return None if record is None else decode_reference_intensities(record)


async def reference_intensity_version(db: AsyncSession, set_id: uuid.UUID) -> ReferenceIntensityVersion:
    """The version a rating pinned (for a recompute); NotFound if no such version exists."""
    return decode_reference_intensities(await get_reference_intensity_set(db, set_id))
