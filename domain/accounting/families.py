"""The process families: which line kinds account a class's process emissions, and the
v2 signal `process_accounted` (PROCESS_NOT_COVERED is left exactly as v1 decides it).

domain/data/process_families.csv names, for each class v1 flags PROCESS_NOT_COVERED, the line
kinds whose method accounts its process and feedstock emissions, with the guideline behind it.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from domain.accounting.aluminium import aluminium
from domain.accounting.ledger import Ledger
from domain.accounting.mass_balance import mass_balance
from domain.accounting.nitrogen import nitrous_oxide
from domain.accounting.result import Flag, GasItem, SectorItem
from domain.accounting.steel import steel
from domain.factors import FactorSet
from domain.filings import FilingContent
from domain.industry import IndustryClass

__all__ = ["coverage", "family_lines", "process_families", "sector_process"]


@cache
def process_families() -> dict[str, tuple[str, ...]]:
    text = resources.files("domain.data").joinpath("process_families.csv").read_text("utf-8")
    return {row["industry"]: tuple(row["lines"].split(";")) for row in csv.DictReader(text.splitlines())}


def family_lines(content: FilingContent) -> list[str]:
    """The families whose lines the filing has, in a fixed order."""
    present = {
        "mass_balance": bool(content.mass_balance),
        "steel": bool(content.steel_materials or content.byproduct_gases),
        "aluminium": bool(content.aluminium),
        "nitrous_oxide": bool(content.nitrous_oxide),
        "carbonates": bool(content.carbonates),
    }
    return [name for name, there in present.items() if there]


def sector_process(
    content: FilingContent, factors: FactorSet, ledger: Ledger
) -> tuple[list[SectorItem], list[GasItem]]:
    items = mass_balance(content.mass_balance, factors, ledger)
    items += steel(content, factors, ledger)
    anodes, pfc = aluminium(content.aluminium, factors, ledger)
    return items + anodes, pfc + nitrous_oxide(content.nitrous_oxide, factors, ledger)


def coverage(content: FilingContent, industry: IndustryClass, ledger: Ledger) -> tuple[bool, list[str]]:
    """(process_accounted, process_methods). v1 accounts a class without the class flag, or one
    the edition's product rule covers; otherwise a family line the class's row names must be there."""
    present = family_lines(content)
    methods = [f for f in present if f != "carbonates"]
    if not industry.v1_process_not_covered or Flag.PROCESS_COVERED_BY_PRODUCTS in ledger.flags:
        return True, methods
    fits = [f for f in process_families().get(industry.code, ()) if f in present]
    return bool(fits), sorted(set(methods) | set(fits), key=present.index)
