"""Worked example: a 5 Mt/a crude refinery, GB/T 4754-2017 2511 原油加工及石油制品制造, burning
its own refinery dry gas and some fuel oil; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    "energy": [
        {"carrier": "refinery_gas", "quantity": "180000", "unit": "t"},
        {"carrier": "fuel_oil", "quantity": "30000", "unit": "t"},
    ],
    "electricity": {"purchased_mwh": "400000"},
    "products": [
        {
            "product": "refining",
            "output": "5000000",  # t of crude processed
            "attributes": {"energy_factor": "8.2"},  # 能量因数 of the refinery
            "energy": "450000",
            "energy_unit": "tce",
        }
    ],
    "value_added_wan": "310000",
}


def test_refinery_gas_and_fuel_oil_level_in_kgoe_per_t_energy_factor() -> None:
    result = run("2511", 2023, FILING)

    # Combustion: t × NCV × carbon content × oxidation × 44/12.
    #   炼厂干气 NCV 45.998 GJ/t, carbon content 0.01820 tC/GJ, oxidation 0.98: GB/T 32150-2015 Annex B
    #   燃料油 NCV 41.816 GJ/t, carbon content 0.02110 tC/GJ, oxidation 0.98: GB/T 32150-2015 Annex B
    steps(
        ("180000", "*", "45.998", "8279640.000"),
        ("8279640.000", "*", "0.01820", "150689.44800000"),
        ("150689.44800000", "*", "0.98", "147675.6590400000"),
        ("147675.6590400000", "*", "44", "6497728.9977600000"),
        ("6497728.9977600000", "/", "12", "541477.4164800000"),  # refinery gas, tCO2
        ("30000", "*", "41.816", "1254480.000"),
        ("1254480.000", "*", "0.02110", "26469.52800000"),
        ("26469.52800000", "*", "0.98", "25940.1374400000"),
        ("25940.1374400000", "*", "44", "1141366.0473600000"),
        ("1141366.0473600000", "/", "12", "95113.8372800000"),  # fuel oil, tCO2
        ("541477.41648", "+", "95113.83728", "636591.25376"),
    )
    assert [c.co2 for c in result.combustion] == [D("541477.41648"), D("95113.83728")]
    assert result.emissions.combustion == D("636591.25376")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("400000", "*", "0.6096", "243840.0000"), ("636591.25376", "+", "243840", "880431.25376"))
    assert result.emissions.electricity == D("243840")
    assert result.emissions.process == 0  # refinery process CO2 (FCC coke burn, hydrogen) is not accounted in v1
    assert result.emissions.total == D("880431.25376")

    # Energy: GJ ÷ 29.3076 GJ/tce + MWh × 0.1229 tce/MWh (GB/T 2589-2020); 28-digit quotients at 1e-12.
    steps(
        ("8279640.000", "/", "29.3076", "282508.2913646972116447610859"),
        ("1254480.000", "/", "29.3076", "42803.91434303730090488473979"),
        ("400000", "*", "0.1229", "49160.0000"),
        ("282508.2913646972116447610859", "+", "42803.91434303730090488473979", "325312.2057077345125496458257"),
        ("325312.2057077345125496458257", "+", "49160", "374472.2057077345125496458257"),
    )
    assert q12(result.energy_tce) == D("374472.205707734513")

    # 单位能量因数综合能耗 in kgoe/(t·能量因数): kgce ÷ 1.4286 kgce/kgoe (GB/T 2589-2020) ÷ (t × 能量因数).
    # NDRC 2021 标杆 7.5 / 基准 8.5 (= GB 30251-2024 2级/3级).
    steps(
        ("450000", "*", "1000", "450000000"),  # kgce
        ("450000000", "/", "1.4286", "314993700.1259974800503989920"),  # kgoe
        ("5000000", "*", "8.2", "41000000.0"),  # t·能量因数
        ("314993700.1259974800503989920", "/", "41000000.0", "7.682773173804816586595097366"),
    )
    (refinery,) = result.products
    assert refinery.unit == "kgoe/(t·能量因数)"
    assert q12(refinery.energy) == D("314993700.125997480050")
    assert q12(refinery.unit_energy_use) == D("7.682773173805")
    assert refinery.level is Level.BASELINE  # 7.5 < 7.68 ≤ 8.5

    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
