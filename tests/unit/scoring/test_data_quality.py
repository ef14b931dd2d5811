"""Golden tests: data quality (design.md, "Rating methodology, version 1", 4).

A = verified, and every fuel line carrying ≥ 5 % of combustion CO2 has a measured NCV and
carbon content (verified without fuel lines: A); B = verified otherwise; C = submitted.
"""

from __future__ import annotations

from scoring import v1
from scoring.model import DataQuality

from .build import candidate, fuel, rate_against_unit_class, reason

DEFAULTS: tuple[str, ...] = ()
NCV_ONLY = ("ncv",)
CARBON_ONLY = ("carbon_content",)
OXIDATION_ONLY = ("oxidation",)
ALL = ("carbon_content", "ncv", "oxidation")


def _dq(*lines, verified: bool = True) -> tuple[DataQuality, dict[str, str], str]:
    q, r = v1.data_quality(candidate("3011", None, "1000", combustion=lines, verified=verified))
    return q, r.values, r.code


def test_a_when_every_major_line_is_measured() -> None:
    """950 t and 50 t of 1000 t: both lines carry ≥ 5 % (the second exactly 5 %), both measured."""
    assert _dq(fuel("energy[0]", "950"), fuel("energy[1]", "50")) == (DataQuality.A, {}, "DATA_QUALITY_A")


def test_b_when_a_line_of_exactly_5_percent_uses_defaults() -> None:
    assert _dq(fuel("energy[0]", "950"), fuel("energy[1]", "50", DEFAULTS)) == (
        DataQuality.B,
        {"lines": "energy[1]"},
        "DATA_QUALITY_B",
    )


def test_a_when_only_a_line_under_5_percent_uses_defaults() -> None:
    """49.9 t of 1000 t is 4.99 %: its defaults do not matter."""
    assert _dq(fuel("energy[0]", "950.1"), fuel("energy[1]", "49.9", DEFAULTS)) == (
        DataQuality.A,
        {},
        "DATA_QUALITY_A",
    )


def test_b_when_a_major_line_measured_only_one_of_ncv_and_carbon_content() -> None:
    assert _dq(fuel("energy[0]", "1000", NCV_ONLY))[:2] == (DataQuality.B, {"lines": "energy[0]"})
    assert _dq(fuel("energy[0]", "1000", CARBON_ONLY))[:2] == (DataQuality.B, {"lines": "energy[0]"})
    assert _dq(fuel("energy[0]", "1000", OXIDATION_ONLY))[:2] == (DataQuality.B, {"lines": "energy[0]"})


def test_a_measured_oxidation_on_top_is_still_a() -> None:
    assert _dq(fuel("energy[0]", "1000", ALL))[0] is DataQuality.A


def test_b_names_every_major_line_on_defaults_in_order() -> None:
    """600 t (60 %), 30 t (3 %) and 370 t (37 %), all on defaults: the minor one is not named."""
    lines = (fuel("energy[0]", "600", DEFAULTS), fuel("energy[1]", "30", DEFAULTS), fuel("energy[2]", "370", DEFAULTS))
    assert _dq(*lines)[:2] == (DataQuality.B, {"lines": "energy[0],energy[2]"})


def test_c_when_unverified_however_measured() -> None:
    assert _dq(fuel("energy[0]", "1000", ALL), verified=False) == (DataQuality.C, {}, "DATA_QUALITY_C")


def test_a_verified_filing_without_fuel_lines_is_a() -> None:
    """1000 t of CO2 (from the builder's total) and no fuel line at all."""
    q, r = v1.data_quality(candidate("3011", "1000", "1000"))

    assert q is DataQuality.A
    assert r.code == "DATA_QUALITY_A"


def test_a_verified_filing_whose_fuel_lines_emit_nothing_is_a() -> None:
    assert _dq(fuel("energy[0]", "0", DEFAULTS))[0] is DataQuality.A


def test_the_rating_carries_data_quality_and_its_reason() -> None:
    r = rate_against_unit_class(
        candidate("3011", None, "1000", combustion=[fuel("energy[0]", "900"), fuel("energy[1]", "100", DEFAULTS)])
    )

    assert r.data_quality is DataQuality.B
    assert reason(r, "DATA_QUALITY_B").values == {"lines": "energy[1]"}
    assert str(r.intensity) == "1.000000"

    unverified = rate_against_unit_class(candidate("3011", "1000", "1000", verified=False))
    assert unverified.data_quality is DataQuality.C
    assert reason(unverified, "DATA_QUALITY_C").values == {}
