"""Golden tests: the reason codes version 1 can emit, the flags it carries from the account,
its published parameters, and one whole rating field by field."""

from __future__ import annotations

import inspect
import re
from decimal import Decimal

from domain.accounting import Flag, Level
from scoring import v1
from scoring.model import Band, Colour, DataQuality, FinanceTier, PeerBasis, Reason

from .build import D, account, candidate, codes, peers, product, rate_against_unit_class, rate_in

# Every code v1 can emit, each asserted with its values in this directory:
# test_peers (PEER_*, VALUE_ADDED_NOT_POSITIVE, CO2_NOT_POSITIVE, PROCESS_NOT_COVERED),
# test_grades (GRADE_1..5), test_colours (PRODUCT_*, SITE_TOTAL_BELOW_BASELINE),
# test_data_quality (DATA_QUALITY_*), test_trend (TREND, NO_PREVIOUS_YEAR, TREND_UPGRADE),
# here (PROVISIONAL_FACTOR, FACTOR_YEAR_PROXY).
EVERY_CODE = {
    "PEER_CLASS",
    "PEER_DIVISION",
    "PEER_GROUP_TOO_SMALL",
    "PEER_L_INDUSTRY_ZERO",
    "VALUE_ADDED_NOT_POSITIVE",
    "CO2_NOT_POSITIVE",
    "PROCESS_NOT_COVERED",
    "GRADE_1",
    "GRADE_2",
    "GRADE_3",
    "GRADE_4",
    "GRADE_5",
    "PRODUCT_NOT_AT_BENCHMARK",
    "PRODUCT_BELOW_BASELINE",
    "SITE_TOTAL_BELOW_BASELINE",
    "DATA_QUALITY_A",
    "DATA_QUALITY_B",
    "DATA_QUALITY_C",
    "TREND",
    "NO_PREVIOUS_YEAR",
    "TREND_UPGRADE",
    "PROVISIONAL_FACTOR",
    "FACTOR_YEAR_PROXY",
}


def test_the_codes_v1_can_emit_are_the_listed_ones() -> None:
    """Read from the module's source: literal codes, GRADE_{n} for n = 1..5, and the account
    flags it carries. A new code fails this test until it is listed (and tested)."""
    source = inspect.getsource(v1)
    literal = set(re.findall(r'code="([A-Z0-9_]+)"', source))
    code_sets = set(re.findall(r'code = "([A-Z0-9_]+)" if .* else "([A-Z0-9_]+)"', source))
    literal |= {c for pair in code_sets for c in pair}
    assert 'code=f"GRADE_{grade_}"' in source
    assert "Flag.PROVISIONAL_FACTOR, Flag.FACTOR_YEAR_PROXY" in source
    emitted = literal | {
        "GRADE_1",
        "GRADE_2",
        "GRADE_3",
        "GRADE_4",
        "GRADE_5",
        "PROVISIONAL_FACTOR",
        "FACTOR_YEAR_PROXY",
    }

    assert emitted == EVERY_CODE


def test_provisional_factor_and_factor_year_proxy_are_carried_from_the_account() -> None:
    """Only these two flags become reasons, in the account's order, without values."""
    flags = [Flag.FACTOR_YEAR_PROXY, Flag.LEVEL_FROM_SITE_TOTAL, Flag.PROVISIONAL_FACTOR]
    r = rate_against_unit_class(candidate("3011", "1000", "1000", flags=flags))

    assert codes(r) == [
        "PEER_CLASS",
        "GRADE_3",
        "DATA_QUALITY_A",
        "NO_PREVIOUS_YEAR",
        "FACTOR_YEAR_PROXY",
        "PROVISIONAL_FACTOR",
    ]
    assert [rr.values for rr in r.reasons[-2:]] == [{}, {}]
    assert r.colour is Colour.LIGHT_GREEN


