"""Property tests of the rating: monotone grades and levels, deterministic signed content."""

from __future__ import annotations

import json
import random
import uuid
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.accounting import AccountResult, Level, account
from domain.benchmarks import shipped_benchmark_edition
from domain.canonical import canonical_json
from domain.factors import shipped_factor_sets
from domain.filings import FilingContent
from domain.industry import classify
from scoring import v1
from scoring.model import Rating
from service.ratings.payload import Pins, full_claims, grade_claims
from tests.helpers import cement

from .build import account as build_account
from .build import candidate, peers, product

MODEST = settings(max_examples=150, deadline=None)

# Limits of the grades, and either side of them at the 4th place.
K_EDGES = [Decimal(k) for k in ("0", "0.5999", "0.6", "0.6001", "0.8", "0.8001", "1.2", "1.2001", "2.0", "2.0001")]
k_values = st.one_of(
    st.sampled_from(K_EDGES),
    st.decimals(min_value=0, max_value=10, places=4),
    st.decimals(min_value=0, max_value=10, allow_nan=False, allow_infinity=False),
)
tonnes = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1000000), places=3)
# Peers emit at least 1 t each, so that L_industry ≥ 1 ÷ 100 000 never rounds to 0 (see
# test_grades.test_a_peer_group_whose_l_industry_rounds_to_zero_still_gives_a_rating).
peer_tonnes = st.decimals(min_value=Decimal(1), max_value=Decimal(1000000), places=3)
wan = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)


# --- the grade never improves when K grows ------------------------------------------------


@MODEST
@given(a=k_values, b=k_values)
def test_grade_never_improves_as_k_grows(a: Decimal, b: Decimal) -> None:
    """For K ≤ K′, grade(K) ≤ grade(K′): a larger K never gives a better (smaller) grade."""
    lo, hi = sorted((a, b))
    assert v1.grade(lo) <= v1.grade(hi)
    assert 1 <= v1.grade(lo) <= 5


@MODEST
@given(
    peer_co2=st.lists(peer_tonnes, min_size=5, max_size=8),
    peer_va=wan,
    value_added=wan,
    co2=tonnes,
    more=tonnes,
    verified=st.booleans(),
)
def test_grade_never_improves_as_co2_grows_against_a_fixed_peer_group(
    peer_co2: list[Decimal], peer_va: Decimal, value_added: Decimal, co2: Decimal, more: Decimal, verified: bool
) -> None:
    """With the peer groups fixed, raising a candidate's CO2 (value added unchanged) never
    lowers its L, its K or its grade number."""
    groups = v1.peer_groups([candidate("3011", t, peer_va) for t in peer_co2])
    before = v1.rate(candidate("3011", co2, value_added, verified=verified), groups)
    after = v1.rate(candidate("3011", co2 + more, value_added, verified=verified), groups)

    assert before.grade is not None
    assert after.grade is not None
    assert before.intensity <= after.intensity
    assert before.k <= after.k
    assert before.grade <= after.grade


@MODEST
@given(co2=tonnes, more=tonnes, value_added=wan)
def test_an_unverified_candidate_leaves_its_peer_group_unchanged(
    co2: Decimal, more: Decimal, value_added: Decimal
) -> None:
    """A submitted (unverified) candidate is rated against the round's group but is not in it,
    so raising its CO2 moves only its own K, never L_industry."""
    five = peers(5, "1000")
    low = v1.rate(c := candidate("3011", co2, value_added, verified=False), v1.peer_groups([*five, c]))
    high = v1.rate(c := candidate("3011", co2 + more, value_added, verified=False), v1.peer_groups([*five, c]))

    assert low.peer_group == high.peer_group
    assert low.grade <= high.grade


# --- a product's level never improves as its unit energy use grows --------------------------

RANK = {Level.BENCHMARK: 0, Level.BASELINE: 1, Level.BELOW_BASELINE: 2}
FACTORS_2023 = next(fs for fs in shipped_factor_sets() if fs.year == 2023)
CEMENT = classify("3011")
EDITION = shipped_benchmark_edition()
# The cement filing's clinker: 800 000 t; its energy in tce, so u = energy × 1000 ÷ 800 000
# kgce/t; 标杆 100 kgce/t is 80 000 tce and 基准 117 kgce/t is 93 600 tce.
clinker_tce = st.one_of(
    st.sampled_from([Decimal(e) for e in ("0", "80000", "80000.001", "93600", "93600.001")]),
    st.decimals(min_value=0, max_value=200000, places=3),
)


def clinker_level(energy_tce: Decimal) -> Level:
    content = msgspec.convert(cement(clinker_energy=str(energy_tce)), FilingContent)
    result = account(content, CEMENT, FACTORS_2023, EDITION)
    [clinker] = result.products
    return clinker.level


@MODEST
@given(a=clinker_tce, b=clinker_tce)
@example(a=Decimal("80000"), b=Decimal("80000.001"))
@example(a=Decimal("93600"), b=Decimal("93600.001"))
def test_raising_a_products_energy_never_improves_its_level(a: Decimal, b: Decimal) -> None:
    """For the cement filing's clinker, more energy for the same output (a larger unit energy
    use) never gives a better level: benchmark, then baseline, then below_baseline."""
    lo, hi = sorted((a, b))
    assert RANK[clinker_level(lo)] <= RANK[clinker_level(hi)]


