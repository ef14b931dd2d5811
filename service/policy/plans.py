"""Retrofit plans (改造方案): an enterprise whose account shows a product below 基准 files a plan
to bring it to a target at or below 基准; a regulator accepts or returns it, once.

A plan is what turns 限期改造 into a transition-finance candidate (rule transition.retrofit-plan),
so filing or deciding one refreshes the stored policy sheets of its year and every later year
in the same transaction: the regulator lists and the `policy.consequence_changed` webhook follow.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting.result import Level
from domain.accounting.validate import MAX_MAGNITUDE
from domain.consents import Scope
from domain.errors import InvalidField, NotFound, StateConflict
from domain.filings import FilingStatus
from domain.products import find_product
from service.access_log import log_read
from service.audit import record_event
from service.auth.principal import Principal
from service.db.keyset import after_time_id
from service.db.models import Enterprise, Filing, RetrofitPlan
from service.enterprises import get_enterprise
from service.filings import compute
from service.policy.sheet import refresh
from service.ratings.reads import full_reader

__all__ = ["PlanFilter", "PlanInput", "decide_plan", "file_plan", "list_plans", "plans_of"]

_COUNTS = (FilingStatus.SUBMITTED.value, FilingStatus.VERIFIED.value)


class PlanInput(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    product: str
    target_unit_energy_use: Decimal
    measures: str
    investment_wan: Decimal
    completion_date: dt.date
    document_sha256: str


class PlanFilter(msgspec.Struct, frozen=True, kw_only=True):
    status: str | None = None
    district: str | None = None


def _amount(field: str, value: Decimal, *, positive: bool) -> None:
    if not value.is_finite():
        raise InvalidField(field, "must be a finite number")
    if abs(value) >= MAX_MAGNITUDE:
        raise InvalidField(field, f"must be less than {MAX_MAGNITUDE:,.0f} in size")
    if positive and value <= 0:
        raise InvalidField(field, "must be greater than zero")
    if value < 0:
        raise InvalidField(field, "must not be negative")


async def _current_filing(db: AsyncSession, enterprise_id: uuid.UUID, year: int) -> Filing | None:
    stmt = (
        select(Filing)
        .where(Filing.enterprise_id == enterprise_id, Filing.period == year, Filing.status.in_(_COUNTS))
        .order_by(Filing.version.desc())
        .limit(1)
    )
    return await db.scalar(stmt)


async def _refresh_from(db: AsyncSession, ent: Enterprise, year: int) -> None:
    """The plan's year and every later year with a current filing: their sheets read the plan."""
    stmt = (
        select(Filing.period)
        .where(Filing.enterprise_id == ent.enterprise_id, Filing.period >= year, Filing.status.in_(_COUNTS))
        .distinct()
    )
    for period in sorted(await db.scalars(stmt)):
        await refresh(db, ent, period)


async def _baseline_of(db: AsyncSession, ent: Enterprise, data: PlanInput) -> Decimal:
    """The 基准 the target must reach: of the product's lines below 基准 in the year's current account."""
    filing = await _current_filing(db, ent.enterprise_id, data.year)
    if filing is None:
        raise InvalidField("year", f"no submitted filing for {data.year}: a plan answers an account below 基准")
    lines = [p for p in (await compute(db, filing, ent)).result.products if p.product == data.product]
    if not lines:
        raise InvalidField("product", f"the {data.year} account has no {data.product}")
    below = [p.baseline for p in lines if p.level is Level.BELOW_BASELINE and p.baseline is not None]
    if not below:
        levels = ", ".join(sorted({p.level.value for p in lines}))
        raise InvalidField(
            "product", f"the {data.year} account shows {data.product} {levels}: a plan is for a product below 基准"
        )
    return min(below)


