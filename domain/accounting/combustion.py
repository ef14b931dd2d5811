"""Combustion CO2 (GB/T 32150-2015): fuel lines only; feedstock is energy, not combustion.

Per heat:        quantity × NCV × carbon content (tC/GJ) × oxidation × 44/12
Mass fraction:   quantity (t) × carbon fraction × oxidation × 44/12
Measured values filed on the line take precedence over the factor set's defaults.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import CombustionItem
from domain.errors import InvalidField
from domain.factors import CarrierFactors, FactorSet
from domain.filings import EnergyLine, FilingContent
from domain.numbers import carbon_to_co2
from domain.units import BASE_UNIT, to_base_unit

__all__ = ["combustion"]


def _parameter(
    at: str, name: str, measured: Decimal | None, carrier: CarrierFactors, ledger: Ledger, used: list[str]
) -> Decimal:
    if measured is not None:
        used.append(name)
        return measured
    default = getattr(carrier, name)
    if default is None:
        raise InvalidField(f"{at}.{name}", f"no default {name} for {carrier.code}; file the measured value")
    return ledger.use(f"carriers.{carrier.code}.{name}", default).value


def _line(at: str, line: EnergyLine, carrier: CarrierFactors, ledger: Ledger) -> CombustionItem:
    state = carrier.state.value
    quantity = to_base_unit(f"{at}.unit", line.quantity, line.unit, state)
    measured: list[str] = []
    oxidation = _parameter(at, "oxidation", line.oxidation, carrier, ledger, measured)
    if line.carbon_content_basis == "mass_fraction":
        if line.ncv is not None:  # not used for CO2 here, but measured all the same (data quality)
            measured.append("ncv")
        if state == "gas":
            raise InvalidField(f"{at}.carbon_content_basis", "a mass fraction applies to solid and liquid fuels only")
        fraction = _parameter(at, "carbon_content", line.carbon_content, carrier, ledger, measured)
        ncv, carbon = None, quantity * fraction
    else:
        ncv = _parameter(at, "ncv", line.ncv, carrier, ledger, measured)
        content = _parameter(at, "carbon_content", line.carbon_content, carrier, ledger, measured)
        fraction, carbon = content, quantity * ncv * content
    return CombustionItem(
        line=at,
        carrier=carrier.code,
        quantity=quantity,
        unit=BASE_UNIT[state],
        ncv=ncv,
        carbon_content=fraction,
        carbon_content_basis=line.carbon_content_basis,
        oxidation=oxidation,
        measured=sorted(measured),
        co2=carbon_to_co2(carbon * oxidation),
    )


def combustion(content: FilingContent, factors: FactorSet, ledger: Ledger) -> list[CombustionItem]:
    items = []
    for i, line in enumerate(content.energy):
        carrier = factors.carrier(line.carrier)
        if line.use == "fuel" and carrier is not None:  # unknown carriers are refused by the energy count
            items.append(_line(f"energy[{i}]", line, carrier, ledger))
    return items
