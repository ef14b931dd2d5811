"""Golden tests: 碳效等级 by K = L / L_industry, and the absolute band by L (design.md,
"Rating methodology, version 1", 1; "Numbers": L and L_industry to 6 places, K to 4, all
ROUND_HALF_EVEN). Every expected figure is a literal worked out by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import v1
from scoring.model import Band, PeerBasis, Rating

from .build import D, candidate, codes, peers, rate_against_unit_class, rate_in, reason

# Against the unit class (L_industry = 5000 t ÷ 5000 万元 = 1.000000), a candidate with
# value added 1000 万元 and CO2 c has L = c ÷ 1000 and K = L(6 dp) ÷ 1.000000 to 4 places.
K_CASES = [
    # co2 (t), L (6 dp), K (4 dp), grade
    ("600", "0.600000", "0.6000", 1),  # K exactly 0.6
    ("600.1", "0.600100", "0.6001", 2),  # just above
    ("800", "0.800000", "0.8000", 2),  # K exactly 0.8
    ("800.1", "0.800100", "0.8001", 3),
    ("1200", "1.200000", "1.2000", 3),  # K exactly 1.2
    ("1200.1", "1.200100", "1.2001", 4),
    ("2000", "2.000000", "2.0000", 4),  # K exactly 2.0
    ("2000.1", "2.000100", "2.0001", 5),
]

# The 4th place decides: K is rounded half-even before it is compared with the limits.
K_ROUNDING_CASES = [
    ("600.04", "0.600040", "0.6000", 1),  # 0.60004 → 0.6000
    ("600.05", "0.600050", "0.6000", 1),  # 0.60005 → 0.6000 (half to even: 0)
    ("600.15", "0.600150", "0.6002", 2),  # 0.60015 → 0.6002 (half to even: 2)
    ("600.051", "0.600051", "0.6001", 2),  # just over the half → 0.6001
    ("800.05", "0.800050", "0.8000", 2),  # 0.80005 → 0.8000
    ("1200.05", "1.200050", "1.2000", 3),  # 1.20005 → 1.2000
    ("1200.15", "1.200150", "1.2002", 4),  # 1.20015 → 1.2002
    ("2000.001", "2.000001", "2.0000", 4),  # 2.000001 → 2.0000: grade 4, though L is 高碳
    ("2000.05", "2.000050", "2.0000", 4),  # 2.00005 → 2.0000
    # L is rounded first: 0.6000505 → 0.600050 (half to even: 0), then K 0.60005 → 0.6000.
    # Rounding 0.6000505 straight to 4 places would give 0.6001 and grade 2.
    ("600.0505", "0.600050", "0.6000", 1),
]


@pytest.mark.parametrize(("co2", "intensity", "k", "grade"), K_CASES + K_ROUNDING_CASES)
def test_grade_by_k_against_an_industry_intensity_of_one(co2: str, intensity: str, k: str, grade: int) -> None:
    r = rate_against_unit_class(candidate("3011", co2, "1000", verified=False))

    assert r.gradable is True
    assert str(r.intensity) == intensity
    assert str(r.k) == k
    assert r.grade == grade
    assert str(r.peer_group.l_industry) == "1.000000"
    assert codes(r)[:2] == ["PEER_CLASS", f"GRADE_{grade}"]
    assert reason(r, f"GRADE_{grade}").values == {"l": intensity, "l_industry": "1.000000", "k": k}


def test_a_verified_candidate_counts_in_its_own_class() -> None:
    """The rated enterprise is one of the five: 600 + 4 × 1100 = 5000 t over 5 × 1000 万元."""
    r = rate_in(candidate("3011", "600", "1000"), *peers(4, "1100"))

    assert r.peer_group.size == 5
    assert r.peer_group.co2 == D("5000")
    assert r.peer_group.value_added == D("5000")
    assert str(r.peer_group.l_industry) == "1.000000"
    assert str(r.k) == "0.6000"
    assert r.grade == 1
    assert reason(r, "GRADE_1").values == {"l": "0.600000", "l_industry": "1.000000", "k": "0.6000"}


def test_l_industry_is_rounded_to_six_places_before_k() -> None:
    """Five peers at 2000 t / 3000 万元: L_industry = 10000 ÷ 15000 = 0.6666… → 0.666667.
    L = 800 ÷ 1000 = 0.800000; K = 0.800000 ÷ 0.666667 = 1.1999994… → 1.2000: grade 3."""
    r = rate_in(candidate("3011", "800", "1000", verified=False), *peers(5, "2000", "3000"))

    assert str(r.peer_group.l_industry) == "0.666667"
    assert r.peer_group.co2 == D("10000")
    assert r.peer_group.value_added == D("15000")
    assert str(r.k) == "1.2000"
    assert r.grade == 3
    assert reason(r, "GRADE_3").values == {"l": "0.800000", "l_industry": "0.666667", "k": "1.2000"}


def test_l_industry_of_a_third() -> None:
    """Five peers at 1000 t / 3000 万元: L_industry = 0.333333; L = 200 ÷ 1000 = 0.200000;
    K = 0.200000 ÷ 0.333333 = 0.6000006… → 0.6000: grade 1."""
    r = rate_in(candidate("3011", "200", "1000", verified=False), *peers(5, "1000", "3000"))

    assert str(r.peer_group.l_industry) == "0.333333"
    assert str(r.k) == "0.6000"
    assert r.grade == 1


def test_intensity_is_rounded_half_even_to_six_places() -> None:
    """1234.5675 t ÷ 1000 万元 = 1.2345675 → 1.234568 (half to even: 8); K = 1.2346: grade 4."""
    r = rate_against_unit_class(candidate("3011", "1234.5675", "1000", verified=False))

    assert str(r.intensity) == "1.234568"
    assert str(r.k) == "1.2346"
    assert r.grade == 4


@pytest.mark.parametrize(
    ("k", "grade"),
    [
        ("0", 1),
        ("0.5999", 1),
        ("0.6", 1),
        ("0.6000", 1),
        ("0.6001", 2),
        ("0.60000001", 2),
        ("0.8", 2),
        ("0.8001", 3),
        ("1.2", 3),
        ("1.2001", 4),
        ("2.0", 4),
        ("2.0001", 5),
        ("37", 5),
    ],
)
def test_grade_function(k: str, grade: int) -> None:
    assert v1.grade(Decimal(k)) == grade


# --- the absolute band --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intensity", "expected"),
    [
        ("0", Band.LOW),
        ("0.6", Band.LOW),
        ("0.600000", Band.LOW),
        ("0.600001", Band.MEDIUM),
        ("2.0", Band.MEDIUM),
        ("2.000000", Band.MEDIUM),
        ("2.000001", Band.HIGH),
        ("15", Band.HIGH),
    ],
)
def test_band_function(intensity: str, expected: Band) -> None:
    assert v1.band(Decimal(intensity)) is expected


@pytest.mark.parametrize(
    ("co2", "intensity", "expected"),
    [
        ("600", "0.600000", Band.LOW),
        ("600.001", "0.600001", Band.MEDIUM),
        ("2000", "2.000000", Band.MEDIUM),
        ("2000.001", "2.000001", Band.HIGH),
        ("600.0005", "0.600000", Band.LOW),  # 0.6000005 → 0.600000 (half to even: 0)
        ("600.0015", "0.600002", Band.MEDIUM),  # 0.6000015 → 0.600002 (half to even: 2)
    ],
)
def test_band_of_a_rating(co2: str, intensity: str, expected: Band) -> None:
    r = rate_against_unit_class(candidate("3011", co2, "1000"))

    assert str(r.intensity) == intensity
    assert r.band is expected


def test_band_is_shown_when_there_is_an_intensity_but_no_grade() -> None:
    """Too few peers: no grade, but L = 2500 ÷ 1000 = 2.500000 is 高碳 all the same."""
    r = rate_in(candidate("3011", "2500", "1000"))

    assert r.grade is None
    assert str(r.intensity) == "2.500000"
    assert r.band is Band.HIGH
    assert r.peer_group is None


def test_peer_basis_of_the_unit_class() -> None:
    r = rate_against_unit_class(candidate("3011", "1000", "1000"))

    assert r.peer_group.basis is PeerBasis.CLASS
    assert r.peer_group.code == "3011"
    assert r.peer_group.size == 5


def test_a_peer_group_whose_l_industry_rounds_to_zero_still_gives_a_rating() -> None:
    """Five verified peers at 0.0004 t / 1000 万元: every one is gradable (CO2 > 0, VA > 0), yet
    L_industry = 0.002 ÷ 5000 = 0.0000004 → 0.000000. Rating one of them must not raise."""
    r = rate_in(candidate("3011", "0.0004", "1000"), *peers(4, "0.0004"))

    assert isinstance(r, Rating)
    assert (r.gradable, r.colour.value, r.peer_group) == (False, "unrated", None)
    assert reason(r, "PEER_L_INDUSTRY_ZERO").values["l_industry"] == "0.000000"
