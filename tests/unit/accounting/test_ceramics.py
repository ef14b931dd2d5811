"""Worked example: a wall and floor tile works, GB/T 4754-2017 3071 建筑陶瓷制品制造 (Zibo's
Zichuan ceramics cluster scale, 9 million m² a year), accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    # Natural gas as the city-gate meter reads it, at 20 °C.
    "energy": [{"carrier": "natural_gas", "quantity": "24000000", "unit": "m3@20C"}],
    "electricity": {"purchased_mwh": "28000"},
    "products": [
        {
            "product": "ceramic_tile_0_5_10",
            "output": "9000000",
            "attributes": {"water_absorption_pct": "3"},
            "energy": "32400",
            "energy_unit": "tce",
        }
    ],
    "value_added_wan": "36000",
}


def test_tile_works_gas_at_20c_and_electricity() -> None:
    result = run("3071", 2023, FILING)

    # 20 °C → 0 °C: × 273.15/293.15 (ideal gas, equal pressure), then m³ → 10^4 Nm³.
    # Every step past this point carries a 28-digit quotient: compared at 1e-12.
    steps(
        ("24000000", "*", "273.15", "6555600000.00"),
        ("6555600000.00", "/", "293.15", "22362612.99675933822275285690"),  # Nm3
        ("22362612.99675933822275285690", "/", "10000", "2236.26129967593382227528569"),  # 10^4 Nm3
    )
    (gas,) = result.combustion
    assert (gas.unit, q12(gas.quantity)) == ("10^4Nm3", D("2236.261299675934"))

    # Combustion: 10^4 Nm³ × NCV × carbon content × oxidation × 44/12.
    #   天然气 NCV 389.31 GJ/10^4Nm3, MEE accounting guideline default
    #   天然气 carbon content 0.01532 tC/GJ, later MEE guideline value (GB/T 32150 Set A prints 0.01530)
    #   天然气 oxidation 0.99, MEE accounting guideline default
    steps(
        ("2236.26129967593382227528569", "*", "389.31", "870598.8865768377963499914720"),  # GJ
        ("870598.8865768377963499914720", "*", "0.01532", "13337.57494235715504008186935"),  # tC
        ("13337.57494235715504008186935", "*", "0.99", "13204.19919293358348968105066"),
        ("13204.19919293358348968105066", "*", "44", "580984.7644890776735459662290"),
        ("580984.7644890776735459662290", "/", "12", "48415.39704075647279549718575"),  # tCO2
    )
    assert q12(result.emissions.combustion) == D("48415.397040756473")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("28000", "*", "0.6096", "17068.8000"))
    assert result.emissions.electricity == D("17068.8")
    steps(("48415.39704075647279549718575", "+", "17068.8", "65484.19704075647279549718575"))
    assert q12(result.emissions.total) == D("65484.197040756473")

    # Energy: GJ ÷ 29.3076 GJ/tce (GB/T 2589-2020) + 28 000 MWh × 0.1229 tce/MWh (当量值).
    steps(
        ("870598.8865768377963499914720", "/", "29.3076", "29705.56738104920895433237358"),
        ("28000", "*", "0.1229", "3441.2000"),
        ("29705.56738104920895433237358", "+", "3441.2", "33146.76738104920895433237358"),
    )
    assert q12(result.energy_tce) == D("33146.767381049209")

    # Tiles with 0.5 % < water absorption ≤ 10 %: NDRC 2021 标杆 3.7 / 基准 4.6 kgce/m² (= GB 21252-2023).
    steps(("32400", "*", "1000", "32400000"), ("32400000", "/", "9000000", "3.6"))
    (tiles,) = result.products
    assert (tiles.unit, tiles.unit_energy_use) == ("kgce/m2", D("3.6"))
    assert (tiles.benchmark, tiles.baseline) == (D("3.7"), D("4.6"))
    assert tiles.level is Level.BENCHMARK  # 3.6 ≤ 3.7
    assert result.flags == [Flag.PROVISIONAL_FACTOR]  # benchmark levels labelled MEM+GB
