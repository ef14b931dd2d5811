"""Worked example: a float glass line, GB/T 4754-2017 3041 平板玻璃制造, one 1 000 t/d furnace
on natural gas, accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    "energy": [{"carrier": "natural_gas", "quantity": "5000", "unit": "10^4Nm3"}],
    "electricity": {"purchased_mwh": "35000"},
    "carbonates": [
        {"carbonate": "Na2CO3", "quantity_t": "70000", "purity": "0.992"},  # soda ash
        {"carbonate": "CaCO3", "quantity_t": "12000", "purity": "0.95"},  # limestone
        {"carbonate": "CaMg(CO3)2", "quantity_t": "62000", "purity": "0.96"},  # dolomite
    ],
    "products": [
        {
            "product": "flat_glass_gt800",
            "output": "6200000",  # weight boxes (重量箱, 50 kg of 2 mm glass)
            "attributes": {"furnace_capacity_tpd": "1000"},
            "energy": "68200",
            "energy_unit": "tce",
        }
    ],
    "value_added_wan": "28000",
}


def test_float_line_gas_and_batch_carbonates() -> None:
    result = run("3041", 2023, FILING)

    # Combustion: 10^4 Nm³ × NCV × carbon content × oxidation × 44/12.
    #   天然气 NCV 389.31 GJ/10^4Nm3, MEE accounting guideline default
    #   天然气 carbon content 0.01532 tC/GJ, later MEE guideline value
    #   天然气 oxidation 0.99, MEE accounting guideline default
    steps(
        ("5000", "*", "389.31", "1946550.00"),  # GJ
        ("1946550.00", "*", "0.01532", "29821.1460000"),  # tC
        ("29821.1460000", "*", "0.99", "29522.934540000"),
        ("29522.934540000", "*", "44", "1299009.119760000"),
        ("1299009.119760000", "/", "12", "108250.759980000"),  # tCO2
    )
    assert result.emissions.combustion == D("108250.75998")

    # Carbonates: t × purity × stoichiometric factor (COMPUTED from molar masses):
    #   Na2CO3 0.4152 = 44.01/105.99; CaCO3 0.4397 = 44.01/100.09; CaMg(CO3)2 0.4773 = 88.02/184.40
    steps(
        ("70000", "*", "0.992", "69440.000"),
        ("69440.000", "*", "0.4152", "28831.4880000"),
        ("12000", "*", "0.95", "11400.00"),
        ("11400.00", "*", "0.4397", "5012.580000"),
        ("62000", "*", "0.96", "59520.00"),
        ("59520.00", "*", "0.4773", "28408.896000"),
        ("28831.488", "+", "5012.58", "33844.068"),
        ("33844.068", "+", "28408.896", "62252.964"),
    )
    assert [p.co2 for p in result.process] == [D("28831.488"), D("5012.58"), D("28408.896")]
    assert result.emissions.process == D("62252.964")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(
        ("35000", "*", "0.6096", "21336.0000"),
        ("108250.75998", "+", "62252.964", "170503.72398"),
        ("170503.72398", "+", "21336", "191839.72398"),
    )
    assert result.emissions.electricity == D("21336")
    assert result.emissions.total == D("191839.72398")

    # Energy: GJ ÷ 29.3076 GJ/tce + 35 000 MWh × 0.1229 tce/MWh (GB/T 2589-2020); a 28-digit
    # quotient, compared at 1e-12.
    steps(
        ("1946550.00", "/", "29.3076", "66417.92572575031732383409082"),
        ("35000", "*", "0.1229", "4301.5000"),
        ("66417.92572575031732383409082", "+", "4301.5", "70719.42572575031732383409082"),
    )
    assert q12(result.energy_tce) == D("70719.425725750317")

    # Flat glass, furnace > 800 t/d: NDRC 2021 标杆 8.0 / 基准 12.0 kgce/重量箱 (= GB 21340-2019).
    steps(("68200", "*", "1000", "68200000"), ("68200000", "/", "6200000", "11"))
    (glass,) = result.products
    assert (glass.unit, glass.output_unit) == ("kgce/重量箱", "weight_box")
    assert (glass.unit_energy_use, glass.benchmark, glass.baseline) == (D("11"), D("8.0"), D("12.0"))
    assert glass.level is Level.BASELINE  # 8.0 < 11 ≤ 12.0
    assert result.flags == [Flag.PROVISIONAL_FACTOR]
