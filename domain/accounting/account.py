"""account(): one filing's content, its enterprise's industry, a factor set and a benchmark
edition in; every figure of the account out (design.md, "Accounting")."""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.combustion import combustion
from domain.accounting.energy import net_electricity_mwh, site_energy
from domain.accounting.families import coverage, sector_process
from domain.accounting.indirect import electricity_co2, heat_co2, heat_in_gj
from domain.accounting.ledger import Ledger
from domain.accounting.levels import SiteTotals, product_levels
from domain.accounting.power import power_levels
from domain.accounting.process import captured, process
from domain.accounting.result import AccountResult, Emissions, Flag
from domain.accounting.validate import validate_content
from domain.benchmarks import BenchmarkEdition
from domain.factors import FactorSet
from domain.filings import FilingContent
from domain.industry import IndustryClass
from domain.numbers import accounting

__all__ = ["account"]


def _sum(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def account(
    content: FilingContent, industry: IndustryClass, factors: FactorSet, edition: BenchmarkEdition | None
) -> AccountResult:
    """Raises InvalidField naming the line when a value the account needs is missing.
    Without an edition in force every product is `not_covered` (NO_BENCHMARK_ROW)."""
    with accounting():
        validate_content(content, factors)
        ledger = Ledger()
        heat = heat_in_gj(content)
        energy = site_energy(content, factors, industry.code, heat, ledger)
        energy_tce = _sum([item.tce for item in energy])
        burnt = combustion(content, factors, ledger)
        processed = process(content, factors, ledger)
        sector, gases = sector_process(content, factors, ledger)
        _process_coverage(content, industry, edition, ledger)
        emissions = _emissions(
            combustion=_sum([c.co2 for c in burnt]),
            process=_sum([p.co2 for p in processed]) + _sum([s.co2 for s in sector if s.co2 is not None]),
            captured=captured(content),
            electricity=electricity_co2(content, factors, industry.code, ledger),
            heat=heat_co2(heat, factors, industry.code, ledger),
        )
        site = SiteTotals(energy_tce, net_electricity_mwh(content, industry.code) * 1000)
        levels = product_levels(content.products, edition, site, ledger)
        intensity = _intensity(emissions.total, content.value_added_wan, ledger)
        power = power_levels(content.power_supply, factors, ledger)
        accounted, methods = coverage(content, industry, ledger)
        return AccountResult(
            year=factors.year,
            industry=industry.code,
            sector=industry.sector.value,
            energy_tce=energy_tce,
            energy=energy,
            emissions=emissions,
            combustion=burnt,
            process=processed,
            products=levels,
            value_added_wan=content.value_added_wan,
            intensity=intensity,
            flags=ledger.flags,
            factors=ledger.factors,
            sector_process=sector,
            gases=gases,
            power=power,
            process_accounted=accounted,
            process_methods=methods,
            co2e_total=emissions.total + _sum([g.co2e for g in gases]),
        )


def _process_coverage(
    content: FilingContent, industry: IndustryClass, edition: BenchmarkEdition | None, ledger: Ledger
) -> None:
    """PROCESS_NOT_COVERED for a class whose process CO2 v1 does not account, unless the edition's
    rule for the class names every product filed (at least one): then PROCESS_COVERED_BY_PRODUCTS.
    An edition without a rule (every edition loaded before the rule existed) keeps the class flag,
    so a rating pinned to it recomputes as it was signed."""
    if not industry.v1_process_not_covered:
        return
    rule = edition.coverage(industry.code) if edition is not None else None
    filed = {line.product for line in content.products}
    if rule is not None and filed and filed <= set(rule.products):
        ledger.flag(Flag.PROCESS_COVERED_BY_PRODUCTS)
    else:
        ledger.flag(Flag.PROCESS_NOT_COVERED)


def _emissions(
    *, combustion: Decimal, process: Decimal, captured: Decimal, electricity: Decimal, heat: Decimal
) -> Emissions:
    scope1 = combustion + process - captured
    scope2 = electricity + heat
    return Emissions(
        combustion=combustion,
        process=process,
        captured=captured,
        electricity=electricity,
        heat=heat,
        scope1=scope1,
        scope2=scope2,
        total=scope1 + scope2,
    )


def _intensity(total: Decimal, value_added: Decimal | None, ledger: Ledger) -> Decimal | None:
    """L = CO2 ÷ value added, tCO2 per 万元; none without a positive value added."""
    if value_added is None:
        ledger.flag(Flag.NO_VALUE_ADDED)
        return None
    if value_added <= 0:
        ledger.flag(Flag.VALUE_ADDED_NOT_POSITIVE)
        return None
    return total / value_added
