"""Worked example: a lump-anthracite synthetic ammonia plant, GB/T 4754-2017 2621 氮肥制造,
280 kt/a of ammonia; most of the anthracite is gasified (feedstock), the rest fires the
boilers (fuel); accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, run, steps

FILING = {
    "energy": [
        {"carrier": "anthracite", "quantity": "293076", "unit": "t", "use": "feedstock"},  # gasifiers
        {"carrier": "anthracite", "quantity": "73269", "unit": "t", "use": "fuel"},  # boilers
    ],
    "electricity": {"purchased_mwh": "180000"},
    "products": [
        {"product": "ammonia_quality_lump_anthracite", "output": "280000", "energy": "322000", "energy_unit": "tce"}
    ],
    "value_added_wan": "42000",
}


def test_anthracite_partly_feedstock_partly_fuel() -> None:
    result = run("2621", 2023, FILING)

    # Only the fuel line burns: t × NCV × carbon content × oxidation × 44/12.
    #   无烟煤 NCV 24.515 GJ/t, carbon content 0.02749 tC/GJ, oxidation 0.94: GB/T 32150-2015 Annex B
    steps(
        ("73269", "*", "24.515", "1796189.535"),
        ("1796189.535", "*", "0.02749", "49377.25031715"),
        ("49377.25031715", "*", "0.94", "46414.6152981210"),
        ("46414.6152981210", "*", "44", "2042243.0731173240"),
        ("2042243.0731173240", "/", "12", "170186.9227597770"),
    )
    (boilers,) = result.combustion
    assert boilers.line == "energy[1]"
    assert result.emissions.combustion == D("170186.922759777")
    # The carbon of the gasified coal (leaving as CO2 from ammonia synthesis gas or in urea) is
    # process/feedstock CO2, which version 1 does not account: flagged, not silently zero.
    assert result.emissions.process == 0

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("180000", "*", "0.6096", "109728.0000"), ("170186.922759777", "+", "109728", "279914.922759777"))
    assert result.emissions.total == D("279914.922759777")

    # Both anthracite lines count as energy: t × 24.515 GJ/t ÷ 29.3076 GJ/tce; electricity 0.1229 tce/MWh.
    steps(
        ("293076", "*", "24.515", "7184758.140"),
        ("7184758.140", "/", "29.3076", "245150"),
        ("1796189.535", "/", "29.3076", "61287.5"),
        ("180000", "*", "0.1229", "22122.0000"),
        ("245150", "+", "61287.5", "306437.5"),
        ("306437.5", "+", "22122", "328559.5"),
    )
    assert [e.tce for e in result.energy] == [D("245150"), D("61287.5"), D("22122")]
    assert result.energy_tce == D("328559.5")

    # 合成氨 (优质无烟块煤): NDRC 2021 标杆 1100 / 基准 1350 kgce/t (= GB 21344-2023 2级/3级).
    steps(("322000", "*", "1000", "322000000"), ("322000000", "/", "280000", "1150"))
    (ammonia,) = result.products
    assert (ammonia.unit_energy_use, ammonia.benchmark, ammonia.baseline) == (D("1150"), D("1100"), D("1350"))
    assert ammonia.level is Level.BASELINE  # 1100 < 1150 ≤ 1350

    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
