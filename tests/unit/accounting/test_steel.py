"""Worked examples: an ironmaking works, GB/T 4754-2017 3110 炼铁 (one 2 Mt/a blast furnace),
and a steelmaking works, 3120 炼钢 (BOF shop, 2.2 Mt/a of liquid steel); accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps


def test_blast_furnace_coke_and_blast_furnace_gas() -> None:
    result = run(
        "3110",
        2023,
        {
            "energy": [
                {"carrier": "coke", "quantity": "720000", "unit": "t"},
                {"carrier": "blast_furnace_gas", "quantity": "130000", "unit": "10^4Nm3"},  # hot stoves
            ],
            "electricity": {"purchased_mwh": "120000"},
            "products": [{"product": "blast_furnace", "output": "2000000", "energy": "740000", "energy_unit": "tce"}],
            "value_added_wan": "90000",
        },
    )

    # 焦炭 NCV 28.435 GJ/t (GB/T 2589-2020), carbon content 0.02940 tC/GJ, oxidation 0.93 (GB/T 32150-2015 Annex B)
    # 高炉煤气 NCV 33.000 GJ/10^4Nm3, carbon content 0.07080 tC/GJ, oxidation 0.99 (MEE guideline defaults)
    steps(
        ("720000", "*", "28.435", "20473200.000"),
        ("20473200.000", "*", "0.02940", "601912.08000000"),
        ("601912.08000000", "*", "0.93", "559778.2344000000"),
        ("559778.2344000000", "*", "44", "24630242.3136000000"),
        ("24630242.3136000000", "/", "12", "2052520.1928000000"),  # coke, tCO2
        ("130000", "*", "33.000", "4290000.000"),
        ("4290000.000", "*", "0.07080", "303732.00000000"),
        ("303732.00000000", "*", "0.99", "300694.6800000000"),
        ("300694.6800000000", "*", "44", "13230565.9200000000"),
        ("13230565.9200000000", "/", "12", "1102547.1600000000"),  # blast furnace gas, tCO2
        ("2052520.1928", "+", "1102547.16", "3155067.3528"),
    )
    assert [c.co2 for c in result.combustion] == [D("2052520.1928"), D("1102547.16")]
    assert result.emissions.combustion == D("3155067.3528")

    # Grid factor 0.6096 tCO2/MWh (2023, MEE/NBS 公告2025年第47号 Table 4).
    steps(("120000", "*", "0.6096", "73152.0000"), ("3155067.3528", "+", "73152", "3228219.3528"))
    assert result.emissions.total == D("3228219.3528")

    # Energy: GJ ÷ 29.3076 GJ/tce + MWh × 0.1229 tce/MWh (GB/T 2589-2020); 28-digit quotients at 1e-12.
    steps(
        ("20473200.000", "/", "29.3076", "698562.8301191499815747451173"),
        ("4290000.000", "/", "29.3076", "146378.4137902796544241084224"),
        ("120000", "*", "0.1229", "14748.0000"),
        ("698562.8301191499815747451173", "+", "146378.4137902796544241084224", "844941.2439094296359988535397"),
        ("844941.2439094296359988535397", "+", "14748", "859689.2439094296359988535397"),
    )
    assert q12(result.energy_tce) == D("859689.243909429636")

    # 高炉工序: NDRC 2021 标杆 361 (= GB 21256-2025 1级) / 基准 435 kgce/t (UNCONFIRMED: from memory).
    steps(("740000", "*", "1000", "740000000"), ("740000000", "/", "2000000", "370"))
    (iron,) = result.products
    assert (iron.unit_energy_use, iron.benchmark, iron.baseline) == (D("370"), D("361"), D("435"))
    assert iron.level is Level.BASELINE  # 361 < 370 ≤ 435
    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]


def test_bof_shop_with_negative_energy_below_baseline() -> None:
    result = run(
        "3120",
        2023,
        {
            "energy": [{"carrier": "converter_gas", "quantity": "2000", "unit": "10^4Nm3"}],  # ladle preheating
            "electricity": {"purchased_mwh": "60000"},
            # A converter recovers more energy (converter gas, steam) than it uses: its energy is negative.
            "products": [{"product": "bof_converter", "output": "2200000", "energy": "-11000", "energy_unit": "tce"}],
            "value_added_wan": "70000",
        },
    )

    # 转炉煤气 NCV 84.000 GJ/10^4Nm3, carbon content 0.04960 tC/GJ, oxidation 0.99 (MEE guideline defaults).
    steps(
        ("2000", "*", "84.000", "168000.000"),
        ("168000.000", "*", "0.04960", "8332.80000000"),
        ("8332.80000000", "*", "0.99", "8249.4720000000"),
        ("8249.4720000000", "*", "44", "362976.7680000000"),
        ("362976.7680000000", "/", "12", "30248.0640000000"),
        ("60000", "*", "0.6096", "36576.0000"),  # grid factor 0.6096 tCO2/MWh, 2023
        ("30248.064", "+", "36576", "66824.064"),
    )
    assert result.emissions.combustion == D("30248.064")
    assert result.emissions.electricity == D("36576")
    assert result.emissions.total == D("66824.064")

    steps(
        ("168000.000", "/", "29.3076", "5732.301519059902550874175982"),
        ("60000", "*", "0.1229", "7374.0000"),
        ("5732.301519059902550874175982", "+", "7374", "13106.30151905990255087417598"),
    )
    assert q12(result.energy_tce) == D("13106.301519059903")

    # 转炉工序: NDRC 2021 标杆 −30 (= GB 21256-2025 1级) / 基准 −10 kgce/t (UNCONFIRMED: from memory).
    # Lower is better: −5 is above the baseline −10, so below_baseline.
    steps(("-11000", "*", "1000", "-11000000"), ("-11000000", "/", "2200000", "-5"))
    (bof,) = result.products
    assert (bof.unit_energy_use, bof.benchmark, bof.baseline) == (D("-5"), D("-30"), D("-10"))
    assert bof.level is Level.BELOW_BASELINE
    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
