"""The products the platform recognises, each with its indicator's boundary and unit.

A product code fixes the variant, the indicator and its unit (design.md, "Filing").
Power supply's 供电煤耗 in gce/kWh is counted as kgce per MWh supplied: the same figure.
Benchmark editions give levels for some of them; a recognised product without a row
in the edition is accounted but `not_covered`. The list is data (products.csv), each product
with the GB/T 4754-2017 classes it is filed under (the project's mapping, after the NDRC
tables' 国民经济行业 column). A product's name and indicator are part of every account that
names it: they never change (a stored rating recomputes with them).
"""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import cache
from importlib import resources

import msgspec

from domain.errors import InvalidField
from domain.industry import Sector

__all__ = ["EnergyBasis", "Numerator", "OutputUnit", "Product", "find_product", "products"]


class Numerator(StrEnum):
    """What the indicator counts per unit of output."""

    KGCE = "kgce"
    KGOE = "kgoe"  # 1 kgoe = 1.4286 kgce (GB/T 2589-2020)
    KWH = "kWh"


class EnergyBasis(StrEnum):
    """How a product's own energy is filed: as standard coal, or as electricity for kWh indicators."""

    COAL_EQUIVALENT = "coal_equivalent"  # filed in tce or kgce
    ELECTRICITY = "electricity"  # filed in kWh or MWh


class OutputUnit(StrEnum):
    TONNE = "t"
    WEIGHT_BOX = "weight_box"  # 重量箱: 50 kg of 2 mm flat glass
    SQUARE_METRE = "m2"
    MWH = "MWh"
    GJ = "GJ"


class Product(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    sector: Sector
    indicator: str
    unit: str
    numerator: Numerator
    output_unit: OutputUnit
    per_attribute: str | None  # the output is multiplied by this attribute (refining's 能量因数)
    attributes: frozenset[str]  # the attributes a filing may give for it
    industry_classes: tuple[str, ...] = ()  # GB/T 4754-2017 classes it is filed under (products.csv)

    @property
    def energy_basis(self) -> EnergyBasis:
        return EnergyBasis.ELECTRICITY if self.numerator is Numerator.KWH else EnergyBasis.COAL_EQUIVALENT


@cache
def products() -> dict[str, Product]:
    text = resources.files("domain.data").joinpath("products.csv").read_text("utf-8")
    return {
        row["code"]: Product(
            code=row["code"],
            name=row["name"],
            sector=Sector(row["sector"]),
            indicator=row["indicator"],
            unit=row["unit"],
            numerator=Numerator(row["numerator"]),
            output_unit=OutputUnit(row["output_unit"]),
            per_attribute=row["per_attribute"] or None,
            attributes=frozenset(a for a in row["attributes"].split(";") if a),
            industry_classes=tuple(c for c in row["industry_classes"].split(";") if c),
        )
        for row in csv.DictReader(text.splitlines())
    }


def find_product(field: str, code: str) -> Product:
    found = products().get(code)
    if found is None:
        raise InvalidField(field, f"{code!r} is not a recognised product code (GET /v1/benchmark-editions lists them)")
    return found
