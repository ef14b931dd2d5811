"""Quantities of energy carriers in their accounting units, with reference conditions.

Solid and liquid carriers are accounted in tonnes, gases in 10^4 Nm³ (0 °C, 101.325 kPa),
the units of the GB/T 32150-2015 Annex B factors. A gas metered at 20 °C converts to 0 °C
by × 273.15/293.15 (ideal gas at equal pressure; design.md, "Units").
"""

from __future__ import annotations

from decimal import Decimal

from domain.errors import InvalidField
from domain.numbers import gas_20c_to_0c

__all__ = ["BASE_UNIT", "UNITS", "to_base_unit"]

BASE_UNIT = {"solid": "t", "liquid": "t", "gas": "10^4Nm3"}
UNITS = {
    "solid": ("t", "kg"),
    "liquid": ("t", "kg"),
    "gas": ("10^4Nm3", "Nm3", "10^4m3@20C", "m3@20C"),
}
_TEN_THOUSAND = Decimal(10_000)


def to_base_unit(field: str, quantity: Decimal, unit: str, state: str) -> Decimal:
    """The quantity in its state's base unit; a unit that does not fit the carrier is refused."""
    if unit not in UNITS[state]:
        raise InvalidField(field, f"{unit!r} does not fit a {state} carrier; use one of {', '.join(UNITS[state])}")
    if unit == "kg":
        return quantity / 1000
    if unit == "Nm3":
        return quantity / _TEN_THOUSAND
    if unit == "10^4m3@20C":
        return gas_20c_to_0c(quantity)
    if unit == "m3@20C":
        return gas_20c_to_0c(quantity) / _TEN_THOUSAND
    return quantity
