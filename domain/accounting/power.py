"""Power and CHP units (4411, 4412): 供电煤耗 and 供热煤耗, beside the national coal-power level.

    供电煤耗 (gce/kWh) = coal for power (tce) × 10^6 g/t ÷ (power supplied (MWh) × 1000 kWh/MWh)
    供热煤耗 (kgce/GJ) = coal for heat (tce) × 1000 kg/t ÷ heat supplied (GJ)

The national level is the factor set's `power.national_supply_coal_rate` (the nearest published
year's national average; domain/data/coal_power_levels.csv, with its source).
"""

from __future__ import annotations

from domain.accounting.ledger import Ledger
from domain.accounting.result import PowerResult
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import PowerSupplyLine

__all__ = ["power_levels"]


def power_levels(lines: list[PowerSupplyLine], factors: FactorSet, ledger: Ledger) -> list[PowerResult]:
    out = []
    for i, line in enumerate(lines):
        at = f"power_supply[{i}]"
        if line.power_supplied_mwh <= 0:
            raise InvalidField(f"{at}.power_supplied_mwh", "the power supplied must be greater than zero")
        national = factors.process_default("power.national_supply_coal_rate")
        if national is None:
            raise InvalidField(at, f"the {factors.year} factor set has no national coal-power level")
        level = ledger.use(national.code, national.value).value
        rate = line.coal_for_power_tce * 1000 / line.power_supplied_mwh  # tce × 10^6 ÷ (MWh × 1000)
        heat = line.coal_for_heat_tce * 1000 / line.heat_supplied_gj if line.heat_supplied_gj else None
        out.append(
            PowerResult(
                line=at,
                unit_name=line.unit_name,
                supply_coal_rate=rate,
                heat_coal_rate=heat,
                national_supply_coal_rate=level,
                better_than_national=rate <= level,
            )
        )
    return out
