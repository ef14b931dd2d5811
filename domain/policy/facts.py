"""The facts a policy rule may test, built from one enterprise-year's account and rating.

A rule's conditions name facts of this closed vocabulary (``PRODUCT_FACTS`` for product rules,
``ENTERPRISE_FACTS`` for enterprise rules), so a posted set is checked against it and a sheet
shows, for every consequence, the value of each fact that triggered it.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import msgspec

from domain.accounting.result import AccountResult, Level

__all__ = [
    "COAL_CARRIERS",
    "ENTERPRISE_FACTS",
    "PRODUCT_FACTS",
    "AccountFacts",
    "ProductFacts",
    "RatingFacts",
    "account_facts",
    "edition_area",
]

# The type of each fact: "str", "int", "decimal", "date", "bool", "list"
PRODUCT_FACTS: dict[str, str] = {
    "year": "int",
    "period_end": "date",  # 31 December of the filing year: what deadlines are compared with
    "product.code": "str",
    "product.sector": "str",
    "product.level": "str",  # benchmark | baseline | below_baseline | not_covered
    "product.edition_area": "str",  # 2021 (发改产业〔2021〕1609号's 25 areas) | 2023 (added by 〔2023〕723号)
    "product.unit_energy_use": "decimal",
    "product.benchmark": "decimal",
    "product.baseline": "decimal",
    "product.unit_capacity_mw": "decimal",  # a power unit's capacity (the filing's attribute)
    "product.supply_coal_rate": "decimal",  # 供电煤耗, gce/kWh, of a power line
    "product.coal_fired": "bool",  # the site burns coal (a coal carrier filed)
    "product.plan_status": "str",  # the latest retrofit plan for the product: submitted | accepted | returned
}
ENTERPRISE_FACTS: dict[str, str] = {
    "year": "int",
    "period_end": "date",
    "enterprise.sector": "str",
    "enterprise.industry": "str",
    "enterprise.district": "str",
    "enterprise.electricity_mwh": "decimal",  # purchased electricity filed for the year
    "enterprise.below_baseline_count": "int",  # products below 基准
    "enterprise.plans_cover_below_baseline": "bool",  # each of them has a submitted or accepted plan
    "rating.colour": "str",
    "rating.grade": "int",
    "rating.finance_tier": "str",
    "consequences": "list",  # the kinds of the consequences found so far (product rules first)
}

# Carriers whose combustion makes a unit coal-fired (domain/data/carriers.csv codes)
COAL_CARRIERS = frozenset(
    {"raw_coal", "anthracite", "bituminous_coal", "lignite", "washed_coal", "other_washed_coal", "briquette"}
)


class RatingFacts(msgspec.Struct, frozen=True, kw_only=True):
    colour: str
    grade: int | None
    finance_tier: str


class ProductFacts(msgspec.Struct, frozen=True, kw_only=True):
    line: str
    code: str
    name: str
    energy: Decimal | None  # the energy behind the unit energy use (kWh for 电解铝: 铝液生产用电)
    values: dict[str, Any]


class AccountFacts(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    enterprise: dict[str, Any]
    products: list[ProductFacts]


@cache
def _areas() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, area in (("benchmarks_ndrc_2021.csv", "2021"), ("benchmarks_ndrc_2023_unread.csv", "2023")):
        text = resources.files("domain.data").joinpath(name).read_text("utf-8")
        for row in csv.DictReader(text.splitlines()):
            found.setdefault(row["product"], area)
    return found


def edition_area(product: str) -> str | None:
    """The NDRC edition whose areas include the product: "2021" (1609号) or "2023" (added by 723号)."""
    return _areas().get(product)


def account_facts(
    account: AccountResult,
    *,
    district: str,
    capacities: dict[str, Decimal | None],
    coal_fired: bool,
    plans: dict[str, str],
    rating: RatingFacts | None,
) -> AccountFacts:
    """The facts of one enterprise-year: ``capacities`` per product line (the filing's
    ``unit_capacity_mw``), ``plans`` the latest retrofit-plan status per product code."""
    common = {"year": account.year, "period_end": dt.date(account.year, 12, 31)}
    # the i-th power_supply product line is the i-th unit of the filing's power_supply block
    power_lines = [p.line for p in account.products if p.product == "power_supply"]
    coal_rates = {line: unit.supply_coal_rate for line, unit in zip(power_lines, account.power, strict=False)}
    products = []
    for p in account.products:
        values = {
            **common,
            "product.code": p.product,
            "product.sector": account.sector,
            "product.level": p.level.value,
            "product.edition_area": edition_area(p.product),
            "product.unit_energy_use": p.unit_energy_use,
            "product.benchmark": p.benchmark,
            "product.baseline": p.baseline,
            "product.unit_capacity_mw": capacities.get(p.line),
            "product.supply_coal_rate": coal_rates.get(p.line),
            "product.coal_fired": coal_fired,
            "product.plan_status": plans.get(p.product),
        }
        products.append(ProductFacts(line=p.line, code=p.product, name=p.name, energy=p.energy, values=values))
    below = [p for p in account.products if p.level is Level.BELOW_BASELINE]
    electricity = sum((e.quantity for e in account.energy if e.what == "electricity"), Decimal(0))
    enterprise = {
        **common,
        "enterprise.sector": account.sector,
        "enterprise.industry": account.industry,
        "enterprise.district": district,
        "enterprise.electricity_mwh": electricity,
        "enterprise.below_baseline_count": len(below),
        "enterprise.plans_cover_below_baseline": bool(below)
        and all(plans.get(p.product) in ("submitted", "accepted") for p in below),
        "rating.colour": rating.colour if rating else None,
        "rating.grade": rating.grade if rating else None,
        "rating.finance_tier": rating.finance_tier if rating else None,
    }
    return AccountFacts(year=account.year, enterprise=enterprise, products=products)
