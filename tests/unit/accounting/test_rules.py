"""One rule of design.md "Accounting" per test, each on a worked example with literal figures."""

from __future__ import annotations

import msgspec
import pytest

from domain.accounting import Flag, Level, NotCovered
from domain.errors import InvalidField
from domain.factors import FactorSet
from domain.sourced import Confidence

from .worked import D, factor_set_for, run, steps


def test_gas_at_20c_gives_273_15_over_293_15_of_the_same_volume_at_0c() -> None:
    at_20c = run("3071", 2023, {"energy": [{"carrier": "natural_gas", "quantity": "5863000", "unit": "m3@20C"}]})
    at_0c = run("3071", 2023, {"energy": [{"carrier": "natural_gas", "quantity": "5863000", "unit": "Nm3"}]})

    # 5 863 000 m³ at 20 °C × 273.15/293.15 = 5 463 000 Nm³ exactly (293.15 = 5863/20).
    # Then 10^4 Nm³ × NCV 389.31 × 0.01532 tC/GJ × 0.99 × 44/12 (MEE guideline defaults for 天然气).
    steps(
        ("5863000", "*", "273.15", "1601478450.00"),
        ("1601478450.00", "/", "293.15", "5463000"),
        ("5463000", "/", "10000", "546.3"),
        ("546.3", "*", "389.31", "212680.053"),
        ("212680.053", "*", "0.01532", "3258.25841196"),
        ("3258.25841196", "*", "0.99", "3225.6758278404"),
        ("3225.6758278404", "*", "44", "141929.7364249776"),
        ("141929.7364249776", "/", "12", "11827.4780354148"),
        ("586.3", "*", "389.31", "228252.453"),
        ("228252.453", "*", "0.01532", "3496.82757996"),
        ("3496.82757996", "*", "0.99", "3461.8593041604"),
        ("3461.8593041604", "*", "44", "152321.8093830576"),
        ("152321.8093830576", "/", "12", "12693.4841152548"),
    )
    assert at_20c.emissions.combustion == D("11827.4780354148")
    assert at_0c.emissions.combustion == D("12693.4841152548")
    # The ratio, exactly: co2(20 °C) × 293.15 = co2(0 °C) × 273.15.
    steps(
        ("11827.4780354148", "*", "293.15", "3467225.186081848620"),
        ("12693.4841152548", "*", "273.15", "3467225.186081848620"),
    )
    assert at_20c.emissions.combustion * D("293.15") == at_0c.emissions.combustion * D("273.15")


def test_power_plant_gets_no_export_credit_a_cement_plant_does() -> None:
    lines = {"electricity": {"purchased_mwh": "50000", "exported_mwh": "30000"}}
    power = run("4411", 2023, lines)
    cement = run("3011", 2023, lines)

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(
        ("50000", "*", "0.6096", "30480.0000"),  # 4411 火力发电: purchased only
        ("50000", "-", "30000", "20000"),
        ("20000", "*", "0.6096", "12192.0000"),  # 3011 水泥制造: purchased − exported
    )
    assert power.emissions.electricity == D("30480")
    assert cement.emissions.electricity == D("12192")
    # The same for energy, at 0.1229 tce/MWh (当量值, GB/T 2589-2020).
    steps(("50000", "*", "0.1229", "6145.0000"), ("20000", "*", "0.1229", "2458.0000"))
    assert (power.energy_tce, cement.energy_tce) == (D("6145"), D("2458"))


def test_whole_site_product_takes_the_site_total_and_says_so() -> None:
    result = run(
        "3011",
        2023,
        {
            "energy": [{"carrier": "bituminous_coal", "quantity": "73269", "unit": "t"}],
            "electricity": {"purchased_mwh": "50000"},
            "products": [{"product": "cement_clinker", "output": "600000", "whole_site": True}],
        },
    )
    # Site: 73 269 t × 23.204 GJ/t (烟煤, GB/T 32150-2015 Annex B) ÷ 29.3076 GJ/tce
    # + 50 000 MWh × 0.1229 tce/MWh (GB/T 2589-2020).
    steps(
        ("73269", "*", "23.204", "1700133.876"),
        ("1700133.876", "/", "29.3076", "58010"),
        ("50000", "*", "0.1229", "6145.0000"),
        ("58010", "+", "6145", "64155"),
        ("64155", "*", "1000", "64155000"),  # kgce
        ("64155000", "/", "600000", "106.925"),  # kgce/t
    )
    assert result.energy_tce == D("64155")
    (clinker,) = result.products
    assert (clinker.energy, clinker.unit_energy_use) == (D("64155000"), D("106.925"))
    assert clinker.level is Level.BASELINE  # 100 < 106.925 ≤ 117
    assert clinker.flags == [Flag.LEVEL_FROM_SITE_TOTAL]
    assert Flag.LEVEL_FROM_SITE_TOTAL in result.flags


