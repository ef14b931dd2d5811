"""A finance product as a bank publishes it: kind, eligibility rules over what a grade-only
consent shows (colour, grade, finance tier) and the policy sheet's consequence kinds, and
terms linked to the rating (a rate margin per colour). A product never changes: new terms or
rules are a new version under the same `code`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import msgspec

from domain.accounting.validate import MAX_MAGNITUDE
from domain.errors import InvalidField
from domain.policy.model import ConsequenceKind

__all__ = [
    "COLOURS",
    "FINANCE_TIERS",
    "ColourIn",
    "ConsequencesAny",
    "ConsequencesNone",
    "FinanceProduct",
    "FinanceTierIn",
    "GradeAtMost",
    "ProductKind",
    "Rule",
    "Terms",
    "validate_product",
]

# The rating's vocabularies (scoring.model.Colour / FinanceTier; a unit test keeps them equal).
COLOURS = ("dark_green", "light_green", "yellow", "red", "unrated")
FINANCE_TIERS = ("preferential", "eligible", "watch", "restricted", "unrated")

Code = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Words = Annotated[list[str], msgspec.Meta(min_length=1, max_length=10)]


class ProductKind(StrEnum):
    GREEN_LOAN = "green_loan"  # 绿色贷款
    TRANSITION_LOAN = "transition_loan"  # 转型贷款
    SUSTAINABILITY_LINKED_LOAN = "sustainability_linked_loan"  # 可持续发展挂钩贷款
    GREEN_BOND_UNDERWRITING = "green_bond_underwriting"  # 绿色债券承销


GREEN_KINDS = frozenset({ProductKind.GREEN_LOAN, ProductKind.GREEN_BOND_UNDERWRITING})
"""Counted as green credit in the finance bureau's figures; the others as transition credit."""


class ColourIn(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="colour_in", tag_field="kind"
):
    """The rating's colour is one of `colours`."""

    colours: Words


class GradeAtMost(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="grade_at_most", tag_field="kind"
):
    """The rating has a grade, at most `grade` (1 is the best, 5 the worst)."""

    grade: Annotated[int, msgspec.Meta(ge=1, le=5)]


class FinanceTierIn(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="finance_tier_in", tag_field="kind"
):
    """The rating's finance tier is one of `tiers`."""

    tiers: Words


class ConsequencesNone(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="consequences_none", tag_field="kind"
):
    """The policy sheet of the rating's year holds none of `consequences` (e.g. green_credit_ineligible)."""

    consequences: Words


class ConsequencesAny(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="consequences_any", tag_field="kind"
):
    """The policy sheet holds at least one of `consequences` (e.g. transition_finance_candidate)."""

    consequences: Words


Rule = ColourIn | GradeAtMost | FinanceTierIn | ConsequencesNone | ConsequencesAny


class Terms(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Terms linked to the rating: a margin in basis points over the reference rate per colour
    (negative: a discount), and the product's limits."""

    reference_rate: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = "LPR 1Y"
    margin_bp_by_colour: dict[str, Annotated[int, msgspec.Meta(ge=-1000, le=1000)]] = {}
    max_amount_yuan: Decimal | None = None
    """Yuan to the fen, > 0 (validate_product checks it: msgspec puts no bounds on a Decimal)."""
    max_term_months: Annotated[int, msgspec.Meta(ge=1, le=600)] | None = None


class FinanceProduct(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Code
    """Names the product across its versions (a bank's own key, e.g. `green-loan-2027`)."""
    kind: ProductKind
    name: Name
    description: Text = ""
    eligibility: Annotated[list[Rule], msgspec.Meta(max_length=10)]
    terms: Terms
    valid_from: dt.date
    valid_to: dt.date


def _known(field: str, values: list[str], allowed: tuple[str, ...] | frozenset[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise InvalidField(field, f"unknown {', '.join(unknown)}; one of {', '.join(sorted(allowed))}")


def _yuan(field: str, value: Decimal) -> None:
    if not value.is_finite():
        raise InvalidField(field, "must be a finite number")
    if value <= 0:
        raise InvalidField(field, "must be greater than zero")
    if value >= MAX_MAGNITUDE:
        raise InvalidField(field, f"must be less than {MAX_MAGNITUDE:,.0f} in size")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InvalidField(field, "has more than 2 decimal places")


def validate_product(p: FinanceProduct) -> None:
    """The rules name known colours, tiers and consequence kinds; the validity is a period; the
    amount is a positive number."""
    if p.valid_to < p.valid_from:
        raise InvalidField("valid_to", "must not be before valid_from")
    if p.terms.max_amount_yuan is not None:
        _yuan("terms.max_amount_yuan", p.terms.max_amount_yuan)
    kinds = frozenset(k.value for k in ConsequenceKind)
    for i, rule in enumerate(p.eligibility):
        where = f"eligibility[{i}]"
        if isinstance(rule, ColourIn):
            _known(f"{where}.colours", rule.colours, COLOURS)
        elif isinstance(rule, FinanceTierIn):
            _known(f"{where}.tiers", rule.tiers, FINANCE_TIERS)
        elif isinstance(rule, ConsequencesNone | ConsequencesAny):
            _known(f"{where}.consequences", rule.consequences, kinds)
    _known("terms.margin_bp_by_colour", list(p.terms.margin_bp_by_colour), COLOURS)
