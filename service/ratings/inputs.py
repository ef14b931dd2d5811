"""What a rating round reads: every active enterprise's current filing for the year (and
for the year before, for the trend), the year's factor set and the edition in force."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.benchmarks import BenchmarkEdition
from domain.factors import FactorSet
from domain.filings import FilingContent, FilingStatus
from domain.organisations import OrgStatus
from domain.reference_intensity import ReferenceIntensityVersion
from service import reference
from service.db.models import BenchmarkEditionRecord, Enterprise, FactorSetRecord, Filing, Organisation
from service.reference_intensities import reference_intensity_for_year

__all__ = ["Entry", "RoundInputs", "entry_of", "load_entry", "load_inputs"]

COUNTS = (FilingStatus.SUBMITTED.value, FilingStatus.VERIFIED.value)


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    enterprise_id: uuid.UUID
    uscc: str
    name: str
    district: str
    industry: str
    sector: str
    filing_id: uuid.UUID
    filing_version: int
    filing_sha256: str
    verified: bool
    content: FilingContent
    previous: FilingContent | None  # the Y−1 current filing, recomputed under Y's factors
    previous_filing_id: uuid.UUID | None = None
    previous_filing_version: int | None = None


class RoundInputs(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    factor_set_record: Any  # FactorSetRecord
    factor_set: FactorSet
    edition_record: Any  # BenchmarkEditionRecord | None
    edition: BenchmarkEdition | None
    entries: list[Entry]
    reference: ReferenceIntensityVersion | None = None  # v2 rounds: the year's latest reference set


def entry_of(ent: Enterprise, filing: Filing, previous: Filing | None) -> Entry:
    """One enterprise's inputs: its current filing of the year and, for the trend, of the year before."""
    return Entry(
        enterprise_id=ent.enterprise_id,
        uscc=ent.uscc,
        name=ent.name,
        district=ent.district,
        industry=ent.industry,
        sector=ent.sector,
        filing_id=filing.id,
        filing_version=filing.version,
        filing_sha256=filing.content_sha256,
        verified=filing.status == FilingStatus.VERIFIED.value,
        content=msgspec.convert(filing.content, FilingContent),
        previous=msgspec.convert(previous.content, FilingContent) if previous else None,
        previous_filing_id=previous.id if previous else None,
        previous_filing_version=previous.version if previous else None,
    )


def _current(rows: list[Filing]) -> dict[tuple[uuid.UUID, int], Filing]:
    """The highest submitted or verified version per enterprise and period."""
    out: dict[tuple[uuid.UUID, int], Filing] = {}
    for f in rows:
        key = (f.enterprise_id, f.period)
        if key not in out or f.version > out[key].version:
            out[key] = f
    return out


async def load_inputs(db: AsyncSession, year: int, *, with_reference: bool = False) -> RoundInputs:
    """`with_reference`: also the year's latest reference-intensity set (methodologies that use one)."""
    fs: FactorSetRecord = await reference.factor_set_for_year(db, year)
    edition: BenchmarkEditionRecord | None = await reference.edition_for_year(db, year)
    stmt = (
        select(Filing, Enterprise)
        .join(Enterprise, Enterprise.enterprise_id == Filing.enterprise_id)
        .join(Organisation, Organisation.id == Enterprise.enterprise_id)
        .where(
            Organisation.status == OrgStatus.ACTIVE.value,
            Filing.period.in_((year, year - 1)),
            Filing.status.in_(COUNTS),
        )
    )
    rows = (await db.execute(stmt)).all()
    enterprises = {r.Enterprise.enterprise_id: r.Enterprise for r in rows}
    current = _current([r.Filing for r in rows])
    entries = []
    for (enterprise_id, period), filing in sorted(current.items(), key=lambda kv: enterprises[kv[0][0]].uscc):
        if period != year:
            continue
        ent = enterprises[enterprise_id]
        entries.append(entry_of(ent, filing, current.get((enterprise_id, year - 1))))
    return RoundInputs(
        year=year,
        factor_set_record=fs,
        factor_set=reference.decode_factor_set(fs),
        edition_record=edition,
        edition=reference.decode_edition(edition) if edition else None,
        entries=entries,
        reference=await reference_intensity_for_year(db, year) if with_reference else None,
    )


async def load_entry(db: AsyncSession, ent: Enterprise, year: int) -> Entry | None:
    """One enterprise's inputs as a round would read them now (its current filing of the year
    and of the year before), or None without a submitted or verified filing of the year."""
    stmt = select(Filing).where(
        Filing.enterprise_id == ent.enterprise_id, Filing.period.in_((year, year - 1)), Filing.status.in_(COUNTS)
    )
    current = _current(list(await db.scalars(stmt)))
    filing = current.get((ent.enterprise_id, year))
    if filing is None:
        return None
    return entry_of(ent, filing, current.get((ent.enterprise_id, year - 1)))
