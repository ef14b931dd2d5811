"""An enterprise-year's policy sheet: the consequences the latest policy set gives its current
account and latest rating, with each rule's source and the figures that triggered it.

``build`` computes it (no caller checks: the round, a refresh and the endpoint share it);
``refresh`` stores it as the enterprise-year's current sheet, with one row per consequence for
the regulator lists, and queues ``policy.consequence_changed`` when the consequences changed;
``policy_sheet`` is the read endpoint's use case (the enterprise, regulators, the rating
authority; a bank under `full` consent, logged).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Integer, Select, Uuid, delete, func, insert, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting import AccountResult
from domain.canonical import canonical_json
from domain.consents import Scope
from domain.errors import NotFound
from domain.filings import FilingStatus
from domain.policy.evaluate import Consequence, evaluate
from domain.policy.facts import RatingFacts
from domain.policy.model import PolicySetVersion
from domain.webhooks import EventType
from service.access_log import log_read
from service.auth.principal import Principal
from service.db.base import as_filed
from service.db.models import Enterprise, Filing, PolicyConsequenceRow, PolicySheet, RatingRecord, RetrofitPlan
from service.enterprises import get_enterprise
from service.filings import compute, decode_content
from service.policy.facts import facts_of, plan_statuses
from service.policy.sets import latest_policy_set
from service.ratings.reads import full_reader
from service.webhooks.outbox import emit

__all__ = [
    "PlanProgress",
    "Sheet",
    "Stored",
    "build",
    "consequences_json",
    "plan_progress",
    "policy_sheet",
    "rating_facts",
    "refresh",
    "store",
]


class PlanProgress(msgspec.Struct, kw_only=True):
    """A retrofit plan beside the year's account: the product's unit energy use against the target."""

    plan_id: uuid.UUID
    product: str
    filed_for_year: int
    status: str
    target_unit_energy_use: Decimal
    unit: str
    completion_date: dt.date
    unit_energy_use: Decimal | None  # this year's, from the account (None: the product was not filed)
    target_met: bool | None


class Sheet(msgspec.Struct, kw_only=True):
    enterprise_id: uuid.UUID
    year: int
    policy_set: PolicySetVersion
    filing_id: uuid.UUID
    filing_version: int
    rating_id: uuid.UUID | None
    consequences: list[Consequence]
    plans: list[PlanProgress]


def rating_facts(rec: RatingRecord | None) -> RatingFacts | None:
    if rec is None:
        return None
    tier = str((rec.payload or {}).get("finance_tier", "unrated"))
    return RatingFacts(colour=rec.colour, grade=rec.grade, finance_tier=tier)


def consequences_json(found: list[Consequence]) -> list[dict[str, Any]]:
    """The consequences as stored (JSONB) and signed into nothing: decimals as strings."""
    return [msgspec.to_builtins(c) for c in found]


async def _current_filing(db: AsyncSession, enterprise_id: uuid.UUID, year: int) -> Filing | None:
    counts = (FilingStatus.SUBMITTED.value, FilingStatus.VERIFIED.value)
    stmt = (
        select(Filing)
        .where(Filing.enterprise_id == enterprise_id, Filing.period == year, Filing.status.in_(counts))
        .order_by(Filing.version.desc())
        .limit(1)
    )
    return await db.scalar(stmt)


async def _latest_rating(db: AsyncSession, enterprise_id: uuid.UUID, year: int) -> RatingRecord | None:
    stmt = (
        select(RatingRecord)
        .where(RatingRecord.enterprise_id == enterprise_id, RatingRecord.year == year, RatingRecord.status == "active")
        .order_by(RatingRecord.issued_at.desc())
        .limit(1)
    )
    return await db.scalar(stmt)


async def _plans(db: AsyncSession, enterprise_id: uuid.UUID, year: int) -> list[RetrofitPlan]:
    stmt = (
        select(RetrofitPlan)
        .where(RetrofitPlan.enterprise_id == enterprise_id, RetrofitPlan.year <= year)
        .order_by(RetrofitPlan.created_at)
    )
    return list(await db.scalars(stmt))


def _progress(plans: list[RetrofitPlan], year: int, units: dict[str, Decimal | None]) -> list[PlanProgress]:
    out = []
    for p in plans:
        u = units.get(p.product)
        met = None if u is None or p.year == year else u <= p.target_unit_energy_use
        out.append(
            PlanProgress(plan_id=p.id, product=p.product, filed_for_year=p.year, status=p.status,
                         target_unit_energy_use=as_filed(p.target_unit_energy_use), unit=p.unit,
                         completion_date=p.completion_date, unit_energy_use=u, target_met=met)
        )  # fmt: skip
    return out


async def plan_progress(
    db: AsyncSession, enterprise_id: uuid.UUID, year: int, result: AccountResult
) -> list[PlanProgress]:
    """The plans filed for `year` or before, each product's unit energy use in `result` against its target."""
    units = {p.product: p.unit_energy_use for p in result.products}
    return _progress(await _plans(db, enterprise_id, year), year, units)


