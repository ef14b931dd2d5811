"""Benchmark editions: 能效标杆水平 / 基准水平 per product, each level with its source.

An edition applies from its first year on (the shipped one: NDRC 发改产业〔2021〕1609号,
kept in 发改产业〔2023〕723号). Each row names a recognised product code, the variant's
attribute ranges, and the two levels; lower is better for every indicator.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Annotated

import msgspec

from domain.errors import InvalidField
from domain.factors import Year
from domain.products import find_product
from domain.sourced import Confidence, Sourced, check_value

__all__ = ["BenchmarkEdition", "BenchmarkRow", "Bound", "Range", "shipped_benchmark_edition", "validate_edition"]


class Bound(StrEnum):
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


Range = dict[Bound, Decimal]


class BenchmarkRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    product: str
    variant: Annotated[str, msgspec.Meta(max_length=100)] = ""
    indicator: str
    unit: str
    attribute_ranges: dict[str, Range] = {}
    benchmark: Sourced  # 标杆水平
    baseline: Sourced  # 基准水平


class BenchmarkEdition(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    effective_from: Year  # the first accounting year it applies to
    rows: list[BenchmarkRow]

    def row(self, product: str) -> BenchmarkRow | None:
        return next((r for r in self.rows if r.product == product), None)


def validate_edition(edition: BenchmarkEdition) -> None:
    """Rows name recognised products in their own indicator and unit, once each; 标杆 ≤ 基准."""
    if not edition.rows:
        raise InvalidField("rows", "an edition needs at least one row")
    seen: set[str] = set()
    for i, row in enumerate(edition.rows):
        at = f"rows[{i}]"
        product = find_product(f"{at}.product", row.product)
        if row.product in seen:
            raise InvalidField(f"{at}.product", f"{row.product!r} appears twice")
        seen.add(row.product)
        if row.indicator != product.indicator or row.unit != product.unit:
            raise InvalidField(
                f"{at}.unit", f"{row.product} is measured as {product.indicator} in {product.unit}, not {row.unit}"
            )
        for name, bounds in row.attribute_ranges.items():
            if name not in product.attributes:
                raise InvalidField(f"{at}.attribute_ranges.{name}", f"{row.product} has no attribute {name!r}")
            if not bounds or not all(v.is_finite() for v in bounds.values()):
                raise InvalidField(f"{at}.attribute_ranges.{name}", "give finite bounds (gt, ge, lt, le)")
        check_value(f"{at}.benchmark", row.benchmark, product.unit, positive=False)
        check_value(f"{at}.baseline", row.baseline, product.unit, positive=False)
        if row.benchmark.value > row.baseline.value:
            raise InvalidField(f"{at}.benchmark.value", "标杆 must not exceed 基准 (lower is better)")


_OPS = {">=": Bound.GE, "<=": Bound.LE, ">": Bound.GT, "<": Bound.LT}


def _ranges(spec: str) -> dict[str, Range]:
    """`furnace_capacity_tpd>=500;furnace_capacity_tpd<=800` → {name: {ge: 500, le: 800}}."""
    out: dict[str, Range] = {}
    for part in filter(None, spec.split(";")):
        op = next(op for op in _OPS if op in part)
        name, value = part.split(op)
        out.setdefault(name, {})[_OPS[op]] = Decimal(value)
    return out


@cache
def shipped_benchmark_edition() -> BenchmarkEdition:
    text = resources.files("domain.data").joinpath("benchmarks_ndrc_2021.csv").read_text("utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        product = find_product("product", row["product"])

        def level(column: str, product_unit: str = product.unit, src: dict[str, str] = row) -> Sourced:
            return Sourced(
                value=Decimal(src[column]),
                unit=product_unit,
                source=src["source"],
                confidence=Confidence(src[f"{column}_confidence"]),
            )

        rows.append(
            BenchmarkRow(
                product=product.code,
                variant=row["variant"],
                indicator=product.indicator,
                unit=product.unit,
                attribute_ranges=_ranges(row["attribute_ranges"]),
                benchmark=level("benchmark"),
                baseline=level("baseline"),
            )
        )
    return BenchmarkEdition(
        label="NDRC 能效标杆水平和基准水平 2021年版 (发改产业〔2021〕1609号; kept in 〔2023〕723号)",
        effective_from=2021,
        rows=rows,
    )
