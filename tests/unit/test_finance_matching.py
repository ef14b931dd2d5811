"""Matching a finance product against a rating view (issue 18.2), worked by hand: every rule kind
on both sides, the validity on its first and last day and either side, an unrated enterprise,
the margin for each colour; and what validate_product refuses, naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from domain.errors import InvalidField
from domain.finance.matching import RatingView, match
from domain.finance.products import (
    COLOURS,
    FINANCE_TIERS,
    ColourIn,
    ConsequencesAny,
    ConsequencesNone,
    FinanceProduct,
    FinanceTierIn,
    GradeAtMost,
    ProductKind,
    Rule,
    Terms,
    validate_product,
)
from scoring.model import Colour, FinanceTier

TODAY = dt.date(2027, 3, 15)
MARGINS = {"dark_green": -40, "light_green": -20, "yellow": 0, "red": 50}


def _product(*rules: Rule, **changes: Any) -> FinanceProduct:
    fields: dict[str, Any] = {
        "code": "green-loan",
        "kind": ProductKind.GREEN_LOAN,
        "name": "绿色贷款",
        "eligibility": list(rules),
        "terms": Terms(margin_bp_by_colour=MARGINS, max_amount_yuan=Decimal("50000000"), max_term_months=60),
        "valid_from": dt.date(2027, 1, 1),
        "valid_to": dt.date(2027, 12, 31),
    }
    return FinanceProduct(**(fields | changes))


def _view(**changes: Any) -> RatingView:
    fields: dict[str, Any] = {"rating_id": "r-1", "year": 2026, "colour": "light_green", "grade": 3,
                              "finance_tier": "eligible", "consequences": frozenset()}  # fmt: skip
    return RatingView(**(fields | changes))


def _check(product: FinanceProduct, view: RatingView, rule: str, today: dt.date = TODAY) -> tuple[bool, str, str]:
    offer = match(product, view, today)
    [c] = [c for c in offer.checks if c.rule == rule]
    assert offer.eligible is all(x.passed for x in offer.checks)
    return c.passed, c.needed, c.found


def test_the_vocabularies_are_the_ratings() -> None:
    assert tuple(c.value for c in Colour) == COLOURS
    assert tuple(t.value for t in FinanceTier) == FINANCE_TIERS


def test_colour_in_either_side() -> None:
    p = _product(ColourIn(colours=["dark_green", "light_green"]))
    assert _check(p, _view(colour="light_green"), "colour_in") == (True, "colour in dark_green, light_green",
                                                                   "light_green")  # fmt: skip
    assert _check(p, _view(colour="yellow"), "colour_in") == (False, "colour in dark_green, light_green", "yellow")
    assert match(p, _view(colour="light_green"), TODAY).eligible
    assert not match(p, _view(colour="yellow"), TODAY).eligible


def test_grade_at_most_passes_at_the_grade_and_fails_above_or_without_one() -> None:
    p = _product(GradeAtMost(grade=3))
    assert _check(p, _view(grade=2), "grade_at_most") == (True, "grade at most 3", "2")
    assert _check(p, _view(grade=3), "grade_at_most") == (True, "grade at most 3", "3")  # equal is enough
    assert _check(p, _view(grade=4), "grade_at_most") == (False, "grade at most 3", "4")
    assert _check(p, _view(grade=None), "grade_at_most") == (False, "grade at most 3", "no grade")
    assert match(p, _view(grade=3), TODAY).eligible and not match(p, _view(grade=4), TODAY).eligible


def test_finance_tier_in_either_side() -> None:
    p = _product(FinanceTierIn(tiers=["preferential", "eligible"]))
    assert _check(p, _view(finance_tier="eligible"), "finance_tier_in") == (
        True, "finance tier in preferential, eligible", "eligible")  # fmt: skip
    assert _check(p, _view(finance_tier="watch"), "finance_tier_in") == (
        False, "finance tier in preferential, eligible", "watch")  # fmt: skip
    assert not match(p, _view(finance_tier="restricted"), TODAY).eligible


def test_consequences_none_either_side() -> None:
    p = _product(ConsequencesNone(consequences=["green_credit_ineligible", "phase_out_listed"]))
    clean = _view(consequences=frozenset({"power_surcharge"}))
    assert _check(p, clean, "consequences_none") == (True, "none of green_credit_ineligible, phase_out_listed",
                                                     "power_surcharge")  # fmt: skip
    assert _check(p, _view(), "consequences_none")[::2] == (True, "none")
    listed = _view(consequences=frozenset({"phase_out_listed", "green_credit_ineligible", "retrofit_required"}))
    assert _check(p, listed, "consequences_none") == (
        False, "none of green_credit_ineligible, phase_out_listed", "green_credit_ineligible, phase_out_listed")  # fmt: skip
    assert match(p, clean, TODAY).eligible and not match(p, listed, TODAY).eligible


def test_consequences_any_either_side() -> None:
    p = _product(ConsequencesAny(consequences=["transition_finance_candidate"]))
    candidate = _view(consequences=frozenset({"retrofit_required", "transition_finance_candidate"}))
    assert _check(p, candidate, "consequences_any") == (True, "one of transition_finance_candidate",
                                                        "transition_finance_candidate")  # fmt: skip
    not_yet = _view(consequences=frozenset({"retrofit_required"}))
    assert _check(p, not_yet, "consequences_any") == (False, "one of transition_finance_candidate",
                                                      "retrofit_required")  # fmt: skip
    assert _check(p, _view(), "consequences_any") == (False, "one of transition_finance_candidate", "none")
    assert match(p, candidate, TODAY).eligible and not match(p, not_yet, TODAY).eligible


@pytest.mark.parametrize(
    ("today", "valid"),
    [
        (dt.date(2026, 12, 31), False),  # the day before valid_from
        (dt.date(2027, 1, 1), True),  # valid_from itself
        (dt.date(2027, 12, 31), True),  # valid_to itself
        (dt.date(2028, 1, 1), False),  # the day after valid_to
    ],
)
def test_validity_on_its_first_and_last_day_and_either_side(today: dt.date, valid: bool) -> None:
    p = _product(ColourIn(colours=["light_green"]))
    assert _check(p, _view(), "validity", today) == (valid, "valid 2027-01-01 to 2027-12-31", str(today))
    assert match(p, _view(), today).eligible is valid


def test_an_unrated_enterprise_is_eligible_for_nothing() -> None:
    unrated = RatingView(rating_id=None, year=None, colour="unrated", grade=None, finance_tier="unrated")
    rated = match(_product(), _view(), TODAY)
    assert rated.eligible and [c.rule for c in rated.checks] == ["validity", "rated"]
    offer = match(_product(), unrated, TODAY)  # no rules at all: still not eligible
    assert not offer.eligible
    assert [(c.rule, c.passed, c.found) for c in offer.checks] == [
        ("validity", True, "2027-03-15"), ("rated", False, "no active rating")]  # fmt: skip
    anyone = _product(ColourIn(colours=list(COLOURS)))  # even a rule every colour passes
    assert not match(anyone, unrated, TODAY).eligible
    assert match(_product(), _view(), TODAY).checks[1].found == "rating of 2026"


def test_every_rule_is_checked_not_only_up_to_the_first_failure() -> None:
    p = _product(ColourIn(colours=["dark_green"]), GradeAtMost(grade=1), FinanceTierIn(tiers=["preferential"]),
                 ConsequencesNone(consequences=["retrofit_required"]))  # fmt: skip
    offer = match(p, _view(consequences=frozenset({"retrofit_required"})), dt.date(2030, 1, 1))
    assert [(c.rule, c.passed) for c in offer.checks] == [
        ("validity", False), ("rated", True), ("colour_in", False), ("grade_at_most", False),
        ("finance_tier_in", False), ("consequences_none", False)]  # fmt: skip


@pytest.mark.parametrize(("colour", "margin"), [*MARGINS.items(), ("unrated", None)])
def test_the_margin_is_the_one_for_the_enterprises_colour(colour: str, margin: int | None) -> None:
    view = _view(colour=colour) if colour != "unrated" else _view(colour="unrated", grade=None)
    assert match(_product(), view, TODAY).margin_bp == margin
    assert match(_product(terms=Terms()), view, TODAY).margin_bp is None  # no margin stated


def _refused(**changes: Any) -> InvalidField:
    with pytest.raises(InvalidField) as caught:
        validate_product(_product(**changes))
    return caught.value


def test_validate_product_refusals_name_the_field() -> None:
    validate_product(_product(ColourIn(colours=["red"]), valid_to=dt.date(2027, 1, 1)))  # one day is a period
    e = _refused(valid_to=dt.date(2026, 12, 31))
    assert (e.field, e.reason) == ("valid_to", "must not be before valid_from")
    e = _refused(eligibility=[GradeAtMost(grade=2), ColourIn(colours=["green", "red", "blue"])])
    assert e.field == "eligibility[1].colours" and e.reason.startswith("unknown blue, green; one of ")
    e = _refused(eligibility=[FinanceTierIn(tiers=["prime"])])
    assert e.field == "eligibility[0].tiers" and "prime" in e.reason and "preferential" in e.reason
    e = _refused(eligibility=[ConsequencesNone(consequences=["bankrupt"])])
    assert e.field == "eligibility[0].consequences" and "green_credit_ineligible" in e.reason
    e = _refused(eligibility=[ConsequencesAny(consequences=["transition_finance_candidate", "x"])])
    assert (e.field, e.reason.split(";")[0]) == ("eligibility[0].consequences", "unknown x")
    e = _refused(terms=Terms(margin_bp_by_colour={"green": -10}))
    assert e.field == "terms.margin_bp_by_colour" and "green" in e.reason


def test_decoding_refuses_unknown_fields_and_rule_kinds() -> None:
    body = msgspec.to_builtins(_product(ColourIn(colours=["yellow"])))
    assert msgspec.convert(body, FinanceProduct) == _product(ColourIn(colours=["yellow"]))
    for bad, where in (
        ({**body, "rate": 3}, "rate"),
        ({**body, "eligibility": [{"kind": "sector_in", "sectors": ["cement"]}]}, "eligibility[0]"),
        ({**body, "eligibility": [{"kind": "grade_at_most", "grade": 6}]}, "eligibility[0].grade"),
        ({**body, "terms": {"margin_bp_by_colour": {"red": 5000}}}, "margin_bp_by_colour"),
        ({**body, "code": "Green Loan"}, "code"),
    ):
        with pytest.raises(msgspec.ValidationError, match=where.replace("[", r"\[")):
            msgspec.convert(bad, FinanceProduct)


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("0", "must be greater than zero"),
        ("-5", "must be greater than zero"),
        ("NaN", "must be a finite number"),
        ("Infinity", "must be a finite number"),
        ("1e15", "must be less than 1,000,000,000,000,000 in size"),
        ("10.001", "has more than 2 decimal places"),
    ],
)
def test_the_largest_amount_is_yuan_to_the_fen(amount: str, reason: str) -> None:
    e = _refused(terms=Terms(max_amount_yuan=Decimal(amount)))
    assert (e.field, e.reason) == ("terms.max_amount_yuan", reason)
    validate_product(_product(terms=Terms(max_amount_yuan=Decimal("10.50"))))
