"""Matching: which products an enterprise is eligible for now, and the rule each one passed or
failed, from what a grade-only consent shows and the policy sheet's consequence kinds."""

from __future__ import annotations

import datetime as dt

import msgspec

from domain.finance.products import (
    ColourIn,
    ConsequencesAny,
    ConsequencesNone,
    FinanceProduct,
    FinanceTierIn,
    GradeAtMost,
    Rule,
)

__all__ = ["Check", "Offer", "RatingView", "match"]


class RatingView(msgspec.Struct, frozen=True, kw_only=True):
    """The enterprise's active rating as a bank under a grade-only consent sees it, and the kinds of
    the consequences on the policy sheet of the rating's year (none without a rating)."""

    rating_id: str | None
    year: int | None
    colour: str  # `unrated` without a rating
    grade: int | None
    finance_tier: str
    consequences: frozenset[str] = frozenset()


class Check(msgspec.Struct, frozen=True, kw_only=True):
    rule: str  # the rule's kind
    passed: bool
    needed: str  # what the rule asks, in words
    found: str  # what the enterprise has


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    eligible: bool
    checks: list[Check]
    margin_bp: int | None  # the product's margin for the enterprise's colour (None: not stated)


def _check(rule: Rule, v: RatingView) -> Check:
    kinds = ", ".join(sorted(v.consequences)) or "none"
    if isinstance(rule, ColourIn):
        return Check(rule="colour_in", passed=v.colour in rule.colours,
                     needed=f"colour in {', '.join(rule.colours)}", found=v.colour)  # fmt: skip
    if isinstance(rule, GradeAtMost):
        ok = v.grade is not None and v.grade <= rule.grade
        return Check(rule="grade_at_most", passed=ok, needed=f"grade at most {rule.grade}",
                     found="no grade" if v.grade is None else str(v.grade))  # fmt: skip
    if isinstance(rule, FinanceTierIn):
        return Check(rule="finance_tier_in", passed=v.finance_tier in rule.tiers,
                     needed=f"finance tier in {', '.join(rule.tiers)}", found=v.finance_tier)  # fmt: skip
    if isinstance(rule, ConsequencesNone):
        hit = sorted(v.consequences & set(rule.consequences))
        return Check(rule="consequences_none", passed=not hit,
                     needed=f"none of {', '.join(rule.consequences)}", found=", ".join(hit) or kinds)  # fmt: skip
    assert isinstance(rule, ConsequencesAny)
    hit = sorted(v.consequences & set(rule.consequences))
    return Check(rule="consequences_any", passed=bool(hit),
                 needed=f"one of {', '.join(rule.consequences)}", found=", ".join(hit) or kinds)  # fmt: skip


def match(product: FinanceProduct, view: RatingView, today: dt.date) -> Offer:
    """Every rule checked (not only up to the first failure, so the enterprise sees all it lacks);
    a product outside its validity on `today`, or an enterprise without a rating, is not eligible."""
    checks = [
        Check(rule="validity", passed=product.valid_from <= today <= product.valid_to,
              needed=f"valid {product.valid_from} to {product.valid_to}", found=str(today)),
        Check(rule="rated", passed=view.rating_id is not None, needed="an active rating",
              found=f"rating of {view.year}" if view.rating_id else "no active rating"),
        *(_check(rule, view) for rule in product.eligibility),
    ]  # fmt: skip
    return Offer(
        eligible=all(c.passed for c in checks),
        checks=checks,
        margin_bp=product.terms.margin_bp_by_colour.get(view.colour),
    )