async def build(db: AsyncSession, ent: Enterprise, year: int, version: PolicySetVersion | None = None) -> Sheet | None:
    """The sheet of the enterprise's current account for `year` under `version` (default: the
    latest set); None when the year has no submitted filing or no set is loaded."""
    version = version or await latest_policy_set(db)
    filing = await _current_filing(db, ent.enterprise_id, year)
    if version is None or filing is None:
        return None
    accounted = await compute(db, filing, ent)
    rating = await _latest_rating(db, ent.enterprise_id, year)
    statuses = (await plan_statuses(db, [ent.enterprise_id], year)).get(ent.enterprise_id, {})
    facts = facts_of(accounted.result, decode_content(filing), district=ent.district, plans=statuses,
                     rating=rating_facts(rating))  # fmt: skip
    return Sheet(
        enterprise_id=ent.enterprise_id,
        year=year,
        policy_set=version,
        filing_id=filing.id,
        filing_version=filing.version,
        rating_id=rating.id if rating else None,
        consequences=evaluate(version.policies, facts),
        plans=await plan_progress(db, ent.enterprise_id, year, accounted.result),
    )


def _sha(found: list[dict[str, Any]], set_id: uuid.UUID) -> str:
    return hashlib.sha256(canonical_json({"set": str(set_id), "consequences": found})).hexdigest()


class Stored(msgspec.Struct, frozen=True, kw_only=True):
    """A sheet to store: whose, which year, under which set, the rating read and the consequences."""

    enterprise_id: uuid.UUID
    uscc: str
    year: int
    policy_set_id: uuid.UUID
    policy_set_version: int
    rating_id: uuid.UUID | None
    consequences: list[dict[str, Any]]


def pairs_of(keys: list[tuple[uuid.UUID, int]]) -> Select[Any]:
    """(enterprise_id, year) pairs as a subquery of two unnested arrays: two parameters however
    many pairs (a row-value IN list of 10,000 pairs exhausts PostgreSQL's stack, and a round's
    rows exceed asyncpg's 32,767 parameters)."""
    ids = literal([k[0] for k in keys], ARRAY(Uuid()))
    years = literal([k[1] for k in keys], ARRAY(Integer()))
    t = func.unnest(ids, years).table_valued("enterprise_id", "year").render_derived()
    return select(t.c.enterprise_id, t.c.year)


