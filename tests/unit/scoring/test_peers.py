"""Golden tests: peer groups (class, division fallback, too small) and what makes an
account ungradable (design.md, "Rating methodology, version 1", 1)."""

from __future__ import annotations

import pytest

from domain.accounting import Flag
from scoring import v1
from scoring.model import Band, Colour, FinanceTier, PeerBasis

from .build import D, candidate, codes, peers, rate_in, reason


def test_a_class_of_five_verified_gradable_members_is_the_peer_group() -> None:
    rated = candidate("3011", "1000", "1000")
    r = rate_in(rated, *peers(4, "1000"))

    assert r.peer_group.basis is PeerBasis.CLASS
    assert r.peer_group.code == "3011"
    assert r.peer_group.size == 5
    assert r.peer_group.co2 == D("5000")
    assert r.peer_group.value_added == D("5000")
    assert str(r.peer_group.l_industry) == "1.000000"
    assert reason(r, "PEER_CLASS").values == {"basis": "class", "code": "3011", "size": "5", "l_industry": "1.000000"}
    assert "PEER_DIVISION" not in codes(r)
    assert str(r.k) == "1.0000"
    assert r.grade == 3


def test_a_class_of_four_falls_back_to_the_division() -> None:
    """Four 3011 at 1000 t / 1000 万元 and two 3041 at 2500 t / 1000 万元: division 30 has six,
    Σ CO2 = 4000 + 5000 = 9000 t over 6000 万元, L_industry = 1.500000; the rated 3011 (one
    of the four) has L = 1.000000, K = 1 ÷ 1.5 = 0.6666… → 0.6667: grade 2."""
    rated = candidate("3011", "1000", "1000")
    others = [*peers(3, "1000"), *peers(2, "2500", industry="3041")]
    groups = v1.peer_groups([rated, *others])

    assert {key: g.size for key, g in groups.items()} == {
        (PeerBasis.CLASS, "3011"): 4,
        (PeerBasis.CLASS, "3041"): 2,
        (PeerBasis.DIVISION, "30"): 6,
    }
    r = v1.rate(rated, groups)

    assert r.peer_group.basis is PeerBasis.DIVISION
    assert r.peer_group.code == "30"
    assert r.peer_group.size == 6
    assert r.peer_group.co2 == D("9000")
    assert r.peer_group.value_added == D("6000")
    assert str(r.peer_group.l_industry) == "1.500000"
    assert reason(r, "PEER_DIVISION").values == {
        "basis": "division",
        "code": "30",
        "size": "6",
        "l_industry": "1.500000",
        "class_size": "4",
    }
    assert "PEER_CLASS" not in codes(r)
    assert str(r.k) == "0.6667"
    assert r.grade == 2
    assert reason(r, "GRADE_2").values == {"l": "1.000000", "l_industry": "1.500000", "k": "0.6667"}


def test_a_class_with_no_verified_member_falls_back_to_the_division_with_class_size_zero() -> None:
    """A submitted 3012 (lime) filer among five verified 3011: division 30, class size 0.
    L = 1500 ÷ 1000 = 1.500000; K = 1.5 ÷ 1 = 1.5000: grade 4."""
    r = rate_in(candidate("3012", "1500", "1000", verified=False), *peers(5, "1000"))

    assert reason(r, "PEER_DIVISION").values == {
        "basis": "division",
        "code": "30",
        "size": "5",
        "l_industry": "1.000000",
        "class_size": "0",
    }
    assert r.grade == 4


def test_fewer_than_five_in_the_division_too_is_not_gradable() -> None:
    """Three 3011 and one 3041, all verified: class 3, division 4."""
    rated = candidate("3011", "1000", "1000")
    r = rate_in(rated, *peers(2, "1000"), *peers(1, "1000", industry="3041"))

    assert r.gradable is False
    assert r.grade is None
    assert r.k is None
    assert r.peer_group is None
    assert r.colour is Colour.UNRATED
    assert r.finance_tier is FinanceTier.UNRATED
    assert str(r.intensity) == "1.000000"
    assert r.band is Band.MEDIUM
    assert codes(r) == ["PEER_GROUP_TOO_SMALL", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "PEER_GROUP_TOO_SMALL").values == {"class_size": "3", "division_size": "4", "min_peers": "5"}


def test_alone_in_the_round_is_not_gradable() -> None:
    r = rate_in(candidate("3011", "1000", "1000", verified=False))

    assert r.colour is Colour.UNRATED
    assert reason(r, "PEER_GROUP_TOO_SMALL").values == {"class_size": "0", "division_size": "0", "min_peers": "5"}


def test_an_unverified_candidate_is_rated_against_the_group_but_not_counted_in_it() -> None:
    """Five verified at 1000 t / 1000 万元 and the submitted one at 600 t: the group stays
    5 members, 5000 t, 5000 万元, L_industry 1.000000; K = 0.6000: grade 1."""
    rated = candidate("3011", "600", "1000", verified=False)
    groups = v1.peer_groups([rated, *peers(5, "1000")])

    assert groups[(PeerBasis.CLASS, "3011")].size == 5
    assert groups[(PeerBasis.CLASS, "3011")].co2 == D("5000")
    r = v1.rate(rated, groups)

    assert r.peer_group.size == 5
    assert r.peer_group.co2 == D("5000")
    assert r.peer_group.value_added == D("5000")
    assert str(r.k) == "0.6000"
    assert r.grade == 1


