"""Each product's unit energy use in its indicator's unit, and its level against 标杆 / 基准.

The product's own energy is used; the site total only where the filer declared the
product's boundary to be the whole site (LEVEL_FROM_SITE_TOTAL). A missing attribute,
missing energy, no output or no row in the edition gives `not_covered` with its reason.
Level: `benchmark` when u ≤ 标杆, `baseline` when u ≤ 基准, else `below_baseline`.
"""

from __future__ import annotations

from decimal import Decimal

from domain.accounting.ledger import Ledger
from domain.accounting.result import Flag, Level, NotCovered, ProductResult
from domain.benchmarks import BenchmarkEdition, BenchmarkRow, Bound
from domain.filings import ProductLine
from domain.numbers import KGCE_PER_KGOE
from domain.products import Numerator, Product, products

__all__ = ["SiteTotals", "product_levels"]

_BOUND_OK = {
    Bound.GT: lambda v, b: v > b,
    Bound.GE: lambda v, b: v >= b,
    Bound.LT: lambda v, b: v < b,
    Bound.LE: lambda v, b: v <= b,
}


class SiteTotals:
    """The site's totals, for products whose boundary is the whole site."""

    def __init__(self, tce: Decimal, electricity_kwh: Decimal) -> None:
        self.tce, self.electricity_kwh = tce, electricity_kwh


def _numerator(product: Product, line: ProductLine, site: SiteTotals) -> Decimal | None:
    """The product's energy in its indicator's numerator (kgce, kgoe or kWh)."""
    if line.whole_site:
        kgce, kwh = site.tce * 1000, site.electricity_kwh
    elif line.energy is None:
        return None
    else:
        scale = {"tce": 1000, "kgce": 1, "MWh": 1000, "kWh": 1}[line.energy_unit or ""]
        kgce = kwh = line.energy * scale
    return {
        Numerator.KGCE: kgce,
        Numerator.KGOE: kgce / KGCE_PER_KGOE,
        Numerator.KWH: kwh,
    }[product.numerator]


def _level(u: Decimal, row: BenchmarkRow) -> Level:
    if u <= row.benchmark.value:
        return Level.BENCHMARK
    return Level.BASELINE if u <= row.baseline.value else Level.BELOW_BASELINE


def _out_of_range(line: ProductLine, row: BenchmarkRow) -> tuple[NotCovered, str] | None:
    for name, bounds in row.attribute_ranges.items():
        value = line.attributes.get(name)
        if value is None:
            return NotCovered.MISSING_ATTRIBUTE, f"{name} is needed to place it in the variant {row.variant}"
        failed = [f"{b.value} {limit}" for b, limit in bounds.items() if not _BOUND_OK[b](value, limit)]
        if failed:
            return NotCovered.ATTRIBUTE_OUT_OF_RANGE, f"{name} = {value} is outside {row.variant} ({', '.join(failed)})"
    return None


def _one(
    i: int, line: ProductLine, edition: BenchmarkEdition | None, site: SiteTotals, ledger: Ledger
) -> ProductResult:
    product = products()[line.product]
    energy = _numerator(product, line, site)
    flags = [Flag.LEVEL_FROM_SITE_TOTAL] if line.whole_site else []
    if line.whole_site:
        ledger.flag(Flag.LEVEL_FROM_SITE_TOTAL)
    base = {
        "line": f"products[{i}]", "product": product.code, "name": product.name, "indicator": product.indicator,
        "unit": product.unit, "output": line.output, "output_unit": product.output_unit.value,
        "capacity": line.capacity, "energy": energy, "flags": flags,
    }  # fmt: skip
    divisor = line.output
    if product.per_attribute is not None:
        factor = line.attributes.get(product.per_attribute)
        if factor is None:
            return _not_covered(
                base, NotCovered.MISSING_ATTRIBUTE, f"{product.per_attribute} is needed for {product.unit}"
            )
        divisor *= factor
    if energy is None:
        return _not_covered(base, NotCovered.MISSING_PRODUCT_ENERGY, "file the product's energy or declare whole_site")
    if divisor == 0:
        return _not_covered(base, NotCovered.NO_OUTPUT, "no output in the period")
    u = energy / divisor
    row = edition.row(product.code) if edition is not None else None
    if row is None:
        unread = edition.unread_row(product.code) if edition is not None else None
        if edition is not None and unread is not None:
            detail = f"{edition.label}: the row for {unread.area} was not read (UNCONFIRMED), so no level"
            return _not_covered(base, NotCovered.NO_BENCHMARK_ROW, detail, u)
        where = edition.label if edition is not None else "no benchmark edition in force for the year, so it"
        return _not_covered(base, NotCovered.NO_BENCHMARK_ROW, f"{where} has no row for {product.name}", u)
    problem = _out_of_range(line, row)
    if problem is not None:
        return _not_covered(base, *problem, u)
    ledger.use(f"benchmarks.{product.code}.benchmark", row.benchmark)
    ledger.use(f"benchmarks.{product.code}.baseline", row.baseline)
    return ProductResult(
        **base, unit_energy_use=u, benchmark=row.benchmark.value, baseline=row.baseline.value, level=_level(u, row)
    )


def _not_covered(base: dict[str, object], reason: NotCovered, detail: str, u: Decimal | None = None) -> ProductResult:
    return ProductResult(
        **base,  # type: ignore[arg-type]
        unit_energy_use=u,
        benchmark=None,
        baseline=None,
        level=Level.NOT_COVERED,
        reason=reason,
        reason_detail=detail,
    )


def product_levels(
    lines: list[ProductLine], edition: BenchmarkEdition | None, site: SiteTotals, ledger: Ledger
) -> list[ProductResult]:
    return [_one(i, line, edition, site, ledger) for i, line in enumerate(lines)]
