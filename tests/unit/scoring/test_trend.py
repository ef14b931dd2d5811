"""Golden tests: the trend and the yellow → light green upgrade (design.md, "Rating
methodology, version 1", 3 and 5; "Numbers": fall = 1 − L(Y) ÷ L′(Y−1) to 4 places).

The rated candidate is verified, value added 1000 万元, against the unit class
(L_industry = 1.000000): CO2 1910.4 t gives L = 1.910400, K = 1.9104, grade 4, yellow.
L′(Y−1) is the previous account's intensity rounded to 6 places.
"""

from __future__ import annotations

import pytest

from domain.accounting import Level
from scoring.model import Colour, FinanceTier

from .build import account, candidate, codes, product, rate_against_unit_class, reason


def previous(intensity: str | None) -> object:
    """Last year's account recomputed under this year's factors, with its own intensity."""
    return account("3011", "2000", "1000", year=2022, intensity=intensity)


def test_a_fall_of_exactly_0_0448_raises_yellow_to_light_green() -> None:
    """1 − 1.910400 ÷ 2.000000 = 1 − 0.9552 = 0.0448."""
    r = rate_against_unit_class(candidate("3011", "1910.4", "1000", previous=previous("2")))

    assert r.grade == 4
    assert str(r.previous_intensity) == "2.000000"
    assert str(r.fall) == "0.0448"
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert codes(r) == ["PEER_CLASS", "GRADE_4", "DATA_QUALITY_A", "TREND", "TREND_UPGRADE"]
    assert reason(r, "TREND").values == {"l": "1.910400", "l_previous": "2.000000", "fall": "0.0448"}
    assert reason(r, "TREND_UPGRADE").values == {"fall": "0.0448", "min_fall": "0.0448", "provisional": "true"}


def test_a_fall_of_0_0447_stays_yellow() -> None:
    """1 − 1.910600 ÷ 2.000000 = 1 − 0.9553 = 0.0447."""
    r = rate_against_unit_class(candidate("3011", "1910.6", "1000", previous=previous("2")))

    assert str(r.fall) == "0.0447"
    assert r.colour is Colour.YELLOW
    assert r.finance_tier is FinanceTier.WATCH
    assert codes(r) == ["PEER_CLASS", "GRADE_4", "DATA_QUALITY_A", "TREND"]
    assert reason(r, "TREND").values == {"l": "1.910600", "l_previous": "2.000000", "fall": "0.0447"}


@pytest.mark.parametrize(
    ("co2", "fall", "colour"),
    [
        ("1910.3", "0.0448", Colour.LIGHT_GREEN),  # 0.04485 → 0.0448 (half to even: 8)
        ("1910.5", "0.0448", Colour.LIGHT_GREEN),  # 0.04475 → 0.0448 (half to even: 8): the rounded fall counts
        ("1910.7", "0.0446", Colour.YELLOW),  # 0.04465 → 0.0446 (half to even: 6)
        ("1910.58", "0.0447", Colour.YELLOW),  # 0.04471 → 0.0447
    ],
)
def test_the_fall_is_rounded_half_even_to_four_places(co2: str, fall: str, colour: Colour) -> None:
    r = rate_against_unit_class(candidate("3011", co2, "1000", previous=previous("2")))

    assert str(r.fall) == fall
    assert r.colour is colour


def test_the_previous_intensity_is_rounded_to_six_places_first() -> None:
    """L′ = 1.9999996 → 2.000000; 1 − 1.910500 ÷ 2.000000 = 0.04475 → 0.0448: raised.
    Unrounded, 1 − 1.9105 ÷ 1.9999996 = 0.0447498… would round to 0.0447."""
    r = rate_against_unit_class(candidate("3011", "1910.5", "1000", previous=previous("1.9999996")))

    assert str(r.previous_intensity) == "2.000000"
    assert str(r.fall) == "0.0448"
    assert r.colour is Colour.LIGHT_GREEN
    assert reason(r, "TREND").values == {"l": "1.910500", "l_previous": "2.000000", "fall": "0.0448"}


def test_no_previous_year_no_trend_and_no_upgrade() -> None:
    r = rate_against_unit_class(candidate("3011", "1910.4", "1000"))

    assert r.previous_intensity is None
    assert r.fall is None
    assert r.colour is Colour.YELLOW
    assert codes(r) == ["PEER_CLASS", "GRADE_4", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "NO_PREVIOUS_YEAR").values == {}


@pytest.mark.parametrize("prev", [None, "0", "-0.5"])
def test_a_previous_account_without_a_positive_intensity_is_no_previous_year(prev: str | None) -> None:
    r = rate_against_unit_class(candidate("3011", "1910.4", "1000", previous=previous(prev)))

    assert r.previous_intensity is None
    assert r.fall is None
    assert r.colour is Colour.YELLOW
    assert "NO_PREVIOUS_YEAR" in codes(r)
    assert "TREND" not in codes(r)


def test_no_intensity_this_year_is_no_previous_year() -> None:
    r = rate_against_unit_class(candidate("3011", "1910.4", "0", previous=previous("2")))

    assert r.fall is None
    assert "NO_PREVIOUS_YEAR" in codes(r)


def test_a_light_green_candidate_is_not_changed_by_a_large_fall() -> None:
    """Grade 3 (L = 1.000000) against L′ = 2.000000: fall 0.5000, colour unchanged."""
    r = rate_against_unit_class(candidate("3011", "1000", "1000", previous=previous("2")))

    assert r.grade == 3
    assert str(r.fall) == "0.5000"
    assert r.colour is Colour.LIGHT_GREEN
    assert "TREND_UPGRADE" not in codes(r)
    assert reason(r, "TREND").values == {"l": "1.000000", "l_previous": "2.000000", "fall": "0.5000"}


def test_a_red_candidate_is_not_raised_by_a_large_fall() -> None:
    by_grade = rate_against_unit_class(candidate("3011", "2500", "1000", previous=previous("10")))
    by_product = rate_against_unit_class(
        candidate("3011", "1500", "1000", products=[product(Level.BELOW_BASELINE, u="120")], previous=previous("10"))
    )

    assert str(by_grade.fall) == "0.7500"
    assert by_grade.colour is Colour.RED
    assert str(by_product.fall) == "0.8500"
    assert by_product.colour is Colour.RED
    assert "TREND_UPGRADE" not in codes(by_grade) + codes(by_product)


def test_a_rise_is_a_negative_fall() -> None:
    """1 − 1.910400 ÷ 1.800000 = 1 − 1.0613333… = −0.0613."""
    r = rate_against_unit_class(candidate("3011", "1910.4", "1000", previous=previous("1.8")))

    assert str(r.fall) == "-0.0613"
    assert r.colour is Colour.YELLOW
