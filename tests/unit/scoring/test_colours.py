"""Golden tests: colour (first match wins), finance tier and PCAF score (design.md,
"Rating methodology, version 1", 5–7).

Candidates are rated against the unit class (L_industry = 1.000000, so K = L): with value
added 1000 万元, CO2 600 t is grade 1, 800 t grade 2, 1200 t grade 3, 1500 t grade 4 and
2000.1 t grade 5. Cement clinker: 标杆 100, 基准 117 kgce/t.
"""

from __future__ import annotations

import pytest

from domain.accounting import Level
from scoring import v1
from scoring.model import Colour, DataQuality, FinanceTier

from .build import candidate, codes, fuel, peers, product, rate_against_unit_class, rate_in, reason

AT_BENCHMARK = product(Level.BENCHMARK, u="95")
AT_BASELINE = product(Level.BASELINE, u="110")
BELOW = product(Level.BELOW_BASELINE, u="120")
BELOW_SITE_TOTAL = product(Level.BELOW_BASELINE, u="121.5", site_total=True)
NOT_COVERED = product(Level.NOT_COVERED, code="cement", u=None, line="products[1]")


def test_red_by_a_product_below_baseline_even_with_grade_1() -> None:
    r = rate_against_unit_class(candidate("3011", "600", "1000", products=[BELOW]))

    assert r.grade == 1
    assert r.colour is Colour.RED
    assert r.finance_tier is FinanceTier.RESTRICTED
    assert codes(r) == [
        "PEER_CLASS",
        "GRADE_1",
        "PRODUCT_NOT_AT_BENCHMARK",
        "PRODUCT_BELOW_BASELINE",
        "DATA_QUALITY_A",
        "NO_PREVIOUS_YEAR",
    ]
    values = {"product": "cement_clinker", "u": "120", "benchmark": "100", "baseline": "117", "unit": "kgce/t"}
    assert reason(r, "PRODUCT_BELOW_BASELINE").values == values
    assert reason(r, "PRODUCT_NOT_AT_BENCHMARK").values == values


def test_a_below_baseline_level_from_the_site_total_alone_is_not_red() -> None:
    """Grade 1, verified, the one product below 基准 only by the whole site's energy: the
    colour follows the grade; not every product is at 标杆, so light green, not dark."""
    r = rate_against_unit_class(candidate("3011", "600", "1000", products=[BELOW_SITE_TOTAL]))

    assert r.grade == 1
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert codes(r) == [
        "PEER_CLASS",
        "GRADE_1",
        "PRODUCT_NOT_AT_BENCHMARK",
        "SITE_TOTAL_BELOW_BASELINE",
        "DATA_QUALITY_A",
        "NO_PREVIOUS_YEAR",
    ]
    assert reason(r, "SITE_TOTAL_BELOW_BASELINE").values == {
        "product": "cement_clinker",
        "u": "121.5",
        "benchmark": "100",
        "baseline": "117",
        "unit": "kgce/t",
    }


def test_a_site_total_level_leaves_a_grade_4_yellow() -> None:
    r = rate_against_unit_class(candidate("3011", "1500", "1000", products=[BELOW_SITE_TOTAL]))

    assert r.grade == 4
    assert r.colour is Colour.YELLOW


def test_one_own_product_below_baseline_is_red_beside_a_site_total_one() -> None:
    other = product(Level.BELOW_BASELINE, u="130", line="products[1]")
    r = rate_against_unit_class(candidate("3011", "600", "1000", products=[BELOW_SITE_TOTAL, other]))

    assert r.colour is Colour.RED
    assert codes(r).count("PRODUCT_NOT_AT_BENCHMARK") == 2
    assert reason(r, "PRODUCT_BELOW_BASELINE").values["u"] == "130"
    assert reason(r, "SITE_TOTAL_BELOW_BASELINE").values["u"] == "121.5"


def test_red_by_grade_5() -> None:
    r = rate_against_unit_class(candidate("3011", "2000.1", "1000", products=[AT_BENCHMARK]))

    assert r.grade == 5
    assert r.colour is Colour.RED
    assert r.finance_tier is FinanceTier.RESTRICTED
    assert codes(r) == ["PEER_CLASS", "GRADE_5", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "GRADE_5").values == {"l": "2.000100", "l_industry": "1.000000", "k": "2.0001"}


def test_dark_green_grade_1_verified_every_product_at_benchmark() -> None:
    r = rate_against_unit_class(candidate("3011", "600", "1000", products=[AT_BENCHMARK]))

    assert r.grade == 1
    assert r.data_quality is DataQuality.A
    assert r.colour is Colour.DARK_GREEN
    assert r.finance_tier is FinanceTier.PREFERENTIAL
    assert r.pcaf_score == 1
    assert codes(r) == ["PEER_CLASS", "GRADE_1", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]


def test_dark_green_at_grade_2() -> None:
    r = rate_against_unit_class(candidate("3011", "800", "1000", products=[AT_BENCHMARK]))

    assert r.grade == 2
    assert r.colour is Colour.DARK_GREEN
    assert r.finance_tier is FinanceTier.PREFERENTIAL


