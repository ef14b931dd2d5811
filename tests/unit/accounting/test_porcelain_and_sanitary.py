"""Worked examples: Zibo's 淄川 / 博山 ceramics, porcelain tile (瓷质砖, water absorption ≤ 0.5 %,
GB/T 4754-2017 3071) and sanitary ware (卫生陶瓷, 3072), against the NDRC 2021 edition's rows
(发改产业〔2021〕1609号, kept in 〔2023〕723号): 瓷质砖 标杆 4 / 基准 7 kgce/m², 卫生陶瓷 标杆 300 /
基准 630 kgce/t (read in the reprint http://haomenhaochuang.com/news/show.php?itemid=8302).
Accounting year 2023; the site's energy is electricity only, so each figure is checkable by hand."""

from __future__ import annotations

from typing import Any

from domain.accounting import Level, NotCovered

from .worked import D, run, steps


def tiles(energy_tce: str, absorption: str = "0.3") -> dict[str, Any]:
    return {
        "electricity": {"purchased_mwh": "30000"},
        "products": [
            {
                "product": "ceramic_tile_le0_5",
                "output": "6000000",  # m² a year
                "attributes": {"water_absorption_pct": absorption},
                "energy": energy_tce,
                "energy_unit": "tce",
            }
        ],
        "value_added_wan": "30000",
    }


def test_porcelain_tile_between_benchmark_and_baseline() -> None:
    result = run("3071", 2023, tiles("27000"))
    # u = 27 000 tce × 1000 kgce/tce ÷ 6 000 000 m² = 4.5 kgce/m²: 标杆 4 < 4.5 ≤ 基准 7.
    steps(("27000", "*", "1000", "27000000"), ("27000000", "/", "6000000", "4.5"))
    (tile,) = result.products
    assert (tile.unit, tile.unit_energy_use, tile.benchmark, tile.baseline) == ("kgce/m2", D("4.5"), D("4.0"), D("7.0"))
    assert tile.level is Level.BASELINE
    # Electricity 30 000 MWh × 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("30000", "*", "0.6096", "18288.0000"))
    assert result.emissions.total == D("18288")
    assert {f.key: f.value for f in result.factors if f.key.startswith("benchmarks.")} == {
        "benchmarks.ceramic_tile_le0_5.benchmark": D("4.0"),
        "benchmarks.ceramic_tile_le0_5.baseline": D("7.0"),
    }
    # Both levels READ (one reprint), the grid factor READ×2: nothing provisional, no process flag.
    assert result.flags == []


def test_porcelain_tile_at_benchmark_and_below_baseline() -> None:
    # 24 000 000 kgce ÷ 6 000 000 m² = 4.0 ≤ 标杆 4.0; 45 000 000 ÷ 6 000 000 = 7.5 > 基准 7.0.
    steps(("24000000", "/", "6000000", "4"), ("45000000", "/", "6000000", "7.5"))
    (at,) = run("3071", 2023, tiles("24000")).products
    assert (at.unit_energy_use, at.level) == (D("4"), Level.BENCHMARK)
    (below,) = run("3071", 2023, tiles("45000")).products
    assert (below.unit_energy_use, below.level) == (D("7.5"), Level.BELOW_BASELINE)


def test_a_tile_of_higher_absorption_filed_as_porcelain_is_out_of_range() -> None:
    (tile,) = run("3071", 2023, tiles("27000", absorption="0.6")).products
    assert (tile.level, tile.reason) == (Level.NOT_COVERED, NotCovered.ATTRIBUTE_OUT_OF_RANGE)
    assert tile.unit_energy_use == D("4.5")


def sanitary(energy_tce: str) -> dict[str, Any]:
    return {
        "electricity": {"purchased_mwh": "20000"},
        "products": [{"product": "sanitary_ceramics", "output": "30000", "energy": energy_tce, "energy_unit": "tce"}],
        "value_added_wan": "20000",
    }


def test_sanitary_ware_levels() -> None:
    # 12 000 tce → 12 000 000 kgce ÷ 30 000 t = 400 kgce/t: 标杆 300 < 400 ≤ 基准 630.
    steps(("12000", "*", "1000", "12000000"), ("12000000", "/", "30000", "400"))
    (ware,) = run("3072", 2023, sanitary("12000")).products
    assert (ware.unit, ware.unit_energy_use, ware.benchmark, ware.baseline) == ("kgce/t", D("400"), D("300"), D("630"))
    assert ware.level is Level.BASELINE
    # 9 000 000 ÷ 30 000 = 300 ≤ 标杆 300; 19 500 000 ÷ 30 000 = 650 > 基准 630.
    steps(("9000000", "/", "30000", "300"), ("19500000", "/", "30000", "650"))
    assert run("3072", 2023, sanitary("9000")).products[0].level is Level.BENCHMARK
    (worst,) = run("3072", 2023, sanitary("19500")).products
    assert (worst.unit_energy_use, worst.level) == (D("650"), Level.BELOW_BASELINE)


def test_a_723_area_whose_row_was_not_read_says_so() -> None:
    """尿素 is one of the 11 areas 〔2023〕723号 added; its levels were not read: no level, a reason."""
    filing = {
        "electricity": {"purchased_mwh": "10000"},
        "products": [{"product": "urea", "output": "100000", "energy": "14000", "energy_unit": "tce"}],
        "value_added_wan": "10000",
    }
    (urea,) = run("2621", 2023, filing).products
    assert (urea.level, urea.reason, urea.unit_energy_use) == (Level.NOT_COVERED, NotCovered.NO_BENCHMARK_ROW, D("140"))
    assert "尿素 was not read (UNCONFIRMED)" in (urea.reason_detail or "")
