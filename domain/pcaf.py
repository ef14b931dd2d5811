"""Financed emissions after PCAF Part A (2nd ed., 2022) for business loans.

Attribution factor AF = outstanding ÷ (total equity + debt), or ÷ EVIC for listed
borrowers (§5.2), refused above 1. Attributed emissions = AF × the borrower's emissions,
scope 1 and scope 2 apart, CO2 only. The portfolio's data-quality score is the
outstanding-weighted average over the loans that have figures.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from domain.accounting.indirect import heat_in_gj
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.filings import FilingContent
from domain.numbers import accounting

__all__ = ["BorrowerEmissions", "attribution_factor", "pcaf_scope2", "weighted_score"]


class BorrowerEmissions(msgspec.Struct, frozen=True, kw_only=True):
    scope1: Decimal  # combustion + process − captured, tCO2
    scope2: Decimal  # (purchased − certified green) × grid + purchased heat × 0.11, tCO2
    score: int  # PCAF data-quality score: 1 verified, 2 unverified


def attribution_factor(field: str, outstanding: Decimal, denominator: Decimal) -> Decimal:
    with accounting():
        if not outstanding.is_finite() or outstanding < 0:
            raise InvalidField(f"{field}.outstanding_yuan", "must be a non-negative amount")
        if not denominator.is_finite() or denominator <= 0:
            raise InvalidField(f"{field}.equity_plus_debt_yuan", "must be a positive amount")
        factor = outstanding / denominator
        if factor > 1:
            raise InvalidField(
                f"{field}.outstanding_yuan",
                f"the attribution factor {factor} is above 1: the loan exceeds the borrower's equity plus debt",
            )
        return factor


def pcaf_scope2(content: FilingContent, factors: FactorSet) -> Decimal:
    """Scope 2 for financed emissions: exports are not deducted (unlike the account's indirect CO2)."""
    with accounting():
        purchased_heat_gj = sum((gj for _, d, gj in heat_in_gj(content) if d == "purchased"), Decimal(0))
        e = content.electricity
        electricity = (e.purchased_mwh - e.green_certified_mwh) * factors.grid_factor.value
        return electricity + purchased_heat_gj * factors.heat_emission_factor.value


def weighted_score(loans: list[tuple[Decimal, int]]) -> Decimal | None:
    """Σ outstanding × score ÷ Σ outstanding over the loans with figures (None without any)."""
    with accounting():
        total = sum((amount for amount, _ in loans), Decimal(0))
        if total == 0:
            return None
        return sum((amount * score for amount, score in loans), Decimal(0)) / total
