"""Process CO2, version 1: cement clinker and carbonates consumed; captured CO2.

Clinker, as the MEE cement guideline (《中国水泥生产企业温室气体排放核算方法与报告指南
（试行）》) prints it: clinker × [(CaO − non-carbonate CaO) × 44/56 + (MgO − non-carbonate
MgO) × 44/40]. Carbonates: quantity × purity × the factor set's stoichiometric factor;
a carbonate whose carbon stays in the product (soda-ash production) is not counted.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import ProcessItem
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import FilingContent

__all__ = ["captured", "process"]


def _clinker_factor(cao: Decimal, mgo: Decimal, nc_cao: Decimal, nc_mgo: Decimal) -> Decimal:
    return (cao - nc_cao) * 44 / 56 + (mgo - nc_mgo) * 44 / 40


def process(content: FilingContent, factors: FactorSet, ledger: Ledger) -> list[ProcessItem]:
    items = []
    for i, c in enumerate(content.clinker):
        factor = _clinker_factor(
            c.cao_fraction, c.mgo_fraction, c.noncarbonate_cao_fraction, c.noncarbonate_mgo_fraction
        )
        items.append(
            ProcessItem(
                line=f"clinker[{i}]",
                kind="clinker",
                material="clinker",
                quantity_t=c.output_t,
                factor=factor,
                co2=c.output_t * factor,
            )
        )
    for i, line in enumerate(content.carbonates):
        at = f"carbonates[{i}]"
        known = factors.carbonate(line.carbonate)
        if known is None:
            raise InvalidField(f"{at}.carbonate", f"{line.carbonate!r} is not a carbonate of the {factors.year} set")
        factor = ledger.use(f"carbonates.{known.code}", known.factor).value
        if line.carbon_retained:
            items.append(
                ProcessItem(
                    line=at,
                    kind="carbonate",
                    material=known.code,
                    quantity_t=line.quantity_t,
                    factor=factor,
                    co2=Decimal(0),
                    note="carbon retained in the product: not counted",
                )
            )
            continue
        items.append(
            ProcessItem(
                line=at,
                kind="carbonate",
                material=known.code,
                quantity_t=line.quantity_t,
                factor=factor,
                co2=line.quantity_t * line.purity * factor,
            )
        )
    return items


def captured(content: FilingContent) -> Decimal:
    """CO2 captured and stored or used (CCUS), deducted and shown separately."""
    return sum((c.quantity_t for c in content.captured), Decimal(0))
