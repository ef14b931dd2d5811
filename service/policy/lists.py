"""The regulator lists of 政策集成: a year's stored consequences (the 关停/改造 list, the 阶梯电价
list with its yuan, the coal units to convert…) with the enterprise each falls on, and the counts
by district for the overview.

Read from the stored sheets (``policy_consequences``), which rounds, filings, plans and a new
policy set keep current (``service.policy.sheet.store``), so a list never recomputes accounts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, Select, distinct, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.districts import DISTRICTS
from domain.industry import Sector
from domain.policy.model import ConsequenceKind
from service.access_log import log_read
from service.auth.principal import Principal
from service.db.models import Enterprise, PolicyConsequenceRow, PolicySetRecord, PolicySheet

__all__ = [
    "KIND_NAMES",
    "ConsequenceFilter",
    "Listed",
    "Totals",
    "district_counts",
    "list_consequences",
]

YUAN = Decimal("0.01")
KIND_NAMES = {  # as a regulator's table names them
    ConsequenceKind.RETROFIT_REQUIRED: "限期改造",
    ConsequenceKind.PHASE_OUT_LISTED: "列入淘汰计划",
    ConsequenceKind.POWER_SURCHARGE: "阶梯电价/差别电价",
    ConsequenceKind.COAL_UNIT_CONVERSION: "煤电机组背压改造",
    ConsequenceKind.SUPPLY_COAL_RETROFIT: "供电煤耗节能改造",
    ConsequenceKind.GREEN_CREDIT_INELIGIBLE: "不符合绿色信贷",
    ConsequenceKind.TRANSITION_FINANCE_CANDIDATE: "转型金融候选",
    ConsequenceKind.BENCHMARK_TARGET: "基准水平目标",
}


class ConsequenceFilter(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    kind: ConsequenceKind | None = None
    district: str | None = None
    sector: Sector | None = None


class Listed(msgspec.Struct, frozen=True, kw_only=True):
    """One consequence row, the enterprise it falls on and the set version its sheet was computed under."""

    uscc: str
    name: str
    district: str
    sector: str
    year: int
    row_id: int
    policy_set_version: int
    document: dict[str, Any]  # the consequence as the sheet holds it (domain.policy.evaluate.Consequence)


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    """Over every row the filter selects, not one page."""

    consequences: int
    enterprises: int
    amount_yuan: Decimal  # the surcharge yuan of the selected rows (0.00 when none carries an amount)


def _where(f: ConsequenceFilter) -> list[ColumnElement[bool]]:
    conds = [PolicyConsequenceRow.year == f.year]
    if f.kind is not None:
        conds.append(PolicyConsequenceRow.kind == f.kind.value)
    if f.district is not None:
        conds.append(Enterprise.district == f.district)
    if f.sector is not None:
        conds.append(Enterprise.sector == f.sector.value)
    return conds


def _joined(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(Enterprise, Enterprise.enterprise_id == PolicyConsequenceRow.enterprise_id)


async def _totals(db: AsyncSession, f: ConsequenceFilter) -> Totals:
    stmt = _joined(
        select(
            func.count(),
            func.count(distinct(PolicyConsequenceRow.enterprise_id)),
            func.coalesce(func.sum(PolicyConsequenceRow.amount_yuan), 0),
        ).select_from(PolicyConsequenceRow)
    ).where(*_where(f))
    count, enterprises, amount = (await db.execute(stmt)).one()
    return Totals(consequences=count, enterprises=enterprises, amount_yuan=Decimal(amount).quantize(YUAN))


async def list_consequences(
    db: AsyncSession, actor: Principal, f: ConsequenceFilter, *, after: tuple[str, int] | None, limit: int | None
) -> tuple[list[Listed], bool, Totals]:
    """One page ordered by USCC, then the sheet's own order (`limit` None: every row, for CSV),
    whether more follow, and the totals of the whole filter. Each listed enterprise's read is
    logged (`policy`), as the stats' enterprise-level figures are."""
    stmt = (
        _joined(select(PolicyConsequenceRow, Enterprise, PolicySetRecord.version))
        .join(
            PolicySheet,
            (PolicySheet.enterprise_id == PolicyConsequenceRow.enterprise_id)
            & (PolicySheet.year == PolicyConsequenceRow.year),
        )
        .join(PolicySetRecord, PolicySetRecord.id == PolicySheet.policy_set_id)
        .where(*_where(f))
        .order_by(Enterprise.uscc, PolicyConsequenceRow.id)
    )
    if after is not None:
        stmt = stmt.where(tuple_(Enterprise.uscc, PolicyConsequenceRow.id) > tuple_(*after))
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    rows = (await db.execute(stmt)).all()
    more = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    listed = [
        Listed(uscc=e.uscc, name=e.name, district=e.district, sector=e.sector, year=c.year, row_id=c.id,
               policy_set_version=version, document=c.document)
        for c, e, version in rows
    ]  # fmt: skip
    for enterprise_id in dict.fromkeys(c.enterprise_id for c, _, _ in rows):
        await log_read(db, actor, enterprise_id, "policy", f"consequences:{f.year}")
    return listed, more, await _totals(db, f)


def _counts(found: dict[str, int], amount: Decimal) -> dict[str, Any]:
    return {"enterprises": {k.value: found.get(k.value, 0) for k in ConsequenceKind}, "surcharge_yuan": amount}


async def district_counts(db: AsyncSession, year: int) -> dict[str, Any]:
    """Per district and for the city: how many enterprises each consequence kind falls on, and the
    surcharge yuan (阶梯电价/差别电价) of the year's stored sheets. Aggregates: nothing is logged."""
    stmt = (
        _joined(
            select(
                Enterprise.district,
                PolicyConsequenceRow.kind,
                func.count(distinct(PolicyConsequenceRow.enterprise_id)),
                func.coalesce(func.sum(PolicyConsequenceRow.amount_yuan), 0),
            )
        )
        .where(PolicyConsequenceRow.year == year)
        .group_by(Enterprise.district, PolicyConsequenceRow.kind)
    )
    by_district: dict[str, dict[str, int]] = {}
    yuan: dict[str, Decimal] = {}
    for district, kind, enterprises, amount in (await db.execute(stmt)).all():
        by_district.setdefault(district, {})[kind] = enterprises
        if kind == ConsequenceKind.POWER_SURCHARGE.value:
            yuan[district] = Decimal(amount).quantize(YUAN)
    city: dict[str, int] = {}
    for found in by_district.values():  # an enterprise has one district: the sums count each once
        for kind, n in found.items():
            city[kind] = city.get(kind, 0) + n
    versions = (
        select(PolicySetRecord.version)
        .distinct()
        .join(PolicySheet, PolicySheet.policy_set_id == PolicySetRecord.id)
        .where(PolicySheet.year == year)
    )
    return {
        "policy_set_versions": sorted(await db.scalars(versions)),  # the sets the year's sheets were computed under
        "districts": [
            {"district": d, "name": DISTRICTS.get(d, d), **_counts(by_district[d], yuan.get(d, Decimal("0.00")))}
            for d in sorted(by_district)
        ],
        "city": _counts(city, sum(yuan.values(), Decimal("0.00"))),
    }