async def store(db: AsyncSession, sheets: list[Stored]) -> int:
    """Replace each enterprise-year's stored sheet and consequence rows (in bulk, any number);
    queue `policy.consequence_changed` for banks under full consent where the consequences or
    their set changed. Returns how many sheets changed."""
    if not sheets:
        return 0
    keys = [(s.enterprise_id, s.year) for s in sheets]
    old_stmt = select(PolicySheet.enterprise_id, PolicySheet.year, PolicySheet.sha256).where(
        tuple_(PolicySheet.enterprise_id, PolicySheet.year).in_(pairs_of(keys))
    )
    old = {(r.enterprise_id, r.year): r.sha256 for r in (await db.execute(old_stmt)).all()}
    now = dt.datetime.now(dt.UTC)
    values, rows, events = [], [], []
    for s in sheets:
        sha = _sha(s.consequences, s.policy_set_id)
        values.append({"enterprise_id": s.enterprise_id, "year": s.year, "policy_set_id": s.policy_set_id,
                       "rating_id": s.rating_id, "consequences": s.consequences, "sha256": sha, "computed_at": now})  # fmt: skip
        rows += [{"enterprise_id": s.enterprise_id, "year": s.year, "kind": c["kind"], "rule_id": c["rule_id"],
                  "product": (c["subject"] or {}).get("product"), "amount_yuan": c.get("amount_yuan"), "document": c}
                 for c in s.consequences]  # fmt: skip
        if old.get((s.enterprise_id, s.year)) != sha:
            data = {"uscc": s.uscc, "year": s.year, "policy_set_id": str(s.policy_set_id),
                    "policy_set_version": s.policy_set_version, "kinds": sorted({c["kind"] for c in s.consequences})}  # fmt: skip
            events.append((s.enterprise_id, EventType.POLICY_CONSEQUENCE_CHANGED, data))
    upsert = pg_insert(PolicySheet)
    cols = ("policy_set_id", "rating_id", "consequences", "sha256", "computed_at")
    upsert = upsert.on_conflict_do_update(
        index_elements=["enterprise_id", "year"], set_={c: upsert.excluded[c] for c in cols}
    )
    await db.execute(upsert, values)  # executemany: batched by SQLAlchemy, whatever the count
    doomed = tuple_(PolicyConsequenceRow.enterprise_id, PolicyConsequenceRow.year).in_(pairs_of(keys))
    await db.execute(delete(PolicyConsequenceRow).where(doomed))
    if rows:
        await db.execute(insert(PolicyConsequenceRow), rows)
    await emit(db, events)
    return len(events)


async def refresh(db: AsyncSession, ent: Enterprise, year: int) -> Sheet | None:
    """Recompute and store the enterprise-year's sheet (after a filing, a plan decision, a new
    policy set); a year without a current account loses its stored sheet."""
    sheet = await build(db, ent, year)
    if sheet is None:
        old = await db.get(PolicySheet, (ent.enterprise_id, year))
        if old is not None:
            await db.delete(old)  # its consequence rows cascade
        return None
    await store(db, [Stored(enterprise_id=ent.enterprise_id, uscc=ent.uscc, year=year,
                            policy_set_id=sheet.policy_set.id, policy_set_version=sheet.policy_set.version,
                            rating_id=sheet.rating_id, consequences=consequences_json(sheet.consequences))])  # fmt: skip
    return sheet


async def refresh_all(db: AsyncSession) -> int:
    """Recompute every stored sheet (after a new policy set): how many there were."""
    keys = (await db.execute(select(PolicySheet.enterprise_id, PolicySheet.year))).all()
    ents = {e.enterprise_id: e for e in await db.scalars(select(Enterprise).where(
        Enterprise.enterprise_id.in_({k.enterprise_id for k in keys})))}  # fmt: skip
    for key in keys:
        await refresh(db, ents[key.enterprise_id], key.year)
    return len(keys)


async def policy_sheet(db: AsyncSession, actor: Principal, uscc: str, year: int) -> tuple[Enterprise, Sheet]:
    """The enterprise itself, regulators and the rating authority; a bank under `full` consent (logged)."""
    ent, _ = await get_enterprise(db, uscc)
    consent = await full_reader(db, actor, ent, "No such enterprise.")
    sheet = await build(db, ent, year)
    if sheet is None:
        raise NotFound(f"No submitted filing for {year}: no policy sheet.")
    await log_read(
        db, actor, ent.enterprise_id, "policy", f"{uscc}/{year}", consent, Scope.FULL.value if consent else None
    )
    return ent, sheet
