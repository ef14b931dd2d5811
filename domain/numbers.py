"""Decimal arithmetic for every figure, and the formula constants with their sources.

Every account is computed in one context: precision 28, ROUND_HALF_EVEN (design.md,
"Numbers"). Constants that are exact ratios (44/12) are applied as a multiplication
and a division, never as a rounded decimal.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

__all__ = [
    "ACCOUNTING_CONTEXT",
    "GJ_PER_TCE",
    "KGCE_PER_KGOE",
    "ZERO",
    "accounting",
    "carbon_to_co2",
    "gas_20c_to_0c",
]

ACCOUNTING_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.InvalidOperation])
ZERO = Decimal(0)

# GB/T 2589-2020: 1 kgce = 29 307.6 kJ (7000 kcal), so 1 tce = 29.3076 GJ.
GJ_PER_TCE = Decimal("29.3076")
# GB/T 2589-2020: 1 kgoe = 10 000 kcal = 1.4286 kgce (the standard's printed conversion).
KGCE_PER_KGOE = Decimal("1.4286")


@contextmanager
def accounting() -> Iterator[decimal.Context]:
    """Run a computation in the accounting context, whatever the caller's context is."""
    with decimal.localcontext(ACCOUNTING_CONTEXT) as ctx:
        yield ctx


def carbon_to_co2(tonnes_carbon: Decimal) -> Decimal:
    """tC → tCO2 by the molar-mass ratio 44/12 (GB/T 32150-2015), applied exactly."""
    return tonnes_carbon * 44 / 12


def gas_20c_to_0c(volume_20c: Decimal) -> Decimal:
    """A gas volume metered at 20 °C to normal conditions (0 °C, same pressure): × 273.15/293.15."""
    return volume_20c * Decimal("273.15") / Decimal("293.15")
