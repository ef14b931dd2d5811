"""Indirect CO2 from purchased electricity and heat.

Electricity: (purchased − exported − certified green) MWh × the year's grid factor, the
national average excluding market-traded non-fossil power (MEE/NBS notices, Table 4);
power and CHP producers get no export credit. Heat: (purchased − exported) GJ ×
0.11 tCO2/GJ; steam filed in tonnes is counted in GJ by its IF97 enthalpy.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.energy import POWER_PRODUCERS
from domain.accounting.ledger import Ledger
from domain.accounting.result import Flag
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import FilingContent, HeatLine
from domain.steam import steam_heat_gj

__all__ = ["electricity_co2", "heat_co2", "heat_in_gj"]


def _heat_gj(at: str, line: HeatLine) -> Decimal:
    if line.unit == "GJ":
        return line.quantity
    if line.pressure_mpa is None or line.temperature_c is None:
        raise InvalidField(f"{at}.pressure_mpa", "steam in tonnes needs its pressure (MPa, absolute) and temperature")
    try:
        return steam_heat_gj(line.quantity, line.pressure_mpa, line.temperature_c)
    except InvalidField as exc:
        raise InvalidField(f"{at}.{exc.field}", exc.reason) from exc


def heat_in_gj(content: FilingContent) -> list[tuple[str, str, Decimal]]:
    """(line, direction, GJ) for every heat line."""
    return [(f"heat[{i}]", line.direction, _heat_gj(f"heat[{i}]", line)) for i, line in enumerate(content.heat)]


def electricity_co2(content: FilingContent, factors: FactorSet, industry: str, ledger: Ledger) -> Decimal:
    e = content.electricity
    exported = Decimal(0) if industry in POWER_PRODUCERS else e.exported_mwh
    mwh = e.purchased_mwh - exported - e.green_certified_mwh
    if not mwh:
        return Decimal(0)
    grid = ledger.use("grid_factor", factors.grid_factor)
    if factors.grid_factor.data_year != factors.year:
        ledger.flag(Flag.FACTOR_YEAR_PROXY)
    return mwh * grid.value


def heat_co2(heat: list[tuple[str, str, Decimal]], factors: FactorSet, industry: str, ledger: Ledger) -> Decimal:
    net = Decimal(0)
    for _, direction, gj in heat:
        if direction == "purchased":
            net += gj
        elif industry not in POWER_PRODUCERS:
            net -= gj
    if not net:
        return Decimal(0)
    return net * ledger.use("heat_emission_factor", factors.heat_emission_factor).value
