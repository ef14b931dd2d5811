"""Worked example: a naphtha steam cracker, GB/T 4754-2017 2614 有机化学原料制造, 800 kt/a of
ethylene; naphtha is feedstock, the furnaces burn fuel gas; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    "energy": [
        {"carrier": "naphtha", "quantity": "2400000", "unit": "t", "use": "feedstock"},
        {"carrier": "refinery_gas", "quantity": "400000", "unit": "t", "use": "fuel"},  # cracker fuel gas
    ],
    "electricity": {"purchased_mwh": "300000"},
    "products": [{"product": "ethylene", "output": "800000", "energy": "660000", "energy_unit": "tce"}],
    "value_added_wan": "260000",
}


def test_naphtha_feedstock_is_energy_only_and_fuel_gas_is_burnt() -> None:
    result = run("2614", 2023, FILING)

    # Naphtha has no NCV in the factor set: its energy is t × 1.5000 kgce/kg (= tce/t; China
    # Energy Statistical Yearbook coefficient), and as feedstock it gives no combustion CO2.
    steps(("2400000", "*", "1.5000", "3600000.0000"))
    naphtha = result.energy[0]
    assert (naphtha.what, naphtha.method, naphtha.tce) == ("naphtha", "coal_equivalent", D("3600000"))
    assert [c.carrier for c in result.combustion] == ["refinery_gas"]

    # Fuel gas, as 炼厂干气: NCV 45.998 GJ/t, carbon content 0.01820 tC/GJ, oxidation 0.98
    # (GB/T 32150-2015 Annex B). The last division by 12 does not terminate: compared at 1e-12.
    steps(
        ("400000", "*", "45.998", "18399200.000"),
        ("18399200.000", "*", "0.01820", "334865.44000000"),
        ("334865.44000000", "*", "0.98", "328168.1312000000"),
        ("328168.1312000000", "*", "44", "14439397.7728000000"),
        ("14439397.7728000000", "/", "12", "1203283.147733333333333333333"),
    )
    assert q12(result.emissions.combustion) == D("1203283.147733333333")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(
        ("300000", "*", "0.6096", "182880.0000"),
        ("1203283.147733333333333333333", "+", "182880", "1386163.147733333333333333333"),
    )
    assert result.emissions.electricity == D("182880")
    assert q12(result.emissions.total) == D("1386163.147733333333")

    # Site energy: naphtha + fuel gas GJ ÷ 29.3076 + MWh × 0.1229 (GB/T 2589-2020).
    steps(
        ("18399200.000", "/", "29.3076", "627796.2030326604703216913019"),
        ("300000", "*", "0.1229", "36870.0000"),
        ("3600000", "+", "627796.2030326604703216913019", "4227796.203032660470321691302"),
        ("4227796.203032660470321691302", "+", "36870", "4264666.203032660470321691302"),
    )
    assert q12(result.energy_tce) == D("4264666.203032660470")

    # 乙烯装置单位产品综合能耗, kgoe/t: kgce ÷ 1.4286 kgce/kgoe (GB/T 2589-2020) ÷ t.
    # NDRC 2021 标杆 590 / 基准 640 kgoe/t (= GB 30251-2024 2级/3级).
    steps(
        ("660000", "*", "1000", "660000000"),
        ("660000000", "/", "1.4286", "461990760.1847963040739185216"),  # kgoe
        ("461990760.1847963040739185216", "/", "800000", "577.488450230995380092398152"),
    )
    (ethylene,) = result.products
    assert ethylene.unit == "kgoe/t"
    assert q12(ethylene.unit_energy_use) == D("577.488450230995")
    assert ethylene.level is Level.BENCHMARK  # 577.49 ≤ 590

    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
