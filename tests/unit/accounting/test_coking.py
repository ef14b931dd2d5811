"""Worked example: a top-charged coke plant, GB/T 4754-2017 2521 炼焦, 1 Mt/a of coke; washed
coal is the feedstock, part of the coke-oven gas heats the ovens; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    "energy": [
        {"carrier": "washed_coal", "quantity": "1318842", "unit": "t", "use": "feedstock"},
        {"carrier": "coke_oven_gas", "quantity": "190000000", "unit": "Nm3", "use": "fuel"},  # underfiring
    ],
    "electricity": {"purchased_mwh": "40000"},
    "products": [{"product": "coke_top_charged", "output": "1000000", "energy": "120000", "energy_unit": "tce"}],
    "value_added_wan": "60000",
}


def test_washed_coal_feedstock_and_coke_oven_gas_burnt() -> None:
    result = run("2521", 2023, FILING)

    # Nm³ → 10^4 Nm³, then 10^4 Nm³ × NCV × carbon content × oxidation × 44/12.
    #   焦炉煤气 NCV 173.854 GJ/10^4Nm3, carbon content 0.01210 tC/GJ: later MEE guideline values
    #   焦炉煤气 oxidation 0.99: MEE guideline default
    steps(
        ("190000000", "/", "10000", "19000"),
        ("19000", "*", "173.854", "3303226.000"),
        ("3303226.000", "*", "0.01210", "39969.03460000"),
        ("39969.03460000", "*", "0.99", "39569.3442540000"),
        ("39569.3442540000", "*", "44", "1741051.1471760000"),
        ("1741051.1471760000", "/", "12", "145087.5955980000"),
    )
    (ovens,) = result.combustion  # the washed coal is feedstock: no combustion item
    assert (ovens.carrier, ovens.quantity, ovens.unit) == ("coke_oven_gas", D("19000"), "10^4Nm3")
    assert result.emissions.combustion == D("145087.595598")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("40000", "*", "0.6096", "24384.0000"), ("145087.595598", "+", "24384", "169471.595598"))
    assert result.emissions.total == D("169471.595598")

    # Energy. Washed coal has a default NCV (26.344 GJ/t, GB/T 32150-2015 Annex B), so it counts
    # by NCV, not by its 0.9000 kgce/kg coefficient (which would give 1 186 957.8 tce).
    steps(
        ("1318842", "*", "26.344", "34743573.648"),
        ("34743573.648", "/", "29.3076", "1185480"),
        ("3303226.000", "/", "29.3076", "112708.8536761795575209160764"),
        ("40000", "*", "0.1229", "4916.0000"),
        ("1185480", "+", "112708.8536761795575209160764", "1298188.853676179557520916076"),
        ("1298188.853676179557520916076", "+", "4916", "1303104.853676179557520916076"),
    )
    coal = result.energy[0]
    assert (coal.method, coal.tce) == ("ncv", D("1185480"))
    assert q12(result.energy_tce) == D("1303104.853676179558")  # 28-digit quotient: at 1e-12

    # 焦炭 (顶装焦炉): NDRC 2021 标杆 110 / 基准 135 kgce/t (= GB 21342-2025 顶装 1级/3级).
    steps(("120000", "*", "1000", "120000000"), ("120000000", "/", "1000000", "120"))
    (coke,) = result.products
    assert (coke.unit_energy_use, coke.benchmark, coke.baseline) == (D("120"), D("110"), D("135"))
    assert coke.level is Level.BASELINE  # 110 < 120 ≤ 135

    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
