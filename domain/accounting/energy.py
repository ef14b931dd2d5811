"""Energy use in tonnes of standard coal (tce), after GB/T 2589-2020.

A carrier with an NCV (measured or default) counts quantity × NCV ÷ 29.3076 GJ/tce; one
without uses its standard-coal coefficient. Electricity counts at its 当量值
(kgce/kWh) and heat at kgce/MJ. Exports are deducted, except for power and CHP
producers (GB/T 4754-2017 4411, 4412), whose exported power and heat are their product.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import EnergyItem
from domain.errors import InvalidField
from domain.factors import CarrierFactors, FactorSet
from domain.filings import EnergyLine, FilingContent
from domain.numbers import GJ_PER_TCE
from domain.units import BASE_UNIT, to_base_unit

__all__ = ["POWER_PRODUCERS", "carrier_tce", "site_energy"]

# GB/T 4754-2017 4411 火力发电, 4412 热电联产: exported power and heat are their product.
POWER_PRODUCERS = frozenset({"4411", "4412"})


def carrier_tce(at: str, line: EnergyLine, carrier: CarrierFactors, ledger: Ledger) -> EnergyItem:
    state = carrier.state.value
    quantity = to_base_unit(f"{at}.unit", line.quantity, line.unit, state)
    if line.ncv is not None:
        tce, method = quantity * line.ncv / GJ_PER_TCE, "ncv"
    elif carrier.ncv is not None:
        ncv = ledger.use(f"carriers.{carrier.code}.ncv", carrier.ncv).value
        tce, method = quantity * ncv / GJ_PER_TCE, "ncv"
    elif carrier.coal_equivalent is not None:
        coefficient = ledger.use(f"carriers.{carrier.code}.coal_equivalent", carrier.coal_equivalent).value
        # kgce/kg is tce/t; kgce/m3 times 10^4 m3 is 10 tce.
        tce, method = quantity * coefficient * (10 if state == "gas" else 1), "coal_equivalent"
    else:
        raise InvalidField(f"{at}.ncv", f"the factor set has no NCV or coefficient for {carrier.code}; file the NCV")
    return EnergyItem(line=at, what=carrier.code, quantity=quantity, unit=BASE_UNIT[state], method=method, tce=tce)


def net_electricity_mwh(content: FilingContent, industry: str) -> Decimal:
    """Electricity used on site: purchased, less exports unless exports are the product."""
    e = content.electricity
    return e.purchased_mwh - (0 if industry in POWER_PRODUCERS else e.exported_mwh)


def site_energy(
    content: FilingContent, factors: FactorSet, industry: str, heat_gj: list[tuple[str, str, Decimal]], ledger: Ledger
) -> list[EnergyItem]:
    """Every energy item of the site: carriers, then net electricity, then net heat."""
    items = []
    for i, line in enumerate(content.energy):
        carrier = factors.carrier(line.carrier)
        if carrier is None:
            raise InvalidField(f"energy[{i}].carrier", f"{line.carrier!r} is not a carrier of the {factors.year} set")
        items.append(carrier_tce(f"energy[{i}]", line, carrier, ledger))
    mwh = net_electricity_mwh(content, industry)
    if mwh:
        coefficient = ledger.use("electricity_coal_equivalent", factors.electricity_coal_equivalent).value
        items.append(  # kgce/kWh is tce/MWh
            EnergyItem(
                line="electricity",
                what="electricity",
                quantity=mwh,
                unit="MWh",
                method="electricity_equivalent",
                tce=mwh * coefficient,
            )
        )
    exports_count = industry not in POWER_PRODUCERS
    for at, direction, gj in heat_gj:
        if direction == "exported" and not exports_count:
            continue
        coefficient = ledger.use("heat_coal_equivalent", factors.heat_coal_equivalent).value
        sign = -1 if direction == "exported" else 1
        # kgce/MJ × 1000 MJ/GJ ÷ 1000 kgce/tce: tce per GJ has the same figure.
        items.append(
            EnergyItem(
                line=at,
                what="heat",
                quantity=sign * gj,
                unit="GJ",
                method="heat_equivalent",
                tce=sign * gj * coefficient,
            )
        )
    return items
