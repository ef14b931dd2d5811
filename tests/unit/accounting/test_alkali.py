"""Worked example: an ion-membrane caustic soda plant, GB/T 4754-2017 2612 无机碱制造, 100 kt a
year of 30 % liquid caustic, electricity-heavy, buying steam; accounting year 2023."""

from __future__ import annotations

import msgspec

from domain.accounting import Flag, Level, account
from domain.benchmarks import shipped_benchmark_edition
from domain.filings import FilingContent
from domain.industry import classify

from .worked import D, factor_set_for, run, steps

FILING = {
    "electricity": {"purchased_mwh": "260000"},
    "heat": [
        {
            "direction": "purchased",
            "quantity": "40000",
            "unit": "t_steam",
            "pressure_mpa": "1.3",
            "temperature_c": "220",
        }
    ],
    "products": [{"product": "caustic_soda_liquid_30", "output": "100000", "energy": "33000", "energy_unit": "tce"}],
    "value_added_wan": "15000",
}


def test_caustic_soda_electricity_and_purchased_steam() -> None:
    result = run("2612", 2023, FILING)

    assert result.combustion == [] and result.emissions.combustion == 0
    assert result.process == [] and result.emissions.process == 0

    # Steam 1.3 MPa (absolute), 220 °C (superheated; saturation is about 191.6 °C):
    # h = 2860.661 kJ/kg, the IAPWS-IF97 region 2 value domain/steam.py gives (a plausibility
    # check only: common steam tables put h between about 2800 and 2940 kJ/kg over
    # 1.2–1.4 MPa, 200–250 °C).
    # GJ = t × (h − 83.74 kJ/kg) ÷ 1000.
    steps(
        ("2860.661", "-", "83.74", "2776.921"),
        ("40000", "*", "2776.921", "111076840.000"),
        ("111076840.000", "/", "1000", "111076.840"),  # GJ
    )
    heat_item = next(e for e in result.energy if e.line == "heat[0]")
    assert heat_item.quantity == D("111076.840")

    # Heat: GJ × 0.11 tCO2/GJ (MEE accounting guidelines default for purchased heat).
    steps(("111076.840", "*", "0.11", "12218.45240"))
    assert result.emissions.heat == D("12218.4524")
    # Electricity: MWh × 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("260000", "*", "0.6096", "158496.0000"))
    assert result.emissions.electricity == D("158496")
    steps(("158496", "+", "12218.4524", "170714.4524"))
    assert result.emissions.scope2 == result.emissions.total == D("170714.4524")

    # Energy: 260 000 MWh × 0.1229 tce/MWh (当量值, GB/T 2589-2020)
    # + 111 076.84 GJ × 0.03412 kgce/MJ (= tce/GJ; GB/T 2589-2020).
    steps(
        ("260000", "*", "0.1229", "31954.0000"),
        ("111076.840", "*", "0.03412", "3789.94178080"),
        ("31954", "+", "3789.9417808", "35743.9417808"),
    )
    assert [(e.what, e.tce) for e in result.energy] == [("electricity", D("31954")), ("heat", D("3789.9417808"))]
    assert result.energy_tce == D("35743.9417808")

    # 离子膜法液碱 ≥ 30 %: NDRC 2021 标杆 315 / 基准 350 kgce/t (= GB 21257-2024).
    steps(("33000", "*", "1000", "33000000"), ("33000000", "/", "100000", "330"))
    (soda,) = result.products
    assert (soda.unit_energy_use, soda.benchmark, soda.baseline) == (D("330"), D("315"), D("350"))
    assert soda.level is Level.BASELINE  # 315 < 330 ≤ 350

    # 2612 is PROCESS_NOT_COVERED in version 1, but a filing of 烧碱 only has no process CO2
    # (brine electrolysis; GB/T 32151.10-2015): the shipped edition's rule covers it.
    assert result.flags == [Flag.PROCESS_COVERED_BY_PRODUCTS, Flag.PROVISIONAL_FACTOR]


SODA_ASH = {"product": "soda_ash_ammonia_light", "output": "50000", "energy": "17000", "energy_unit": "tce"}


def test_soda_ash_stays_not_covered_alone_or_beside_caustic_soda() -> None:
    """纯碱 fixes part of the limestone's CO2 in the product: a carbon balance v1 does not do."""
    alone = run("2612", 2023, {**FILING, "products": [SODA_ASH]})
    assert Flag.PROCESS_NOT_COVERED in alone.flags and Flag.PROCESS_COVERED_BY_PRODUCTS not in alone.flags
    both = run("2612", 2023, {**FILING, "products": [*FILING["products"], SODA_ASH]})
    assert Flag.PROCESS_NOT_COVERED in both.flags
    none = run("2612", 2023, {**FILING, "products": []})  # no product filed: nothing shows it is 烧碱
    assert Flag.PROCESS_NOT_COVERED in none.flags


def test_an_edition_without_the_rule_keeps_the_class_flag() -> None:
    """Editions stored before the split have no process_coverage: their accounts are unchanged."""
    older = msgspec.structs.replace(shipped_benchmark_edition(), process_coverage=[])
    result = account(msgspec.convert(FILING, FilingContent), classify("2612"), factor_set_for(2023), older)
    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
    assert run("2612", 2023, FILING).emissions == result.emissions  # the figures themselves do not move
    assert run("2614", 2023, FILING).flags[0] is Flag.PROCESS_NOT_COVERED  # no rule for other classes