def test_flags_are_carried_when_not_gradable_too() -> None:
    r = rate_in(candidate("3011", "1000", "1000", flags=[Flag.PROVISIONAL_FACTOR, Flag.NO_VALUE_ADDED]))

    assert codes(r) == ["PEER_GROUP_TOO_SMALL", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR", "PROVISIONAL_FACTOR"]


def test_parameters_as_published() -> None:
    assert v1.parameters() == {
        "version": "1",
        "band_low_max": "0.6",
        "band_medium_max": "2.0",
        "grade_limits": [
            {"k_max": "0.6", "grade": 1},
            {"k_max": "0.8", "grade": 2},
            {"k_max": "1.2", "grade": 3},
            {"k_max": "2.0", "grade": 4},
        ],
        "worst_grade": 5,
        "min_peers": 5,
        "l_decimal_places": 6,
        "k_decimal_places": 4,
        "rounding": "ROUND_HALF_EVEN",
        "trend_upgrade_min_fall": "0.0448",
        "trend_upgrade_provisional": True,
        "measured_share": "0.05",
        "dark_green_max_grade": 2,
        "light_green_max_grade": 3,
        "finance_tiers": {
            "dark_green": "preferential",
            "light_green": "eligible",
            "yellow": "watch",
            "red": "restricted",
            "unrated": "unrated",
        },
        "pcaf_scores": {"verified": 1, "unverified": 2},
    }


def test_one_whole_rating() -> None:
    """Division fallback, grade 4, a product at 基准, a measured fuel line, a trend upgrade.

    Round: the rated 3041 (flat glass, verified, 1910.4 t / 1000 万元) and five verified
    3011 at 1000 t / 1000 万元 each. Class 3041 has 1 member; division 30 has 6:
    Σ CO2 = 6910.4 t, Σ VA = 6000 万元, L_industry = 1.151733333… → 1.151733.
    L = 1.910400; K = 1.910400 ÷ 1.151733 = 1.65871… → 1.6587: grade 4 (yellow).
    L′ = 2.000000: fall = 1 − 0.9552 = 0.0448 → light green by TREND_UPGRADE.
    """
    glass = product(
        Level.BASELINE,
        code="flat_glass_gt800",
        name="平板玻璃(生产能力>800 t/d)",
        u="10.5",
        unit="kgce/重量箱",
        benchmark="8.0",
        baseline="12.0",
    )
    c = candidate(
        "3041",
        "1910.4",
        "1000",
        products=[glass],
        flags=[Flag.PROVISIONAL_FACTOR],
        previous=account("3041", "2000", "1000", year=2022),
        uscc="91370300MA3GLASS01",
    )
    r = rate_in(c, *peers(5, "1000"))

    assert r.methodology_version == "1"
    assert r.uscc == "91370300MA3GLASS01"
    assert r.gradable is True
    assert str(r.intensity) == "1.910400"
    assert r.band is Band.MEDIUM
    assert r.peer_group.basis is PeerBasis.DIVISION
    assert r.peer_group.code == "30"
    assert r.peer_group.size == 6
    assert r.peer_group.co2 == D("6910.4")
    assert r.peer_group.value_added == D("6000")
    assert str(r.peer_group.l_industry) == "1.151733"
    assert str(r.k) == "1.6587"
    assert r.grade == 4
    assert str(r.previous_intensity) == "2.000000"
    assert str(r.fall) == "0.0448"
    assert r.data_quality is DataQuality.A
    assert r.colour is Colour.LIGHT_GREEN
    assert r.finance_tier is FinanceTier.ELIGIBLE
    assert r.pcaf_score == 1
    assert [(x.code, x.values) for x in r.reasons] == [
        (
            "PEER_DIVISION",
            {"basis": "division", "code": "30", "size": "6", "l_industry": "1.151733", "class_size": "1"},
        ),
        ("GRADE_4", {"l": "1.910400", "l_industry": "1.151733", "k": "1.6587"}),
        (
            "PRODUCT_NOT_AT_BENCHMARK",
            {"product": "flat_glass_gt800", "u": "10.5", "benchmark": "8.0", "baseline": "12.0", "unit": "kgce/重量箱"},
        ),
        ("DATA_QUALITY_A", {}),
        ("TREND", {"l": "1.910400", "l_previous": "2.000000", "fall": "0.0448"}),
        ("TREND_UPGRADE", {"fall": "0.0448", "min_fall": "0.0448", "provisional": "true"}),
        ("PROVISIONAL_FACTOR", {}),
    ]
    assert all(isinstance(x, Reason) and x.detail for x in r.reasons)


def test_grade_values_are_decimal_strings() -> None:
    r = rate_against_unit_class(candidate("3011", "600", "1000"))

    assert isinstance(r.k, Decimal)
    assert r.k.as_tuple().exponent == -4
    assert r.intensity.as_tuple().exponent == -6
    assert r.peer_group.l_industry.as_tuple().exponent == -6
