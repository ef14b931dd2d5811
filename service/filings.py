"""Use cases for filings: drafts, edits, submission, reads, and who may see which filing.

Visibility: the enterprise sees its own; regulators and the rating authority see all; a
verifier sees those of the enterprises that engaged it. Everyone else gets NotFound, so
that a filing id reveals nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import msgspec
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting import AccountResult, account
from domain.accounting.validate import validate_content, validate_for_submit
from domain.errors import InvalidField, NotFound
from domain.filings import (
    FilingContent,
    FilingStatus,
    check_editable,
    check_submittable,
    next_version,
)
from domain.industry import classify
from domain.organisations import OrgKind
from service import reference
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import BenchmarkEditionRecord, Enterprise, FactorSetRecord, Filing, VerifierEngagement
from service.enterprises import get_enterprise

__all__ = [
    "Accounted",
    "compute",
    "create_filing",
    "edit_filing",
    "encode_content",
    "filings_of",
    "get_filing",
    "submit_filing",
    "visible_enterprise",
]

SEES_ALL = frozenset({OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY})


def decode_content(filing: Filing) -> FilingContent:
    return msgspec.convert(filing.content, FilingContent)


def encode_content(content: FilingContent) -> tuple[dict[str, object], str]:
    """The stored document and its SHA-256 (canonical: keys sorted, decimals as strings)."""
    document = msgspec.to_builtins(content)
    return document, hashlib.sha256(msgspec.json.encode(document, order="sorted")).hexdigest()


async def _engaged(db: AsyncSession, enterprise_id: uuid.UUID, verifier_org_id: uuid.UUID) -> bool:
    stmt = select(VerifierEngagement.enterprise_id).where(
        VerifierEngagement.enterprise_id == enterprise_id, VerifierEngagement.verifier_org_id == verifier_org_id
    )
    return await db.scalar(stmt) is not None


async def _may_see(db: AsyncSession, actor: Principal, ent: Enterprise) -> bool:
    if actor.kind in SEES_ALL:
        return True
    if actor.kind is OrgKind.ENTERPRISE:
        return actor.owns(ent.uscc)
    if actor.kind is OrgKind.VERIFIER:
        return await _engaged(db, ent.enterprise_id, actor.org_id)
    return False


async def visible_enterprise(db: AsyncSession, actor: Principal, uscc: str) -> Enterprise:
    ent, _ = await get_enterprise(db, uscc)
    if not await _may_see(db, actor, ent):
        raise NotFound("No such enterprise.")
    return ent


async def get_filing(
    db: AsyncSession, actor: Principal, filing_id: uuid.UUID, *, for_update: bool = False
) -> tuple[Filing, Enterprise]:
    stmt = select(Filing, Enterprise).join(Enterprise, Enterprise.enterprise_id == Filing.enterprise_id)
    stmt = stmt.where(Filing.id == filing_id)
    if for_update:
        stmt = stmt.with_for_update(of=Filing)
    row = (await db.execute(stmt)).one_or_none()
    if row is None or not await _may_see(db, actor, row.Enterprise):
        raise NotFound("No such filing.")
    return row.Filing, row.Enterprise


async def _factor_set_for(db: AsyncSession, period: int) -> FactorSetRecord:
    try:
        return await reference.factor_set_for_year(db, period)
    except NotFound as exc:
        raise InvalidField("period", f"no factor set holds {period}; file a year the platform accounts") from exc


async def create_filing(
    db: AsyncSession,
    actor: Principal,
    uscc: str,
    *,
    period: int,
    supersedes: int | None,
    content: FilingContent,
) -> tuple[Filing, Enterprise]:
    """A new draft: version 1 of a period, or a correction naming the version it supersedes."""
    ent = await visible_enterprise(db, actor, uscc)
    validate_content(content, reference.decode_factor_set(await _factor_set_for(db, period)))
    # One writer per enterprise and period at a time: version numbers and the one-draft rule hold.
    await db.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:k), :p)"), {"k": f"filings:{ent.enterprise_id}", "p": period}
    )
    rows = (
        await db.execute(
            select(Filing.id, Filing.version, Filing.status).where(
                Filing.enterprise_id == ent.enterprise_id, Filing.period == period
            )
        )
    ).all()
    version = next_version(period, [(r.version, FilingStatus(r.status)) for r in rows], supersedes)
    supersedes_id = next((r.id for r in rows if r.version == supersedes), None)
    document, sha = encode_content(content)
    filing = Filing(
        enterprise_id=ent.enterprise_id,
        period=period,
        version=version,
        status=FilingStatus.DRAFT.value,
        supersedes_id=supersedes_id,
        content=document,
        content_sha256=sha,
        created_by_client_id=actor.client_id,
    )
    db.add(filing)
    await db.flush()
    await db.refresh(filing)
    await record_event(db, actor, "filing.create", f"filing:{filing.id}", uscc=uscc, period=period, version=version)
    return filing, ent


async def edit_filing(
    db: AsyncSession, actor: Principal, filing_id: uuid.UUID, content: FilingContent
) -> tuple[Filing, Enterprise]:
    filing, ent = await get_filing(db, actor, filing_id, for_update=True)
    check_editable(FilingStatus(filing.status))
    validate_content(content, reference.decode_factor_set(await _factor_set_for(db, filing.period)))
    filing.content, filing.content_sha256 = encode_content(content)
    filing.updated_at = dt.datetime.now(dt.UTC)
    await db.flush()
    await record_event(db, actor, "filing.edit", f"filing:{filing.id}", sha256=filing.content_sha256)
    return filing, ent


class Accounted(msgspec.Struct, frozen=True, kw_only=True):
    factor_set: FactorSetRecord
    edition: BenchmarkEditionRecord | None
    result: AccountResult


async def compute(db: AsyncSession, filing: Filing, ent: Enterprise) -> Accounted:
    """The account of one filing version under its year's factor set and edition in force."""
    fs = await _factor_set_for(db, filing.period)
    edition = await reference.edition_for_year(db, filing.period)
    result = account(
        decode_content(filing),
        classify(ent.industry),
        reference.decode_factor_set(fs),
        reference.decode_edition(edition) if edition is not None else None,
    )
    return Accounted(factor_set=fs, edition=edition, result=result)


async def submit_filing(db: AsyncSession, actor: Principal, filing_id: uuid.UUID) -> tuple[Filing, Enterprise]:
    """Freeze a draft: it must be complete, and its account must compute."""
    filing, ent = await get_filing(db, actor, filing_id, for_update=True)
    check_submittable(FilingStatus(filing.status))
    validate_for_submit(decode_content(filing))
    await compute(db, filing, ent)
    filing.status = FilingStatus.SUBMITTED.value
    filing.submitted_at = dt.datetime.now(dt.UTC)
    filing.submitted_by_client_id = actor.client_id
    await db.flush()
    await record_event(db, actor, "filing.submit", f"filing:{filing.id}", sha256=filing.content_sha256)
    return filing, ent


async def filings_of(
    db: AsyncSession, actor: Principal, uscc: str, period: int | None
) -> tuple[Enterprise, list[Filing]]:
    """Every version of every period (or one period), oldest first."""
    ent = await visible_enterprise(db, actor, uscc)
    stmt = select(Filing).where(Filing.enterprise_id == ent.enterprise_id).order_by(Filing.period, Filing.version)
    if period is not None:
        stmt = stmt.where(Filing.period == period)
    return ent, list(await db.scalars(stmt))