def test_four_verified_and_one_submitted_are_not_a_group_of_five() -> None:
    r = rate_in(candidate("3011", "1000", "1000", verified=False), *peers(4, "1000"))

    assert r.gradable is False
    assert reason(r, "PEER_GROUP_TOO_SMALL").values == {"class_size": "4", "division_size": "4", "min_peers": "5"}


def test_ungradable_verified_members_are_not_counted() -> None:
    """Five verified 3011, but one has value added 0 and one is PROCESS_NOT_COVERED: three count."""
    r = rate_in(
        candidate("3011", "1000", "1000"),
        *peers(2, "1000"),
        candidate("3011", "1000", "0"),
        candidate("3011", "1000", "1000", flags=[Flag.PROCESS_NOT_COVERED]),
    )

    assert reason(r, "PEER_GROUP_TOO_SMALL").values == {"class_size": "3", "division_size": "3", "min_peers": "5"}


def test_peer_groups_hold_only_verified_gradable_candidates() -> None:
    groups = v1.peer_groups(
        [
            candidate("3011", "1000", "1000", verified=False),
            candidate("3011", "0", "1000"),
            candidate("3011", "1000", "-5"),
            candidate("2612", "1000", "1000", flags=[Flag.PROCESS_NOT_COVERED]),
        ]
    )

    assert groups == {}


@pytest.mark.parametrize(("value_added", "shown"), [("0", "0"), ("-250", "-250")])
def test_value_added_not_positive_is_not_gradable(value_added: str, shown: str) -> None:
    r = rate_in(candidate("3011", "1000", value_added), *peers(5, "1000"))

    assert r.gradable is False
    assert r.intensity is None
    assert r.band is None
    assert r.k is None
    assert r.grade is None
    assert r.peer_group is None
    assert r.colour is Colour.UNRATED
    assert r.finance_tier is FinanceTier.UNRATED
    assert r.pcaf_score == 1
    assert codes(r) == ["VALUE_ADDED_NOT_POSITIVE", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "VALUE_ADDED_NOT_POSITIVE").values == {"value_added_wan": shown}


def test_no_value_added_is_not_gradable() -> None:
    r = rate_in(candidate("3011", "1000", None), *peers(5, "1000"))

    assert r.gradable is False
    assert r.intensity is None
    assert r.colour is Colour.UNRATED
    assert codes(r)[0] == "VALUE_ADDED_NOT_POSITIVE"


@pytest.mark.parametrize(("co2", "intensity"), [("0", "0.000000"), ("-10", "-0.010000")])
def test_co2_not_positive_is_not_gradable(co2: str, intensity: str) -> None:
    r = rate_in(candidate("3011", co2, "1000"), *peers(5, "1000"))

    assert r.gradable is False
    assert r.grade is None
    assert str(r.intensity) == intensity
    assert r.colour is Colour.UNRATED
    assert r.finance_tier is FinanceTier.UNRATED
    assert codes(r) == ["CO2_NOT_POSITIVE", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "CO2_NOT_POSITIVE").values == {"co2": co2}


def test_value_added_and_co2_both_not_positive_give_both_reasons() -> None:
    r = rate_in(candidate("3011", "0", "0"), *peers(5, "1000"))

    assert codes(r)[:2] == ["VALUE_ADDED_NOT_POSITIVE", "CO2_NOT_POSITIVE"]
    assert reason(r, "VALUE_ADDED_NOT_POSITIVE").values == {"value_added_wan": "0"}
    assert reason(r, "CO2_NOT_POSITIVE").values == {"co2": "0"}


def test_process_not_covered_is_not_gradable() -> None:
    """2612 无机碱制造 (soda ash) flagged PROCESS_NOT_COVERED, among five verified 2612 that
    (for the test) are not flagged: there is a group, but the flagged one is not graded."""
    rated = candidate("2612", "1000", "1000", flags=[Flag.PROCESS_NOT_COVERED])
    r = rate_in(rated, *peers(5, "1000", industry="2612"))

    assert r.gradable is False
    assert r.grade is None
    assert r.peer_group is None
    assert str(r.intensity) == "1.000000"
    assert r.colour is Colour.UNRATED
    assert r.finance_tier is FinanceTier.UNRATED
    assert codes(r) == ["PROCESS_NOT_COVERED", "DATA_QUALITY_A", "NO_PREVIOUS_YEAR"]
    assert reason(r, "PROCESS_NOT_COVERED").values == {"industry": "2612"}


def test_ungradable_function() -> None:
    assert v1.ungradable(candidate("3011", "1", "1").account) == []
    assert [r.code for r in v1.ungradable(candidate("3011", "0", "0", flags=[Flag.PROCESS_NOT_COVERED]).account)] == [
        "VALUE_ADDED_NOT_POSITIVE",
        "CO2_NOT_POSITIVE",
        "PROCESS_NOT_COVERED",
    ]
