"""Worked example: a coal-fired combined heat and power plant, GB/T 4754-2017 4412 热电联产,
serving an industrial park with steam and hot water; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Level, NotCovered

from .worked import D, run, steps

FILING = {
    "energy": [{"carrier": "bituminous_coal", "quantity": "659421", "unit": "t"}],
    "electricity": {"purchased_mwh": "8000", "exported_mwh": "900000"},
    "heat": [
        {"direction": "exported", "quantity": "3570259", "unit": "GJ"},  # hot water, metered in GJ
        {
            "direction": "exported",
            "quantity": "500000",
            "unit": "t_steam",
            "pressure_mpa": "1.0",
            "temperature_c": "250",
        },
    ],
    "products": [
        {
            "product": "power_supply",
            "output": "900000",
            "attributes": {"unit_capacity_mw": "150"},
            "energy": "261000",
            "energy_unit": "tce",
        },
        {"product": "heat_supply", "output": "5000000", "energy": "200000", "energy_unit": "tce"},
    ],
    "value_added_wan": "30000",
}


def test_chp_exports_heat_and_power_without_export_credit() -> None:
    result = run("4412", 2023, FILING)

    # 烟煤 NCV 23.204 GJ/t, carbon content 0.02618 tC/GJ, oxidation 0.93: GB/T 32150-2015 Annex B.
    steps(
        ("659421", "*", "23.204", "15301204.884"),
        ("15301204.884", "*", "0.02618", "400585.54386312"),
        ("400585.54386312", "*", "0.93", "372544.5557927016"),
        ("372544.5557927016", "*", "44", "16391960.4548788704"),
        ("16391960.4548788704", "/", "12", "1365996.7045732392"),
    )
    assert result.emissions.combustion == D("1365996.7045732392")

    # Exported steam, 1.0 MPa 250 °C: h = 2943.222 kJ/kg (IF97 via domain/steam.py);
    # 500 000 t × (2943.222 − 83.74) ÷ 1000 = 1 429 741 GJ; with the hot water, 5 000 000 GJ sent out.
    steps(
        ("2943.222", "-", "83.74", "2859.482"),
        ("500000", "*", "2859.482", "1429741000.000"),
        ("1429741000.000", "/", "1000", "1429741.000"),
        ("3570259", "+", "1429741", "5000000"),
    )

    # 4412: exported power and heat are the product. No export credit: electricity CO2 is the
    # 8 000 MWh bought × 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4), heat CO2 is 0
    # (nothing bought). Credited, they would have been (8 000 − 900 000) × 0.6096 = −543 763.2
    # and −5 000 000 GJ × 0.11 = −550 000.
    steps(("8000", "*", "0.6096", "4876.8000"), ("1365996.7045732392", "+", "4876.8", "1370873.5045732392"))
    assert result.emissions.electricity == D("4876.8")
    assert result.emissions.heat == 0
    assert result.emissions.total == D("1370873.5045732392")

    # Energy: coal + electricity bought; the exported heat is not deducted (no heat items at all).
    steps(
        ("15301204.884", "/", "29.3076", "522090"),
        ("8000", "*", "0.1229", "983.2000"),
        ("522090", "+", "983.2", "523073.2"),
    )
    assert [(e.what, e.tce) for e in result.energy] == [("bituminous_coal", D("522090")), ("electricity", D("983.2"))]
    assert result.energy_tce == D("523073.2")

    # Neither 火电供电 nor 供热 has a row in the NDRC 2021 edition; u is still shown.
    steps(
        ("261000", "*", "1000", "261000000"),
        ("261000000", "/", "900000", "290"),  # kgce/MWh = gce/kWh
        ("200000", "*", "1000", "200000000"),
        ("200000000", "/", "5000000", "40"),  # kgce/GJ
    )
    power, heat = result.products
    assert (power.unit, power.unit_energy_use) == ("gce/kWh", D("290"))
    assert (heat.unit, heat.unit_energy_use) == ("kgce/GJ", D("40"))
    for product in (power, heat):
        assert (product.level, product.reason) == (Level.NOT_COVERED, NotCovered.NO_BENCHMARK_ROW)
    assert result.flags == []
