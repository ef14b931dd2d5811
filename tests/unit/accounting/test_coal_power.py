"""Worked example: a 2 × 330 MW coal-fired power plant, GB/T 4754-2017 4411 火力发电, 3.3 TWh
a year sent out; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Level, NotCovered

from .worked import D, run, steps

FILING = {
    "energy": [{"carrier": "bituminous_coal", "quantity": "1318842", "unit": "t"}],
    # Start-up and standby power bought from the grid; the plant's output is exported.
    "electricity": {"purchased_mwh": "20000", "exported_mwh": "3300000"},
    "products": [
        {
            "product": "power_supply",
            "output": "3300000",  # MWh sent out
            "attributes": {"unit_capacity_mw": "330"},
            "energy": "990000",
            "energy_unit": "tce",
        }
    ],
    "value_added_wan": "85000",
}


def test_coal_plant_gets_no_export_credit_and_power_supply_is_not_covered() -> None:
    result = run("4411", 2023, FILING)

    # 烟煤 NCV 23.204 GJ/t, carbon content 0.02618 tC/GJ, oxidation 0.93: GB/T 32150-2015 Annex B.
    steps(
        ("1318842", "*", "23.204", "30602409.768"),
        ("30602409.768", "*", "0.02618", "801171.08772624"),
        ("801171.08772624", "*", "0.93", "745089.1115854032"),
        ("745089.1115854032", "*", "44", "32783920.9097577408"),
        ("32783920.9097577408", "/", "12", "2731993.4091464784"),
    )
    assert result.emissions.combustion == D("2731993.4091464784")

    # 4411: exported power is the product, so no export credit. Indirect CO2 is the power bought,
    # 20 000 MWh × 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4), not
    # (20 000 − 3 300 000) × 0.6096 = −1 999 488.
    steps(("20000", "*", "0.6096", "12192.0000"), ("2731993.4091464784", "+", "12192", "2744185.4091464784"))
    assert result.emissions.electricity == D("12192")
    assert result.emissions.total == D("2744185.4091464784")

    # Energy likewise: coal GJ ÷ 29.3076 + 20 000 MWh bought × 0.1229 tce/MWh, exports not deducted.
    steps(
        ("30602409.768", "/", "29.3076", "1044180"),
        ("20000", "*", "0.1229", "2458.0000"),
        ("1044180", "+", "2458", "1046638"),
    )
    assert [(e.what, e.quantity, e.tce) for e in result.energy] == [
        ("bituminous_coal", D("1318842"), D("1044180")),
        ("electricity", D("20000"), D("2458")),
    ]
    assert result.energy_tce == D("1046638")

    # 火电供电 has no row in the NDRC 2021 edition: not covered, with its reason.
    (supply,) = result.products
    assert supply.level is Level.NOT_COVERED
    assert supply.reason is NotCovered.NO_BENCHMARK_ROW
    assert (supply.benchmark, supply.baseline) == (None, None)
    # No benchmark level was used and every factor used is READ or READ×2: nothing provisional.
    assert result.flags == []


def test_power_supply_unit_energy_use_is_in_gce_per_kwh() -> None:
    # 供电煤耗 = 990 000 tce × 10^6 gce/tce ÷ (3 300 000 MWh × 1000 kWh/MWh); kgce per MWh is the
    # same figure. (An earlier engine gave gce per MWh, 1000 times too large: fixed in b5413bd.)
    result = run("4411", 2023, FILING)
    steps(
        ("990000", "*", "1000000", "990000000000"),  # gce
        ("3300000", "*", "1000", "3300000000"),  # kWh
        ("990000000000", "/", "3300000000", "300"),  # gce/kWh, a typical sub-critical 330 MW unit
    )
    (supply,) = result.products
    assert supply.unit == "gce/kWh"
    assert supply.unit_energy_use == D("300")
