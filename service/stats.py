"""The plan's indicators for a year, for regulators and the rating authority.

Figures come from the current filing versions (accounted with the year's latest factor
set) and the year's active ratings; every answer names the factor set and the round. A
year's change is against the previous year's current filings, accounted with that year's
own factor set (as they were reported).
"""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting import AccountResult, Flag, Level
from domain.districts import DISTRICTS
from domain.errors import NotFound
from domain.industry import Sector
from domain.numbers import accounting
from domain.organisations import OrgStatus
from service.access_log import log_read
from service.auth.principal import Principal
from service.db.models import Enterprise, Organisation, RatingRecord, RatingRound
from service.display import SECTOR_NAMES
from service.policy.lists import district_counts
from service.ratings.compute import RoundFailed, candidates
from service.ratings.inputs import Entry, RoundInputs, load_inputs

__all__ = ["BENCHMARK_GOAL", "YearFigures", "breakdown", "overview", "year_figures"]

BENCHMARK_GOAL = Decimal("0.30")  # the plan: over 30 % of capacity at 标杆 by 2025
ZERO = Decimal(0)


class YearFigures(msgspec.Struct, kw_only=True):
    year: int
    inputs: RoundInputs | None
    accounts: list[tuple[Entry, AccountResult]]
    not_accounted: list[dict[str, str]] = []
    """Filings that no longer account (a later factor-set version dropped a carrier, say): left out, named."""


async def year_figures(db: AsyncSession, year: int) -> YearFigures:
    try:
        inputs = await load_inputs(db, year)
    except NotFound:
        return YearFigures(year=year, inputs=None, accounts=[])
    accounts, skipped = candidates_accounts(inputs)
    return YearFigures(year=year, inputs=inputs, accounts=accounts, not_accounted=skipped)


def candidates_accounts(inputs: RoundInputs) -> tuple[list[tuple[Entry, AccountResult]], list[dict[str, str]]]:
    """Each entry's account; one that cannot be accounted is left out and named, not a failed request."""
    accounts: list[tuple[Entry, AccountResult]] = []
    skipped: list[dict[str, str]] = []
    for entry in inputs.entries:
        try:
            (candidate,) = candidates(inputs, [entry])
        except RoundFailed as exc:
            skipped.append({"uscc": entry.uscc, "filing_id": str(entry.filing_id), "reason": str(exc)})
            continue
        accounts.append((entry, candidate.account))
    return accounts, skipped


def _source(figures: YearFigures, round_id: uuid.UUID | None) -> dict[str, Any]:
    fs = figures.inputs.factor_set_record if figures.inputs else None
    return {
        "year": figures.year,
        "factor_set": {"id": str(fs.id), "year": fs.year, "version": fs.version} if fs else None,
        "rating_round_id": str(round_id) if round_id else None,
        "provisional_factors": any(Flag.PROVISIONAL_FACTOR in a.flags for _, a in figures.accounts),
        "filings": len(figures.accounts),
        "not_accounted": figures.not_accounted,
    }


def _totals(accounts: list[tuple[Entry, AccountResult]]) -> dict[str, Decimal]:
    with accounting():
        return {
            "energy_tce": sum((a.energy_tce for _, a in accounts), ZERO),
            "scope1_tco2": sum((a.emissions.scope1 for _, a in accounts), ZERO),
            "scope2_tco2": sum((a.emissions.scope2 for _, a in accounts), ZERO),
        }


def _grouped(figures: YearFigures, key: str) -> dict[str, list[tuple[Entry, AccountResult]]]:
    out: dict[str, list[tuple[Entry, AccountResult]]] = {}
    for entry, acc in figures.accounts:
        out.setdefault(getattr(entry, key), []).append((entry, acc))
    return out


