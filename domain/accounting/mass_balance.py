"""The carbon mass balance: coking, coal chemicals, ammonia feedstock, ethylene, hydrogen, soda ash.

Per process unit (GB/T 32151.10-2015 化工生产企业; the NDRC 化工, 石油化工 and 独立焦化
guidelines, 化石燃料和其它碳氢化合物用作原材料):

    E = (Σ in·C − Σ out·C − Σ waste·C) × 44/12

C is the line's filed carbon content (tC/t, tC/10^4Nm3) or the factor set's `carbon.<material>`.
The unit's carbon is summed first and multiplied by 44/12 once, as the formula is printed; each
line shows its carbon, the unit's `balance` item its CO2. Carbon fixed in a product (urea,
methanol, soda ash) is an `out` line; CO2 recovered for sale or storage is filed in captured[].
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import SectorItem
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import MassBalanceLine
from domain.numbers import carbon_to_co2

__all__ = ["mass_balance"]

_SIGN = {"in": 1, "out": -1, "waste": -1}


def _carbon_content(at: str, line: MassBalanceLine, factors: FactorSet, ledger: Ledger) -> tuple[Decimal, str | None]:
    if line.carbon_content is not None:
        return line.carbon_content, "measured"
    default = factors.process_default(f"carbon.{line.material}")
    if default is None:
        raise InvalidField(
            f"{at}.carbon_content", f"no default carbon content for {line.material!r}; file the measured value"
        )
    expected = "tC/t" if line.unit == "t" else "tC/10^4Nm3"
    if default.value.unit != expected:
        raise InvalidField(
            f"{at}.unit", f"the default for {line.material!r} is in {default.value.unit}, not {expected}"
        )
    return ledger.use(default.code, default.value).value, None


def mass_balance(lines: list[MassBalanceLine], factors: FactorSet, ledger: Ledger) -> list[SectorItem]:
    """Each line's carbon, then one `balance` item per process unit, in the order units first appear."""
    items: list[SectorItem] = []
    units: dict[str, Decimal] = {}
    for i, line in enumerate(lines):
        at = f"mass_balance[{i}]"
        content, measured = _carbon_content(at, line, factors, ledger)
        carbon = _SIGN[line.flow] * line.quantity * content
        units[line.process_unit] = units.get(line.process_unit, Decimal(0)) + carbon
        items.append(
            SectorItem(
                line=at,
                family="mass_balance",
                kind=line.flow,
                material=line.material,
                quantity=line.quantity,
                unit=line.unit,
                factor=content,
                factor_unit=f"tC/{line.unit}",
                carbon_t=carbon,
                note=measured,
            )
        )
    for unit, carbon in units.items():
        items.append(
            SectorItem(
                line=f"mass_balance:{unit}",
                family="mass_balance",
                kind="balance",
                material=unit,
                quantity=carbon,
                unit="tC",
                factor=Decimal(44) / 12,
                factor_unit="tCO2/tC",
                carbon_t=carbon,
                co2=carbon_to_co2(carbon),
            )
        )
    return items