async def file_plan(db: AsyncSession, actor: Principal, uscc: str, data: PlanInput) -> tuple[RetrofitPlan, Enterprise]:
    """The enterprise itself; one submitted plan per product at a time (the enterprise row is locked)."""
    if not actor.owns(uscc):
        raise NotFound("No such enterprise.")
    ent, _ = await get_enterprise(db, uscc, for_update=True)
    product = find_product("product", data.product)
    _amount("target_unit_energy_use", data.target_unit_energy_use, positive=True)
    _amount("investment_wan", data.investment_wan, positive=False)
    baseline = await _baseline_of(db, ent, data)
    if data.target_unit_energy_use > baseline:
        raise InvalidField(
            "target_unit_energy_use",
            f"the target {data.target_unit_energy_use} is above the product's 基准, {baseline} {product.unit}: "
            "the plan's target must reach 基准 at least",
        )
    pending = await db.scalar(
        select(RetrofitPlan.id).where(
            RetrofitPlan.enterprise_id == ent.enterprise_id,
            RetrofitPlan.product == data.product,
            RetrofitPlan.status == "submitted",
        )
    )
    if pending is not None:
        raise StateConflict(f"plan {pending} for {data.product} is still submitted; a regulator decides it first")
    plan = RetrofitPlan(
        enterprise_id=ent.enterprise_id,
        year=data.year,
        product=data.product,
        target_unit_energy_use=data.target_unit_energy_use,
        unit=product.unit,
        measures=data.measures,
        investment_wan=data.investment_wan,
        completion_date=data.completion_date,
        document_sha256=data.document_sha256,
        status="submitted",
        created_by_client_id=actor.client_id,
    )
    db.add(plan)
    await db.flush()
    await db.refresh(plan)
    await record_event(db, actor, "retrofit_plan.file", f"retrofit_plan:{plan.id}", uscc=uscc,
                       product=data.product, year=data.year, sha256=data.document_sha256)  # fmt: skip
    await _refresh_from(db, ent, data.year)
    return plan, ent


async def plans_of(db: AsyncSession, actor: Principal, uscc: str) -> tuple[Enterprise, list[RetrofitPlan]]:
    """Oldest first. The enterprise itself, regulators, the rating authority, the finance
    regulator; a bank under `full` consent. Bank and regulator reads are logged."""
    ent, _ = await get_enterprise(db, uscc)
    consent = await full_reader(db, actor, ent, "No such enterprise.")
    stmt = (
        select(RetrofitPlan)
        .where(RetrofitPlan.enterprise_id == ent.enterprise_id)
        .order_by(RetrofitPlan.created_at, RetrofitPlan.id)
    )
    plans = list(await db.scalars(stmt))
    await log_read(db, actor, ent.enterprise_id, "retrofit_plan", uscc, consent, Scope.FULL.value if consent else None)
    return ent, plans


async def list_plans(
    db: AsyncSession,
    actor: Principal,
    filters: PlanFilter,
    *,
    after: tuple[dt.datetime, uuid.UUID] | None,
    limit: int,
) -> tuple[list[tuple[RetrofitPlan, Enterprise]], bool]:
    """Every enterprise's plans, oldest first (the regulator's worklist); whether more follow.
    Each listed enterprise's read is logged once per page (`retrofit_plan`, `worklist`)."""
    stmt = (
        select(RetrofitPlan, Enterprise)
        .join(Enterprise, Enterprise.enterprise_id == RetrofitPlan.enterprise_id)
        .order_by(RetrofitPlan.created_at, RetrofitPlan.id)
        .limit(limit + 1)
    )
    if filters.status is not None:
        stmt = stmt.where(RetrofitPlan.status == filters.status)
    if filters.district is not None:
        stmt = stmt.where(Enterprise.district == filters.district)
    if after is not None:
        stmt = stmt.where(after_time_id(RetrofitPlan.created_at, RetrofitPlan.id, after))
    rows = [(r.RetrofitPlan, r.Enterprise) for r in (await db.execute(stmt)).all()]
    page = rows[:limit]
    for enterprise_id in dict.fromkeys(ent.enterprise_id for _, ent in page):
        await log_read(db, actor, enterprise_id, "retrofit_plan", "worklist")
    return page, len(rows) > limit


async def decide_plan(
    db: AsyncSession, actor: Principal, plan_id: uuid.UUID, *, accept: bool, reason: str | None
) -> tuple[RetrofitPlan, Enterprise]:
    """A regulator accepts or returns a submitted plan, once; a return says why (the enterprise
    files a new plan, the returned one stays)."""
    row = (
        await db.execute(
            select(RetrofitPlan, Enterprise)
            .join(Enterprise, Enterprise.enterprise_id == RetrofitPlan.enterprise_id)
            .where(RetrofitPlan.id == plan_id)
            .with_for_update(of=RetrofitPlan)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No such retrofit plan.")
    plan, ent = row.RetrofitPlan, row.Enterprise
    if plan.status != "submitted":
        raise StateConflict(f"the retrofit plan is already {plan.status}")
    if not accept and not (reason or "").strip():
        raise InvalidField("reason", "a returned plan needs a reason: what the enterprise must change")
    plan.status = "accepted" if accept else "returned"
    plan.decision_reason = reason
    plan.decided_at = dt.datetime.now(dt.UTC)
    plan.decided_by_client_id = actor.client_id
    await db.flush()
    await record_event(db, actor, f"retrofit_plan.{plan.status}", f"retrofit_plan:{plan.id}", reason=reason or "")
    await _refresh_from(db, ent, plan.year)
    return plan, ent