def test_product_without_a_benchmark_row_is_not_covered() -> None:
    result = run(
        "3011",
        2023,
        {
            "products": [
                {
                    "product": "cement",
                    "output": "1000000",
                    "attributes": {"clinker_ratio_pct": "70"},
                    "energy": "90000",
                    "energy_unit": "tce",
                }
            ]
        },
    )
    steps(("90000", "*", "1000", "90000000"), ("90000000", "/", "1000000", "90"))
    (cement,) = result.products
    assert cement.unit_energy_use == D("90")  # computed and shown, but not graded
    assert (cement.level, cement.reason) == (Level.NOT_COVERED, NotCovered.NO_BENCHMARK_ROW)
    assert (cement.benchmark, cement.baseline) == (None, None)
    assert Flag.PROVISIONAL_FACTOR not in result.flags  # no benchmark level was used


def _with_gas_ncv_confidence(confidence: Confidence) -> FactorSet:
    """The shipped 2023 set with the natural-gas NCV relabelled (value and source unchanged)."""
    shipped = factor_set_for(2023)
    carriers = [
        msgspec.structs.replace(c, ncv=msgspec.structs.replace(c.ncv, confidence=confidence))
        if c.code == "natural_gas" and c.ncv is not None
        else c
        for c in shipped.carriers
    ]
    return msgspec.structs.replace(shipped, carriers=carriers)


@pytest.mark.parametrize(
    ("confidence", "flags"), [(Confidence.UNCONFIRMED, [Flag.PROVISIONAL_FACTOR]), (Confidence.READ, [])]
)
def test_a_factor_labelled_unconfirmed_marks_the_account_provisional(confidence: Confidence, flags: list[Flag]) -> None:
    filing = {"energy": [{"carrier": "natural_gas", "quantity": "1000", "unit": "10^4Nm3"}], "value_added_wan": "5000"}
    result = run("3071", 2023, filing, factors=_with_gas_ncv_confidence(confidence))
    assert result.flags == flags
    (ncv,) = [f for f in result.factors if f.key == "carriers.natural_gas.ncv"]
    assert (ncv.value, ncv.confidence, ncv.provisional) == (D("389.31"), confidence, bool(flags))


def test_a_year_without_its_own_grid_factor_uses_the_nearest_and_flags_it() -> None:
    filing = {"electricity": {"purchased_mwh": "10000"}, "value_added_wan": "3000"}
    y2024, y2023, y2022 = (run("3011", year, filing) for year in (2024, 2023, 2022))

    # 2024 is not published yet: 2023's 0.6096 tCO2/MWh (MEE/NBS 公告2025年第47号 Table 4), flagged.
    steps(("10000", "*", "0.6096", "6096.0000"), ("10000", "*", "0.5856", "5856.0000"))
    assert y2024.emissions.electricity == D("6096")
    assert y2024.flags == [Flag.FACTOR_YEAR_PROXY]
    assert [f.value for f in y2024.factors if f.key == "grid_factor"] == [D("0.6096")]
    assert y2023.emissions.electricity == D("6096")
    assert y2023.flags == []
    # 2022 has its own: 0.5856 tCO2/MWh (MEE/NBS 公告2024年第33号 Table 4).
    assert y2022.emissions.electricity == D("5856")
    assert y2022.flags == []


def test_raw_coal_burnt_without_a_measured_carbon_content_names_the_field() -> None:
    # 原煤 has a default NCV (GB/T 2589-2020) but no carbon content default: it must be measured.
    filing = {"energy": [{"carrier": "raw_coal", "quantity": "10000", "unit": "t", "ncv": "21.5", "oxidation": "0.95"}]}
    with pytest.raises(InvalidField) as raised:
        run("3011", 2023, filing)
    assert raised.value.field == "energy[0].carbon_content"


def test_a_unit_that_does_not_fit_the_carrier_names_the_field() -> None:
    with pytest.raises(InvalidField) as raised:
        run("3071", 2023, {"energy": [{"carrier": "natural_gas", "quantity": "1000", "unit": "t"}]})
    assert raised.value.field == "energy[0].unit"


def test_a_negative_quantity_names_the_field() -> None:
    with pytest.raises(InvalidField) as raised:
        run("3071", 2023, {"energy": [{"carrier": "natural_gas", "quantity": "-1000", "unit": "10^4Nm3"}]})
    assert raised.value.field == "energy[0].quantity"
