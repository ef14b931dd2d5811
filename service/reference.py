"""Use cases for reference data: factor sets and benchmark editions, versioned, never edited.

The shipped sets (domain/data) are loaded when the database is prepared; the rating
authority loads new versions through the API. A filing for year Y is accounted with the
latest factor-set version of year Y and the latest edition in force in Y.
When the shipped edition changes (rows added, the 2612 process-coverage rule), start-up
loads it as a new version; ratings keep pinning the version they were computed with.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, TypeVar

import msgspec
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.benchmarks import BenchmarkEdition, shipped_benchmark_edition, validate_edition
from domain.errors import NotFound
from domain.factors import FactorSet, shipped_factor_sets, validate_factor_set
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import BenchmarkEditionRecord, FactorSetRecord

__all__ = [
    "create_edition",
    "create_factor_set",
    "decode_edition",
    "decode_factor_set",
    "edition_for_year",
    "factor_set_for_year",
    "get_edition",
    "get_factor_set",
    "list_editions",
    "list_factor_sets",
    "load_shipped",
]

T = TypeVar("T")
_decoded: dict[tuple[type[Any], uuid.UUID], Any] = {}  # versions never change: decode each once


def _sha256(document: dict[str, Any]) -> str:
    return hashlib.sha256(msgspec.json.encode(document, order="sorted")).hexdigest()


def _decode(kind: type[T], record_id: uuid.UUID, document: dict[str, Any]) -> T:
    key = (kind, record_id)
    if key not in _decoded:
        _decoded[key] = msgspec.convert(document, kind)
    return _decoded[key]  # type: ignore[no-any-return]


def decode_factor_set(record: FactorSetRecord) -> FactorSet:
    return _decode(FactorSet, record.id, record.document)


def decode_edition(record: BenchmarkEditionRecord) -> BenchmarkEdition:
    return _decode(BenchmarkEdition, record.id, record.document)


async def _lock(db: AsyncSession, table: str, key: int) -> None:
    """Serialise version numbering per year (two loads for one year get 1 and 2, not a clash)."""
    await db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t), :k)"), {"t": table, "k": key})


async def create_factor_set(db: AsyncSession, actor: Principal | None, fs: FactorSet) -> FactorSetRecord:
    validate_factor_set(fs)
    await _lock(db, "factor_sets", fs.year)
    latest = await db.scalar(select(func.max(FactorSetRecord.version)).where(FactorSetRecord.year == fs.year))
    document = msgspec.to_builtins(fs)
    record = FactorSetRecord(
        year=fs.year,
        version=(latest or 0) + 1,
        label=fs.label,
        document=document,
        sha256=_sha256(document),
        created_by_client_id=actor.client_id if actor else None,
    )
    db.add(record)
    await db.flush()
    await record_event(db, actor, "factor_set.create", f"factor_set:{record.id}", year=fs.year, version=record.version)
    return record


async def create_edition(
    db: AsyncSession, actor: Principal | None, edition: BenchmarkEdition
) -> BenchmarkEditionRecord:
    validate_edition(edition)
    await _lock(db, "benchmark_editions", edition.effective_from)
    latest = await db.scalar(
        select(func.max(BenchmarkEditionRecord.version)).where(
            BenchmarkEditionRecord.effective_from == edition.effective_from
        )
    )
    document = msgspec.to_builtins(edition)
    record = BenchmarkEditionRecord(
        effective_from=edition.effective_from,
        version=(latest or 0) + 1,
        label=edition.label,
        document=document,
        sha256=_sha256(document),
        created_by_client_id=actor.client_id if actor else None,
    )
    db.add(record)
    await db.flush()
    await record_event(db, actor, "benchmark_edition.create", f"benchmark_edition:{record.id}")
    return record


async def load_shipped(db: AsyncSession) -> int:
    """Insert each shipped set and edition unless a version with the same content exists. Idempotent."""
    added = 0
    for fs in shipped_factor_sets():
        sha = _sha256(msgspec.to_builtins(fs))
        query = select(FactorSetRecord.id).where(FactorSetRecord.year == fs.year, FactorSetRecord.sha256 == sha)
        if await db.scalar(query) is None:
            await create_factor_set(db, None, fs)
            added += 1
    edition = shipped_benchmark_edition()
    sha = _sha256(msgspec.to_builtins(edition))
    if await db.scalar(select(BenchmarkEditionRecord.id).where(BenchmarkEditionRecord.sha256 == sha)) is None:
        await create_edition(db, None, edition)
        added += 1
    return added


async def list_factor_sets(db: AsyncSession, year: int | None) -> list[FactorSetRecord]:
    stmt = select(FactorSetRecord).order_by(FactorSetRecord.year, FactorSetRecord.version)
    if year is not None:
        stmt = stmt.where(FactorSetRecord.year == year)
    return list(await db.scalars(stmt))


async def get_factor_set(db: AsyncSession, factor_set_id: uuid.UUID) -> FactorSetRecord:
    record = await db.get(FactorSetRecord, factor_set_id)
    if record is None:
        raise NotFound("No such factor set.")
    return record


async def factor_set_for_year(db: AsyncSession, year: int) -> FactorSetRecord:
    stmt = select(FactorSetRecord).where(FactorSetRecord.year == year).order_by(FactorSetRecord.version.desc())
    record = await db.scalar(stmt.limit(1))
    if record is None:
        raise NotFound(f"No factor set holds the accounting year {year}; the rating authority loads one.")
    return record


async def list_editions(db: AsyncSession) -> list[BenchmarkEditionRecord]:
    stmt = select(BenchmarkEditionRecord).order_by(
        BenchmarkEditionRecord.effective_from, BenchmarkEditionRecord.version
    )
    return list(await db.scalars(stmt))


async def get_edition(db: AsyncSession, edition_id: uuid.UUID) -> BenchmarkEditionRecord:
    record = await db.get(BenchmarkEditionRecord, edition_id)
    if record is None:
        raise NotFound("No such benchmark edition.")
    return record


async def edition_for_year(db: AsyncSession, year: int) -> BenchmarkEditionRecord | None:
    """The latest edition in force in `year`, if any (before the first, products are not covered)."""
    stmt = (
        select(BenchmarkEditionRecord)
        .where(BenchmarkEditionRecord.effective_from <= year)
        .order_by(BenchmarkEditionRecord.effective_from.desc(), BenchmarkEditionRecord.version.desc())
        .limit(1)
    )
    return await db.scalar(stmt)