async def breakdown(db: AsyncSession, year: int, by: str) -> dict[str, Any]:
    """Energy, scope 1 and scope 2 by district or sector, with the change on the previous year."""
    now, before = await year_figures(db, year), await year_figures(db, year - 1)
    current, previous = _grouped(now, by), _grouped(before, by)
    rows = []
    for group in sorted(set(current) | set(previous)):
        this, last = _totals(current.get(group, [])), _totals(previous.get(group, []))
        with accounting():
            change = {f"{k}_change": this[k] - last[k] for k in this}
        name = DISTRICTS.get(group, group) if by == "district" else SECTOR_NAMES.get(group, group)
        rows.append({by: group, "name": name, "enterprises": len(current.get(group, [])), **this, **change})
    return {"source": _source(now, await _round_of(db, year)), "previous_source": _source(before, None), "rows": rows}


async def _round_of(db: AsyncSession, year: int) -> uuid.UUID | None:
    stmt = select(RatingRound.id).where(RatingRound.year == year, RatingRound.status == "completed")
    return await db.scalar(stmt.order_by(RatingRound.finished_at.desc()).limit(1))


async def _key_enterprises(db: AsyncSession) -> list[Enterprise]:
    stmt = (
        select(Enterprise)
        .join(Organisation, Organisation.id == Enterprise.enterprise_id)
        .where(Organisation.status == OrgStatus.ACTIVE.value, Enterprise.sector != Sector.OTHER.value)
    )
    return list(await db.scalars(stmt.order_by(Enterprise.uscc)))


def _product_row(code: str, total: Decimal, at_benchmark: Decimal, below: int) -> dict[str, Any]:
    share = at_benchmark / total if total else None
    return {
        "product": code,
        "capacity": total,
        "capacity_at_benchmark": at_benchmark,
        "share_at_benchmark": share,
        "goal": BENCHMARK_GOAL,
        "meets_goal": share is not None and share >= BENCHMARK_GOAL,
        "below_baseline": below,
    }


def _products(figures: YearFigures) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    capacity: dict[str, dict[str, Decimal]] = {}
    below: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    with accounting():
        for entry, acc in figures.accounts:
            for p in acc.products:
                if p.level is Level.NOT_COVERED:
                    continue
                cap = p.capacity if p.capacity is not None else p.output
                slot = capacity.setdefault(p.product, {"total": ZERO, "benchmark": ZERO})
                slot["total"] += cap
                if p.level is Level.BENCHMARK:
                    slot["benchmark"] += cap
                if p.level is Level.BELOW_BASELINE:
                    counts[p.product] += 1
                    below.append({"product": p.product, "name": p.name, "uscc": entry.uscc, "enterprise": entry.name,
                                  "district": entry.district, "unit_energy_use": p.unit_energy_use,
                                  "baseline": p.baseline, "unit": p.unit,
                                  "site_total": Flag.LEVEL_FROM_SITE_TOTAL in p.flags})  # fmt: skip
        products = [
            _product_row(code, c["total"], c["benchmark"], counts[code]) for code, c in sorted(capacity.items())
        ]
    return products, below


async def overview(db: AsyncSession, actor: Principal, year: int) -> dict[str, Any]:
    figures = await year_figures(db, year)
    keys = await _key_enterprises(db)
    filed = {entry.enterprise_id for entry, _ in figures.accounts}
    products, below = _products(figures)
    colours = Counter(
        await db.scalars(select(RatingRecord.colour).where(RatingRecord.year == year, RatingRecord.status == "active"))
    )
    ids = {entry.uscc: entry.enterprise_id for entry, _ in figures.accounts}
    for row in below:  # enterprise-level figures: each read is logged
        await log_read(db, actor, ids[row["uscc"]], "stats", f"overview:{year}")
    return {
        "source": _source(figures, await _round_of(db, year)),
        "key_enterprises": len(keys),
        "key_enterprises_without_filing": sorted(e.uscc for e in keys if e.enterprise_id not in filed),
        "totals": _totals(figures.accounts),
        "products": products,
        "below_baseline": below,
        "colours": {c: colours.get(c, 0) for c in ("dark_green", "light_green", "yellow", "red", "unrated")},
        "policy": await district_counts(db, year),  # 政策集成: consequences by district, from the stored sheets
    }
