"""The city's CO2 intensity by year against the plan's trajectory, for regulators and the rating
authority (the console's city page; aggregates only, so nothing is logged).

Each year's figure is Σ total CO2 ÷ Σ value added (tCO2 per 万元) over the year's current filings
that report a value added, accounted as the overview accounts them (service.stats.year_figures).

The trajectory is the one the methodology already uses (docs/methodology.md 3.6): Shandong's 2025
target of −20.5 % CO2 intensity against 2020 (山东省碳达峰实施方案, 鲁政字〔2022〕242号; READ in
../shared/reference/sources.md §7), spread evenly over 2021–2025 as a yearly fall of 0.0448
(scoring.v1.TREND_UPGRADE_MIN_FALL, provisional until the rating authority confirms it). The data
hold no 2020 base, so the path starts from the first year shown (2020 itself when it was rated)
and says so; Zibo's own target path is UNCONFIRMED (no Zibo document was found).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.numbers import accounting
from scoring.v1 import TREND_UPGRADE_MIN_FALL, TREND_UPGRADE_PROVISIONAL
from service.db.models import RatingRound
from service.stats import year_figures

__all__ = ["PLAN", "intensity_by_year", "rated_years"]

ZERO = Decimal(0)
PLAN: dict[str, Any] = {
    "document": "山东省碳达峰实施方案（鲁政字〔2022〕242号）",
    "target": "-20.5 % CO2 intensity in 2025 against 2020",
    "base_year": 2020,
    "yearly_fall": TREND_UPGRADE_MIN_FALL,
    "confidence": "READ",
    "provisional": TREND_UPGRADE_PROVISIONAL,
    "zibo_path": "UNCONFIRMED",
}


async def rated_years(db: AsyncSession) -> list[int]:
    """The years with a completed rating round, oldest first."""
    stmt = select(RatingRound.year).where(RatingRound.status == "completed").distinct().order_by(RatingRound.year)
    return list(await db.scalars(stmt))


async def intensity_by_year(db: AsyncSession, years: list[int]) -> dict[str, Any]:
    """Each year's CO2, value added and intensity, the trajectory's value for it (from the first
    year with an intensity) and whether the year is on it; the plan and the anchor it starts from."""
    rows: list[dict[str, Any]] = []
    anchor: tuple[int, Decimal] | None = None
    for year in sorted(years):
        figures = await year_figures(db, year)
        counted = [a for _, a in figures.accounts if a.value_added_wan is not None and a.value_added_wan > 0]
        with accounting():
            co2 = sum((a.emissions.total for a in counted), ZERO)
            value_added = sum((a.value_added_wan or ZERO for a in counted), ZERO)
            value = co2 / value_added if value_added else None
            if anchor is None and value is not None:
                anchor = (year, value)
            target = anchor[1] * (1 - TREND_UPGRADE_MIN_FALL) ** (year - anchor[0]) if anchor else None
        rows.append({
            "year": year,
            "enterprises": len(counted),
            "without_value_added": len(figures.accounts) - len(counted),
            "co2_t": co2,
            "value_added_wan": value_added,
            "intensity": value,
            "target": target,
            "on_track": None if value is None or target is None else value <= target,
            "factor_set": figures.inputs.factor_set_record.version if figures.inputs else None,
        })  # fmt: skip
    return {"plan": PLAN, "anchor_year": anchor[0] if anchor else None, "rows": rows}
