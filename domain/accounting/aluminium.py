"""Primary aluminium (NDRC 《中国电解铝生产企业温室气体排放核算方法与报告指南（试行）》).

Anode:  E_anode = P × NC × (1 − S_a − A_a) × 44/12
        P primary aluminium (t), NC net anode consumption (t/t Al), S_a and A_a the anode's sulphur
        and ash mass fractions.
PFC:    CF4 = P × EF_CF4 ÷ 1000, C2F6 = P × EF_C2F6 ÷ 1000 (t of gas; EF in kg per t Al), reported
        by gas and as CO2e at the factor set's GWP: E_PFC = (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) × P × 10⁻³.
Magnesium's dolomite calcination is a carbonates[] line (CaMg(CO3)2) and its semi-coke a mass_balance line.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.gases import gas_item
from domain.accounting.ledger import Ledger
from domain.accounting.result import GasItem, SectorItem
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import AluminiumLine
from domain.numbers import carbon_to_co2

__all__ = ["aluminium"]


def _value(at: str, name: str, filed: Decimal | None, code: str, factors: FactorSet, ledger: Ledger) -> Decimal:
    if filed is not None:
        return filed
    default = factors.process_default(code)
    if default is None:
        raise InvalidField(f"{at}.{name}", f"the factor set has no default {code}; file the measured value")
    return ledger.use(code, default.value).value


def aluminium(lines: list[AluminiumLine], factors: FactorSet, ledger: Ledger) -> tuple[list[SectorItem], list[GasItem]]:
    items: list[SectorItem] = []
    gases: list[GasItem] = []
    for i, line in enumerate(lines):
        at = f"aluminium[{i}]"
        p = line.primary_aluminium_t
        nc = _value(
            at, "anode_net_consumption", line.anode_net_consumption, "aluminium.anode_net_consumption", factors, ledger
        )
        s = _value(at, "anode_sulphur", line.anode_sulphur, "aluminium.anode_sulphur", factors, ledger)
        a = _value(at, "anode_ash", line.anode_ash, "aluminium.anode_ash", factors, ledger)
        carbon_per_t = nc * (1 - s - a)
        items.append(
            SectorItem(
                line=at,
                family="aluminium",
                kind="anode",
                material="carbon_anode",
                quantity=p,
                unit="t",
                factor=carbon_per_t,
                factor_unit="tC/t Al",
                carbon_t=p * carbon_per_t,
                co2=carbon_to_co2(p * carbon_per_t),
                note="P × NC × (1 − S − A) × 44/12",
            )
        )
        cf4 = _value(at, "cf4_kg_per_t", line.cf4_kg_per_t, "aluminium.cf4", factors, ledger)
        c2f6 = _value(at, "c2f6_kg_per_t", line.c2f6_kg_per_t, "aluminium.c2f6", factors, ledger)
        gases.append(gas_item(at, "CF4", p * cf4 / 1000, factors, ledger))
        gases.append(gas_item(at, "C2F6", p * c2f6 / 1000, factors, ledger))
    return items, gases
