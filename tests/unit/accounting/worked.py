"""Shared plumbing for the worked examples: build a filing, account it, check hand arithmetic.

Nothing here computes an expected figure. `steps` only checks that each line of a worked
example's hand arithmetic, written out as literals, is right in the accounting context
(Decimal, precision 28, ROUND_HALF_EVEN; design.md, "Numbers"), so that a typo in a
literal cannot hide; the expected figures themselves are literals in each test.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import msgspec

from domain.accounting import AccountResult, account
from domain.benchmarks import shipped_benchmark_edition
from domain.factors import FactorSet, shipped_factor_sets
from domain.filings import FilingContent
from domain.industry import classify

__all__ = ["PICO", "D", "factor_set_for", "q12", "run", "steps"]

D = Decimal
PICO = Decimal("1e-12")
_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)
_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def factor_set_for(year: int) -> FactorSet:
    return next(fs for fs in shipped_factor_sets() if fs.year == year)


def run(industry: str, year: int, content: dict[str, Any], factors: FactorSet | None = None) -> AccountResult:
    """Account a filing given as JSON-like data (decimals as strings) with the shipped references."""
    filing = msgspec.convert(content, FilingContent)
    return account(filing, classify(industry), factors or factor_set_for(year), shipped_benchmark_edition())


def steps(*rows: tuple[str, str, str, str]) -> None:
    """Each row is (a, op, b, result), all literals: assert a op b == result at precision 28."""
    with decimal.localcontext(_CONTEXT):
        for a, op, b, result in rows:
            got = _OPS[op](Decimal(a), Decimal(b))
            assert got == Decimal(result), f"hand arithmetic: {a} {op} {b} = {got}, not {result}"


def q12(value: Decimal | None) -> Decimal:
    """For figures behind a non-terminating division: compare at 1e-12, ROUND_HALF_EVEN."""
    assert value is not None
    return value.quantize(PICO, rounding=decimal.ROUND_HALF_EVEN)