def test_dark_green_with_data_quality_b() -> None:
    """The one fuel line (all of combustion CO2) uses default factors: B, still dark green."""
    r = rate_against_unit_class(
        candidate("3011", None, "1000", products=[AT_BENCHMARK], combustion=[fuel("energy[0]", "800", measured=())])
    )

    assert r.grade == 2
    assert r.data_quality is DataQuality.B
    assert r.colour is Colour.DARK_GREEN
    assert reason(r, "DATA_QUALITY_B").values == {"lines": "energy[0]"}


def test_a_not_covered_product_does_not_stop_dark_green() -> None:
    r = rate_against_unit_class(candidate("3011", "600", "1000", products=[AT_BENCHMARK, NOT_COVERED]))

    assert r.colour is Colour.DARK_GREEN
    assert "PRODUCT_NOT_AT_BENCHMARK" not in codes(r)


def test_no_product_at_all_does_not_stop_dark_green() -> None:
    """ "Every covered product at 标杆" holds when there is none."""
    r = rate_against_unit_class(candidate("3011", "600", "1000"))

    assert r.colour is Colour.DARK_GREEN


def test_grade_2_with_one_product_at_baseline_is_light_green() -> None:
    r = rate_against_unit_class(candidate("3011", "800", "1000", products=[AT_BENCHMARK, AT_BASELINE]))

    assert r.grade == 2
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert codes(r) == ["PEER_CLASS", "GRADE_2", "PRODUCT_NOT_AT_BENCHMARK", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "PRODUCT_NOT_AT_BENCHMARK").values == {
        "product": "cement_clinker",
        "u": "110",
        "benchmark": "100",
        "baseline": "117",
        "unit": "kgce/t",
    }


def test_grade_2_unverified_is_light_green() -> None:
    r = rate_against_unit_class(candidate("3011", "800", "1000", products=[AT_BENCHMARK], verified=False))

    assert r.grade == 2
    assert r.data_quality is DataQuality.C
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert r.pcaf_score == 2


def test_grade_3_is_light_green() -> None:
    r = rate_against_unit_class(candidate("3011", "1200", "1000", products=[AT_BENCHMARK]))

    assert r.grade == 3
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert reason(r, "GRADE_3").values == {"l": "1.200000", "l_industry": "1.000000", "k": "1.2000"}


def test_grade_4_is_yellow() -> None:
    r = rate_against_unit_class(candidate("3011", "1500", "1000", products=[AT_BENCHMARK]))

    assert r.grade == 4
    assert r.colour is Colour.YELLOW
    assert r.finance_tier is FinanceTier.WATCH
    assert reason(r, "GRADE_4").values == {"l": "1.500000", "l_industry": "1.000000", "k": "1.5000"}


def test_not_gradable_is_unrated() -> None:
    r = rate_in(candidate("3011", "600", "1000", products=[AT_BENCHMARK]), *peers(3, "1000"))

    assert r.colour is Colour.UNRATED
    assert r.finance_tier is FinanceTier.UNRATED


def test_red_comes_before_unrated() -> None:
    """First match wins: a product below 基准 makes red even when the account is not gradable."""
    r = rate_in(candidate("3011", "600", "0", products=[BELOW]), *peers(5, "1000"))

    assert r.gradable is False
    assert r.colour is Colour.RED
    assert r.finance_tier is FinanceTier.RESTRICTED
    assert codes(r) == [
        "VALUE_ADDED_NOT_POSITIVE",
        "PRODUCT_NOT_AT_BENCHMARK",
        "PRODUCT_BELOW_BASELINE",
        "DATA_QUALITY_A",
        "NO_PREVIOUS_YEAR",
    ]


@pytest.mark.parametrize(
    ("co2", "products", "verified", "colour", "tier"),
    [
        ("600", [AT_BENCHMARK], True, Colour.DARK_GREEN, FinanceTier.PREFERENTIAL),
        ("1200", [AT_BENCHMARK], True, Colour.LIGHT_GREEN, FinanceTier.ELIGIBLE),
        ("1500", [AT_BENCHMARK], True, Colour.YELLOW, FinanceTier.WATCH),
        ("2000.1", [AT_BENCHMARK], True, Colour.RED, FinanceTier.RESTRICTED),
        ("600", [BELOW], False, Colour.RED, FinanceTier.RESTRICTED),
        ("0", [AT_BENCHMARK], True, Colour.UNRATED, FinanceTier.UNRATED),
    ],
)
def test_finance_tier_follows_the_colour(
    co2: str, products: list, verified: bool, colour: Colour, tier: FinanceTier
) -> None:
    r = rate_against_unit_class(candidate("3011", co2, "1000", products=products, verified=verified))

    assert (r.colour, r.finance_tier) == (colour, tier)


@pytest.mark.parametrize(("verified", "score"), [(True, 1), (False, 2)])
def test_pcaf_score(verified: bool, score: int) -> None:
    graded = rate_against_unit_class(candidate("3011", "1000", "1000", verified=verified))
    ungraded = rate_in(candidate("3011", "1000", "0", verified=verified))

    assert graded.pcaf_score == score
    assert ungraded.pcaf_score == score


def test_methodology_fields_of_a_rating() -> None:
    c = candidate("3011", "600", "1000", uscc="91370300MA3C0FFEE1")
    r = v1.rate(c, v1.peer_groups(peers(5, "1000")))

    assert r.methodology_version == "1"
    assert r.uscc == "91370300MA3C0FFEE1"