@pytest.mark.parametrize(
    ("energy_tce", "level"),
    [
        ("80000", Level.BENCHMARK),  # u = 100 kgce/t = 标杆
        ("80000.001", Level.BASELINE),  # u = 100.00000125
        ("93600", Level.BASELINE),  # u = 117 = 基准
        ("93600.001", Level.BELOW_BASELINE),  # u = 117.00000125
    ],
)
def test_clinker_levels_at_the_limits(energy_tce: str, level: Level) -> None:
    assert clinker_level(Decimal(energy_tce)) is level


# --- the same inputs give byte-identical canonical payloads --------------------------------

ISS, IAT, EXP = "https://carbon.zibo.example", 1735689600, 1783036800


def pins(industry: str) -> Pins:
    return Pins(
        rating_id=uuid.UUID("0190f5e4-3c1a-7b2e-9a11-5f0c2d9e8a01"),
        round_id=uuid.UUID("0190f5e4-3c1a-7b2e-9a11-5f0c2d9e8a02"),
        year=2023,
        uscc="91370300MA3C0FFEE1",
        name="淄博测试水泥有限公司",
        district="370303",
        industry=industry,
        sector="building_materials",
        filing_id=uuid.UUID("0190f5e4-3c1a-7b2e-9a11-5f0c2d9e8a03"),
        filing_version=2,
        filing_sha256="ab" * 32,
        factor_set_id=uuid.UUID("0190f5e4-3c1a-7b2e-9a11-5f0c2d9e8a04"),
        factor_set_version=1,
        factor_set_sha256="cd" * 32,
        edition_id=uuid.UUID("0190f5e4-3c1a-7b2e-9a11-5f0c2d9e8a05"),
        edition_sha256="ef" * 32,
    )


rating_inputs = st.fixed_dictionaries(
    {
        "industry": st.sampled_from(["3011", "3012", "3041"]),
        "co2": st.decimals(min_value=Decimal(-10), max_value=Decimal(100000), places=3),
        "value_added": st.one_of(st.none(), st.decimals(min_value=Decimal(-10), max_value=Decimal(100000), places=2)),
        "verified": st.booleans(),
        "level": st.sampled_from(list(Level)),
        "site_total": st.booleans(),
        "previous": st.one_of(st.none(), st.decimals(min_value=Decimal("0.1"), max_value=Decimal(5), places=7)),
        "peers": st.integers(min_value=0, max_value=7),
    }
)


def build(inputs: dict[str, Any]) -> tuple[Pins, AccountResult, Rating]:
    """Pins, account and rating made afresh from the inputs (no object shared between calls)."""
    prev = (
        None
        if inputs["previous"] is None
        else build_account(inputs["industry"], "1", "1", intensity=inputs["previous"])
    )
    prod = product(
        inputs["level"], site_total=inputs["site_total"], u=None if inputs["level"] is Level.NOT_COVERED else "105"
    )
    c = candidate(
        inputs["industry"],
        str(inputs["co2"]),
        None if inputs["value_added"] is None else str(inputs["value_added"]),
        products=[prod],
        verified=inputs["verified"],
        previous=prev,
        uscc="91370300MA3C0FFEE1",
    )
    rating = v1.rate(c, v1.peer_groups([c, *peers(inputs["peers"], "1000")]))
    return pins(inputs["industry"]), c.account, rating


@MODEST
@given(inputs=rating_inputs)
def test_equal_inputs_give_byte_identical_canonical_claims(inputs: dict[str, Any]) -> None:
    """Building the full (and grade-only) claims twice from equal pins, account and rating gives
    the same canonical JSON bytes; so does an account and rating reloaded from their JSON."""
    first = full_claims(*build(inputs), iss=ISS, iat=IAT, exp=EXP)
    second = full_claims(*build(inputs), iss=ISS, iat=IAT, exp=EXP)
    assert canonical_json(first) == canonical_json(second)
    assert canonical_json(grade_claims(first)) == canonical_json(grade_claims(second))

    p, acct, rating = build(inputs)
    acct2 = msgspec.json.decode(msgspec.json.encode(acct), type=AccountResult)
    rating2 = msgspec.json.decode(msgspec.json.encode(rating), type=Rating)
    reloaded = full_claims(p, acct2, rating2, iss=ISS, iat=IAT, exp=EXP)
    assert canonical_json(reloaded) == canonical_json(first)


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with every object's keys inserted in a random order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=5),
    max_leaves=25,
)


@MODEST
@given(value=json_values, rng=st.randoms(use_true_random=False))
def test_canonical_json_ignores_key_order(value: Any, rng: random.Random) -> None:
    """canonical_json gives the same bytes whatever order a dict's keys were inserted in, and
    the bytes are JSON for the same value."""
    assert canonical_json(_shuffled(value, rng)) == canonical_json(value)
    assert json.loads(canonical_json(value).decode("utf-8")) == value


@MODEST
@given(inputs=rating_inputs, rng=st.randoms(use_true_random=False))
def test_canonical_claims_ignore_key_order(inputs: dict[str, Any], rng: random.Random) -> None:
    """The signed content of a rating does not depend on the order its claims were assembled in."""
    claims = full_claims(*build(inputs), iss=ISS, iat=IAT, exp=EXP)
    assert canonical_json(_shuffled(claims, rng)) == canonical_json(claims)
