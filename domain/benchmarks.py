"""Benchmark editions: 能效标杆水平 / 基准水平 per product, each level with its source.

An edition applies from its first year on (the shipped one: NDRC 发改产业〔2021〕1609号,
kept in 发改产业〔2023〕723号). Each row names a recognised product code, the variant's
attribute ranges, and the two levels; lower is better for every indicator.

An edition also carries, as data beside its rows:
- `unread`: rows the edition has whose 标杆 / 基准 were not read in any source (the 11 areas
  added by 〔2023〕723号). They give no level: a filed product among them is `not_covered`
  and says why. A rating authority loads the values as a new edition version once read.
- `process_coverage`: for a class that version 1 flags PROCESS_NOT_COVERED, the products whose
  own process has no process CO2, with the cited reason. A filing of that class whose every
  product is one of them is covered (design: 2612 is split, chlor-alkali rated, soda ash not).
  The rule travels with the edition a rating pins, so a rating computed under an edition
  without it recomputes as it was signed (methodology v1 ratings recompute byte for byte).
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
from domain.industry import IndustryClass, classify
from domain.products import find_product
from domain.sourced import Confidence, NonEmpty, Sourced, check_value

__all__ = [
    "BenchmarkEdition",
    "BenchmarkRow",
    "Bound",
    "ProcessCoverage",
    "Range",
    "UnreadRow",
    "shipped_benchmark_edition",
    "validate_edition",
]


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


ClassCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class UnreadRow(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A row of the edition whose levels were not read: named, never used for a level."""

    area: Text  # the edition's 领域, e.g. 尿素
    product: str | None = None  # the product code it would rate, if one is recognised yet
    industry_classes: list[ClassCode] = []  # GB/T 4754-2017 classes it applies to
    indicator: Text
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    source: NonEmpty  # where the row's existence was read
    confidence: Confidence  # of the values: UNCONFIRMED (not read)
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class ProcessCoverage(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A PROCESS_NOT_COVERED class, covered for a filing whose every product is one of `products`."""

    industry: ClassCode
    products: list[str]
    reason: NonEmpty
    source: NonEmpty


class BenchmarkEdition(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    effective_from: Year  # the first accounting year it applies to
    rows: list[BenchmarkRow]
    unread: list[UnreadRow] = []  # rows of the edition whose levels were not read
    process_coverage: list[ProcessCoverage] = []  # absent in editions loaded before the 2612 split

    def row(self, product: str) -> BenchmarkRow | None:
        return next((r for r in self.rows if r.product == product), None)

    def unread_row(self, product: str) -> UnreadRow | None:
        return next((r for r in self.unread if r.product == product), None)

    def coverage(self, industry: str) -> ProcessCoverage | None:
        return next((c for c in self.process_coverage if c.industry == industry), None)


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
    _validate_unread(edition, seen)
    _validate_coverage(edition)


def _validate_unread(edition: BenchmarkEdition, rated: set[str]) -> None:
    named: set[str] = set()
    for i, row in enumerate(edition.unread):
        at = f"unread[{i}]"
        if row.product is not None:
            find_product(f"{at}.product", row.product)
            if row.product in rated or row.product in named:
                raise InvalidField(f"{at}.product", f"{row.product!r} already has a row")
            named.add(row.product)
        for j, code in enumerate(row.industry_classes):
            _class(f"{at}.industry_classes[{j}]", code)
        if row.confidence is not Confidence.UNCONFIRMED:
            raise InvalidField(f"{at}.confidence", "a row whose levels were not read is UNCONFIRMED; give it levels")


def _validate_coverage(edition: BenchmarkEdition) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(edition.process_coverage):
        at = f"process_coverage[{i}]"
        industry = _class(f"{at}.industry", rule.industry)
        if not industry.v1_process_not_covered:
            raise InvalidField(f"{at}.industry", f"{rule.industry} is covered already: no rule is needed")
        if rule.industry in seen:
            raise InvalidField(f"{at}.industry", f"{rule.industry!r} appears twice")
        seen.add(rule.industry)
        if not rule.products:
            raise InvalidField(f"{at}.products", "name at least one product")
        for j, code in enumerate(rule.products):
            find_product(f"{at}.products[{j}]", code)


def _class(field: str, code: str) -> IndustryClass:
    try:
        return classify(code)
    except InvalidField as exc:
        raise InvalidField(field, exc.reason) from exc


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
        unread=_shipped_unread(),
        process_coverage=_shipped_coverage(),
    )


def _csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(resources.files("domain.data").joinpath(name).read_text("utf-8").splitlines()))


def _codes(spec: str) -> list[str]:
    return [c for c in spec.split(";") if c]


def _shipped_unread() -> list[UnreadRow]:
    """The 11 areas 〔2023〕723号 added, their levels not read (benchmarks_ndrc_2023_unread.csv)."""
    return [
        UnreadRow(
            area=row["area"],
            product=row["product"] or None,
            industry_classes=_codes(row["industry_classes"]),
            indicator=row["indicator"],
            unit=row["unit"],
            source=row["source"],
            confidence=Confidence(row["confidence"]),
            note=row["note"],
        )
        for row in _csv("benchmarks_ndrc_2023_unread.csv")
    ]


def _shipped_coverage() -> list[ProcessCoverage]:
    """Product-based coverage of PROCESS_NOT_COVERED classes, with its reason (process_coverage.csv)."""
    return [
        ProcessCoverage(
            industry=row["industry"], products=_codes(row["products"]), reason=row["reason"], source=row["source"]
        )
        for row in _csv("process_coverage.csv")
    ]
