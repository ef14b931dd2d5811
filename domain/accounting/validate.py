"""The checks a filing's lines must pass to be kept at all, each naming its line.

Run on every create and edit (a draft may be incomplete, but never wrong): an unknown
carrier, carbonate or product, a unit that does not fit, a negative quantity or a
fraction outside [0, 1] is refused. Completeness (value added, measured values without
a default) is checked on submit, when the account must compute.
"""

from __future__ import annotations

from decimal import Decimal

from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import FilingContent, ProductLine
from domain.products import EnergyBasis, find_product
from domain.units import UNITS

__all__ = ["validate_content", "validate_for_submit"]

_ENERGY_UNITS = {EnergyBasis.COAL_EQUIVALENT: ("tce", "kgce"), EnergyBasis.ELECTRICITY: ("kWh", "MWh")}


MAX_MAGNITUDE = Decimal("1e15")
"""No filed quantity reaches this (the largest plant's kWh a year is ~10^10): beyond it is a typo."""
MAX_DECIMALS = 12
"""Places after the point a filed number may carry: no meter reads finer."""


def _finite(field: str, value: Decimal | None) -> None:
    if value is None:
        return
    if not value.is_finite():
        raise InvalidField(field, "must be a finite number")
    if abs(value) >= MAX_MAGNITUDE:
        raise InvalidField(field, f"must be less than {MAX_MAGNITUDE:,.0f} in size")
    exponent = value.normalize().as_tuple().exponent  # trailing zeros do not count
    if value != 0 and isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise InvalidField(field, f"has more than {MAX_DECIMALS} decimal places")


def _non_negative(field: str, value: Decimal | None) -> None:
    _finite(field, value)
    if value is not None and value < 0:
        raise InvalidField(field, "must not be negative")


def _fraction(field: str, value: Decimal | None, *, open_at_zero: bool = False) -> None:
    _finite(field, value)
    if value is not None and (value < 0 or value > 1 or (open_at_zero and value == 0)):
        raise InvalidField(field, "is a fraction: " + ("0 < x ≤ 1" if open_at_zero else "0 ≤ x ≤ 1"))


def _energy(content: FilingContent, factors: FactorSet) -> None:
    for i, line in enumerate(content.energy):
        at = f"energy[{i}]"
        carrier = factors.carrier(line.carrier)
        if carrier is None:
            known = ", ".join(c.code for c in factors.carriers)
            raise InvalidField(
                f"{at}.carrier", f"{line.carrier!r} is not a carrier of the {factors.year} set ({known})"
            )
        if line.unit not in UNITS[carrier.state.value]:
            fits = ", ".join(UNITS[carrier.state.value])
            raise InvalidField(f"{at}.unit", f"{line.unit!r} does not fit {carrier.code} ({carrier.state}); use {fits}")
        _non_negative(f"{at}.quantity", line.quantity)
        for name in ("ncv", "carbon_content"):
            value = getattr(line, name)
            _non_negative(f"{at}.{name}", value)
            if value == 0:
                raise InvalidField(f"{at}.{name}", "a measured value must be greater than zero")
        if line.carbon_content_basis == "mass_fraction":
            _fraction(f"{at}.carbon_content", line.carbon_content, open_at_zero=True)
        _fraction(f"{at}.oxidation", line.oxidation, open_at_zero=True)


def _electricity_and_heat(content: FilingContent) -> None:
    e = content.electricity
    for name in ("purchased_mwh", "exported_mwh", "green_certified_mwh"):
        _non_negative(f"electricity.{name}", getattr(e, name))
    if e.green_certified_mwh > e.purchased_mwh:
        raise InvalidField("electricity.green_certified_mwh", "cannot exceed the electricity purchased")
    for i, line in enumerate(content.heat):
        _non_negative(f"heat[{i}].quantity", line.quantity)
        _finite(f"heat[{i}].pressure_mpa", line.pressure_mpa)
        _finite(f"heat[{i}].temperature_c", line.temperature_c)
        if line.unit == "t_steam" and (line.pressure_mpa is None or line.temperature_c is None):
            missing = "pressure_mpa" if line.pressure_mpa is None else "temperature_c"
            raise InvalidField(
                f"heat[{i}].{missing}", "steam in tonnes needs its pressure (MPa, absolute) and temperature (°C)"
            )


def _product(i: int, line: ProductLine) -> None:
    at = f"products[{i}]"
    product = find_product(f"{at}.product", line.product)
    _non_negative(f"{at}.output", line.output)
    _non_negative(f"{at}.capacity", line.capacity)
    _finite(f"{at}.energy", line.energy)  # may be negative: a BOF converter exports energy
    for name, value in line.attributes.items():
        if name not in product.attributes:
            allowed = ", ".join(sorted(product.attributes)) or "none"
            raise InvalidField(
                f"{at}.attributes.{name}", f"{product.code} takes no attribute {name!r} (allowed: {allowed})"
            )
        _finite(f"{at}.attributes.{name}", value)
    if line.energy is not None:
        units = _ENERGY_UNITS[product.energy_basis]
        if line.energy_unit not in units:
            raise InvalidField(
                f"{at}.energy_unit", f"{product.code} ({product.unit}) takes its energy in {' or '.join(units)}"
            )


def _process(content: FilingContent, factors: FactorSet) -> None:
    for i, c in enumerate(content.clinker):
        at = f"clinker[{i}]"
        _non_negative(f"{at}.output_t", c.output_t)
        for name in ("cao_fraction", "mgo_fraction", "noncarbonate_cao_fraction", "noncarbonate_mgo_fraction"):
            _fraction(f"{at}.{name}", getattr(c, name))
        if c.noncarbonate_cao_fraction > c.cao_fraction or c.noncarbonate_mgo_fraction > c.mgo_fraction:
            raise InvalidField(f"{at}.noncarbonate_cao_fraction", "the non-carbonate part cannot exceed the total")
    for i, line in enumerate(content.carbonates):
        if factors.carbonate(line.carbonate) is None:
            known = ", ".join(c.code for c in factors.carbonates)
            raise InvalidField(f"carbonates[{i}].carbonate", f"{line.carbonate!r} is not a known carbonate ({known})")
        _non_negative(f"carbonates[{i}].quantity_t", line.quantity_t)
        _fraction(f"carbonates[{i}].purity", line.purity, open_at_zero=True)
    for i, capture in enumerate(content.captured):
        _non_negative(f"captured[{i}].quantity_t", capture.quantity_t)


def validate_content(content: FilingContent, factors: FactorSet) -> None:
    """Raise InvalidField for the first line that is wrong (whatever the draft still lacks)."""
    _energy(content, factors)
    _electricity_and_heat(content)
    for i, line in enumerate(content.products):
        _product(i, line)
    _process(content, factors)
    _finite("value_added_wan", content.value_added_wan)
    _non_negative("output_value_wan", content.output_value_wan)
    from domain.accounting.validate_sector import validate_sector  # its checks import these helpers

    validate_sector(content)


def validate_for_submit(content: FilingContent) -> None:
    if content.value_added_wan is None:
        raise InvalidField("value_added_wan", "value added (万元) is required to submit a filing")
