"""The checks the process families' lines must pass to be kept, each naming its line.

Run with the v1 checks on every create and edit (domain/accounting/validate.py): a negative
quantity, a fraction outside [0, 1], a gas unit that does not fit, more gas burnt and exported
than made, or a made gas filed again as a fuel line is refused.
"""

from __future__ import annotations

import re

from domain.accounting.steel import check_gases_not_filed_as_fuel
from domain.accounting.validate import _finite, _fraction, _non_negative
from domain.errors import InvalidField
from domain.filings import FilingContent
from domain.units import UNITS

__all__ = ["validate_sector"]

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _name(field: str, value: str) -> None:
    if not _NAME.match(value):
        raise InvalidField(field, "a code of lower-case letters, digits and _ (at most 40), e.g. coke_oven")


def _positive_measured(field: str, value: object) -> None:
    _non_negative(field, value)  # type: ignore[arg-type]
    if value == 0:
        raise InvalidField(field, "a measured value must be greater than zero")


def _mass_balance(content: FilingContent) -> None:
    for i, line in enumerate(content.mass_balance):
        at = f"mass_balance[{i}]"
        _name(f"{at}.material", line.material)
        _name(f"{at}.process_unit", line.process_unit)
        _non_negative(f"{at}.quantity", line.quantity)
        if line.unit == "t":
            _fraction(f"{at}.carbon_content", line.carbon_content)
        else:
            _non_negative(f"{at}.carbon_content", line.carbon_content)


def _steel(content: FilingContent) -> None:
    for i, m in enumerate(content.steel_materials):
        _name(f"steel_materials[{i}].material", m.material)
        _non_negative(f"steel_materials[{i}].quantity_t", m.quantity_t)
        _non_negative(f"steel_materials[{i}].factor", m.factor)
    seen: set[str] = set()
    for i, g in enumerate(content.byproduct_gases):
        at = f"byproduct_gases[{i}]"
        if g.gas in seen:
            raise InvalidField(f"{at}.gas", f"{g.gas} is filed twice; one line a gas")
        seen.add(g.gas)
        if g.unit not in UNITS["gas"]:
            raise InvalidField(f"{at}.unit", f"{g.unit!r} does not fit a gas; use one of {', '.join(UNITS['gas'])}")
        for name in ("produced", "burnt_on_site", "exported"):
            _non_negative(f"{at}.{name}", getattr(g, name))
        if g.burnt_on_site + g.exported > g.produced:
            raise InvalidField(f"{at}.exported", "burnt on site plus exported cannot exceed what was produced")
        _positive_measured(f"{at}.ncv", g.ncv)
        _positive_measured(f"{at}.carbon_content", g.carbon_content)
        _fraction(f"{at}.oxidation", g.oxidation, open_at_zero=True)
    check_gases_not_filed_as_fuel(content)


def _aluminium(content: FilingContent) -> None:
    for i, a in enumerate(content.aluminium):
        at = f"aluminium[{i}]"
        _non_negative(f"{at}.primary_aluminium_t", a.primary_aluminium_t)
        _non_negative(f"{at}.anode_net_consumption", a.anode_net_consumption)
        _fraction(f"{at}.anode_sulphur", a.anode_sulphur)
        _fraction(f"{at}.anode_ash", a.anode_ash)
        if (a.anode_sulphur or 0) + (a.anode_ash or 0) >= 1:
            raise InvalidField(f"{at}.anode_ash", "sulphur plus ash must be less than the whole anode")
        _non_negative(f"{at}.cf4_kg_per_t", a.cf4_kg_per_t)
        _non_negative(f"{at}.c2f6_kg_per_t", a.c2f6_kg_per_t)


def _nitrous_and_power(content: FilingContent) -> None:
    for i, n in enumerate(content.nitrous_oxide):
        at = f"nitrous_oxide[{i}]"
        _non_negative(f"{at}.output_t", n.output_t)
        _non_negative(f"{at}.factor_kg_per_t", n.factor_kg_per_t)
        _fraction(f"{at}.removal", n.removal)
        _fraction(f"{at}.abated_share", n.abated_share)
    for i, p in enumerate(content.power_supply):
        at = f"power_supply[{i}]"
        _name(f"{at}.unit_name", p.unit_name)
        for name in ("power_supplied_mwh", "coal_for_power_tce", "heat_supplied_gj", "coal_for_heat_tce"):
            _non_negative(f"{at}.{name}", getattr(p, name))
        if p.power_supplied_mwh == 0:
            raise InvalidField(f"{at}.power_supplied_mwh", "the power supplied must be greater than zero")
        if p.coal_for_heat_tce and not p.heat_supplied_gj:
            raise InvalidField(f"{at}.heat_supplied_gj", "coal for heat needs the heat supplied")
    _finite("value_added_wan", content.value_added_wan)


def validate_sector(content: FilingContent) -> None:
    """Raise InvalidField for the first process-family line that is wrong."""
    _mass_balance(content)
    _steel(content)
    _aluminium(content)
    _nitrous_and_power(content)
