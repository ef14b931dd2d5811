"""Steel (GB/T 32151.5-2015; NDRC 《中国钢铁生产企业温室气体排放核算方法与报告指南（试行）》).

Process:  E_process = Σ consumed_i × EF_i   (熔剂 limestone, dolomite; 电极; 外购生铁, 直接还原铁, 铁合金)
Fixed:    R_fixed   = Σ fixed_j × EF_j      (固碳产品: crude steel, pig iron, methanol sold), deducted
Gases:    a gas the works makes (blast-furnace, coke-oven, converter gas) carries carbon of the coke
          and coal already counted as fuel: burnt on site it is not counted again, and an energy line
          of the same gas is refused (it would count that carbon twice). Exported, it leaves the
          boundary: exported × NCV × carbon content × oxidation × 44/12 is deducted, as the
          guideline's net consumption (consumption − export) of the fuel does.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import SectorItem
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import ByproductGas, FilingContent, SteelMaterial
from domain.numbers import carbon_to_co2
from domain.units import to_base_unit

__all__ = ["check_gases_not_filed_as_fuel", "steel"]


def _factor(at: str, line: SteelMaterial, factors: FactorSet, ledger: Ledger) -> tuple[Decimal, str | None]:
    if line.factor is not None:
        return line.factor, "measured"
    default = factors.process_default(f"steel.{line.material}")
    if default is None:
        raise InvalidField(f"{at}.factor", f"no default factor for {line.material!r}; file the measured value (tCO2/t)")
    return ledger.use(default.code, default.value).value, None


def _material(at: str, line: SteelMaterial, factors: FactorSet, ledger: Ledger) -> SectorItem:
    factor, measured = _factor(at, line, factors, ledger)
    sign = 1 if line.use == "consumed" else -1
    return SectorItem(
        line=at,
        family="steel",
        kind=line.use,
        material=line.material,
        quantity=line.quantity_t,
        unit="t",
        factor=factor,
        factor_unit="tCO2/t",
        co2=sign * line.quantity_t * factor,
        note=measured,
    )


def _parameter(at: str, name: str, measured: Decimal | None, gas: str, factors: FactorSet, ledger: Ledger) -> Decimal:
    if measured is not None:
        return measured
    carrier = factors.carrier(gas)
    default = getattr(carrier, name) if carrier is not None else None
    if default is None:
        raise InvalidField(f"{at}.{name}", f"no default {name} for {gas}; file the measured value")
    return ledger.use(f"carriers.{gas}.{name}", default).value


def _export(at: str, line: ByproductGas, factors: FactorSet, ledger: Ledger) -> SectorItem:
    exported = to_base_unit(f"{at}.unit", line.exported, line.unit, "gas")
    ncv = _parameter(at, "ncv", line.ncv, line.gas, factors, ledger)
    content = _parameter(at, "carbon_content", line.carbon_content, line.gas, factors, ledger)
    oxidation = _parameter(at, "oxidation", line.oxidation, line.gas, factors, ledger)
    carbon = exported * ncv * content
    return SectorItem(
        line=at,
        family="steel",
        kind="gas_export",
        material=line.gas,
        quantity=exported,
        unit="10^4Nm3",
        factor=ncv * content,
        factor_unit="tC/10^4Nm3",
        carbon_t=-carbon,
        co2=-carbon_to_co2(carbon * oxidation),
        note="exported: deducted; burnt on site: already counted in the coke and coal that made it",
    )


def check_gases_not_filed_as_fuel(content: FilingContent) -> None:
    """A self-made gas filed again as a fuel line would count its carbon twice: refused."""
    made = {g.gas: i for i, g in enumerate(content.byproduct_gases)}
    for i, line in enumerate(content.energy):
        if line.use == "fuel" and line.carrier in made:
            raise InvalidField(
                f"energy[{i}].carrier",
                f"{line.carrier} is made on site (byproduct_gases[{made[line.carrier]}]): its carbon is counted in the "
                "coke and coal that made it; file only bought-in gas as energy, or file it as byproduct_gases",
            )


def steel(content: FilingContent, factors: FactorSet, ledger: Ledger) -> list[SectorItem]:
    items = [_material(f"steel_materials[{i}]", m, factors, ledger) for i, m in enumerate(content.steel_materials)]
    for i, gas in enumerate(content.byproduct_gases):
        if gas.exported:
            items.append(_export(f"byproduct_gases[{i}]", gas, factors, ledger))
    return items
