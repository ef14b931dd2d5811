"""GB/T 4754-2017 industry classes and the 两高 sector each belongs to.

The class list and its sector mapping are data (data/gbt4754_2017_classes.csv, sources
in data/gbt4754_2017_classes.md): the six 两高 sectors are those of 生态环境部
环环评〔2021〕45号; the class-to-sector assignment is the project's, kept beside it.

`v1_process_not_covered` is the class rule. A class may be split by product: the benchmark
edition in force carries the rules (data/process_coverage.csv: 2612 filing only 烧碱 is
covered, 纯碱 is not), so that a rating recomputes under the edition it pins.
"""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import cache
from importlib import resources

import msgspec

from domain.errors import InvalidField

__all__ = ["IndustryClass", "Sector", "classify", "industry_classes"]


class Sector(StrEnum):
    POWER = "power"
    PETROCHEMICAL = "petrochemical"
    CHEMICAL = "chemical"
    BUILDING_MATERIALS = "building_materials"
    STEEL = "steel"
    NONFERROUS = "nonferrous"
    OTHER = "other"


class IndustryClass(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    division: str
    sector: Sector
    v1_process_not_covered: bool


@cache
def industry_classes() -> dict[str, IndustryClass]:
    """Every class the shipped list holds, by code (read once: reference data, not I/O)."""
    text = resources.files("domain.data").joinpath("gbt4754_2017_classes.csv").read_text("utf-8")
    return {
        row["code"]: IndustryClass(
            code=row["code"],
            name=row["name"],
            division=row["division"],
            sector=Sector(row["sector"]),
            v1_process_not_covered=row["v1_process_not_covered"] == "true",
        )
        for row in csv.DictReader(text.splitlines())
    }


def classify(code: str) -> IndustryClass:
    """The class for a 4-digit GB/T 4754-2017 code, or InvalidField naming `industry`."""
    found = industry_classes().get(code)
    if found is None:
        raise InvalidField("industry", f"{code!r} is not a GB/T 4754-2017 class (4 digits, e.g. 3011 水泥制造)")
    return found
