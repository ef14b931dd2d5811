"""Non-CO2 gases as CO2e, at the GWP the factor set carries (`gwp.<gas>`).

The shipped sets carry the IPCC Second Assessment Report's 100-year values, those of the NDRC
2013–2015 industry guidelines (domain/data/gwp.csv, where AR5 is kept too): a set loaded with
another table accounts with that one, and every account names the GWP it used.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import GasItem
from domain.errors import InvalidField
from domain.factors import FactorSet

__all__ = ["gas_item"]


def gas_item(at: str, gas: str, tonnes: Decimal, factors: FactorSet, ledger: Ledger) -> GasItem:
    code = f"gwp.{gas}"
    gwp = factors.process_default(code)
    if gwp is None:
        raise InvalidField(at, f"the {factors.year} factor set has no GWP for {gas}; load a set with a GWP table")
    value = ledger.use(code, gwp.value).value
    return GasItem(line=at, gas=gas, quantity_t=tonnes, gwp=value, co2e=tonnes * value)
