"""N2O of nitric and adipic acid (GB/T 32151.10-2015; NDRC 化工 guideline, 硝酸 / 己二酸生产过程).

    N2O (t) = output (t) × EF (kg N2O/t) × (1 − removal × abated share) ÷ 1000

reported by gas and as CO2e. The carbon urea and methanol fix is an `out` line of the carbon
mass balance (domain/accounting/mass_balance.py), at their stoichiometric carbon contents.
"""

from __future__ import annotations

from domain.accounting.gases import gas_item
from domain.accounting.ledger import Ledger
from domain.accounting.result import GasItem
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import NitrousOxideLine

__all__ = ["nitrous_oxide"]


def nitrous_oxide(lines: list[NitrousOxideLine], factors: FactorSet, ledger: Ledger) -> list[GasItem]:
    items = []
    for i, line in enumerate(lines):
        at = f"nitrous_oxide[{i}]"
        if line.factor_kg_per_t is not None:
            factor = line.factor_kg_per_t
        else:
            default = factors.process_default(f"n2o.{line.process}")
            if default is None:
                raise InvalidField(f"{at}.factor_kg_per_t", f"no default N2O factor for {line.process}; file it")
            factor = ledger.use(default.code, default.value).value
        tonnes = line.output_t * factor * (1 - line.removal * line.abated_share) / 1000
        items.append(gas_item(at, "N2O", tonnes, factors, ledger))
    return items
