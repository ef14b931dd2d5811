"""Worked example: a cement clinker line, GB/T 4754-2017 3011 水泥制造, Zibo scale (about
4 000 t/d of clinker), accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag, Level

from .worked import D, q12, run, steps

FILING = {
    "energy": [{"carrier": "bituminous_coal", "quantity": "146538", "unit": "t", "use": "fuel"}],
    "electricity": {"purchased_mwh": "72000"},
    "clinker": [
        {
            "output_t": "1200000",
            "cao_fraction": "0.6482",
            "mgo_fraction": "0.0215",
            "noncarbonate_cao_fraction": "0.0042",
            "noncarbonate_mgo_fraction": "0.0015",
        }
    ],
    "products": [{"product": "cement_clinker", "output": "1200000", "energy": "129600", "energy_unit": "tce"}],
    "value_added_wan": "52000",
}


def test_clinker_line_coal_process_and_purchased_power() -> None:
    result = run("3011", 2023, FILING)

    # Combustion, GB/T 32150-2015: t × NCV × carbon content × oxidation × 44/12.
    #   烟煤 NCV 23.204 GJ/t, GB/T 32150-2015 Annex B
    #   烟煤 carbon content 0.02618 tC/GJ, GB/T 32150-2015 Annex B
    #   烟煤 oxidation 0.93, GB/T 32150-2015 Annex B
    steps(
        ("146538", "*", "23.204", "3400267.752"),  # GJ
        ("3400267.752", "*", "0.02618", "89019.00974736"),  # tC
        ("89019.00974736", "*", "0.93", "82787.6790650448"),  # tC oxidised
        ("82787.6790650448", "*", "44", "3642657.8788619712"),
        ("3642657.8788619712", "/", "12", "303554.8232384976"),  # tCO2
    )
    assert result.emissions.combustion == D("303554.8232384976")
    assert [c.co2 for c in result.combustion] == [D("303554.8232384976")]

    # Process, MEE cement guideline: clinker × [(CaO − non-carbonate CaO) × 44/56
    # + (MgO − non-carbonate MgO) × 44/40], fractions as filed (plant lab analysis).
    steps(
        ("0.6482", "-", "0.0042", "0.6440"),
        ("0.6440", "*", "44", "28.3360"),
        ("28.3360", "/", "56", "0.5060"),  # tCO2/t clinker from CaO
        ("0.0215", "-", "0.0015", "0.0200"),
        ("0.0200", "*", "44", "0.8800"),
        ("0.8800", "/", "40", "0.0220"),  # tCO2/t clinker from MgO
        ("0.5060", "+", "0.0220", "0.5280"),  # tCO2/t clinker
        ("1200000", "*", "0.5280", "633600.0000"),  # tCO2
    )
    assert result.process[0].factor == D("0.5280")
    assert result.emissions.process == D("633600")

    # Purchased electricity, grid factor 0.6096 tCO2/MWh for 2023: MEE/NBS 公告2025年第47号 Table 4.
    steps(("72000", "*", "0.6096", "43891.2000"))
    assert result.emissions.electricity == D("43891.2")
    assert result.emissions.heat == 0

    steps(
        ("303554.8232384976", "+", "633600", "937154.8232384976"),  # scope 1
        ("937154.8232384976", "+", "43891.2", "981046.0232384976"),  # total
    )
    assert result.emissions.scope1 == D("937154.8232384976")
    assert result.emissions.total == D("981046.0232384976")

    # Energy, GB/T 2589-2020: coal GJ ÷ 29.3076 GJ/tce; electricity at 当量值 0.1229 kgce/kWh
    # (GB/T 2589-2020), i.e. 0.1229 tce/MWh.
    steps(
        ("3400267.752", "/", "29.3076", "116020"),  # tce of coal
        ("72000", "*", "0.1229", "8848.8000"),  # tce of electricity
        ("116020", "+", "8848.8", "124868.8"),
    )
    assert [(e.what, e.tce) for e in result.energy] == [("bituminous_coal", D("116020")), ("electricity", D("8848.8"))]
    assert result.energy_tce == D("124868.8")

    # Clinker unit energy use against NDRC 2021 标杆 100 / 基准 117 kgce/t (value from memory, = GB 16780-2021).
    steps(("129600", "*", "1000", "129600000"), ("129600000", "/", "1200000", "108"))
    (clinker,) = result.products
    assert (clinker.energy, clinker.unit_energy_use) == (D("129600000"), D("108"))
    assert (clinker.benchmark, clinker.baseline) == (D("100"), D("117"))
    assert clinker.level is Level.BASELINE  # 100 < 108 ≤ 117

    # L = total ÷ value added, tCO2 per 万元 (a 28-digit division: compared at 1e-12).
    steps(("981046.0232384976", "/", "52000", "18.86626967766341538461538462"))
    assert q12(result.intensity) == D("18.866269677663")

    # The benchmark levels are labelled MEM+GB: the account says it is provisional.
    assert result.flags == [Flag.PROVISIONAL_FACTOR]
    assert {f.key: f.value for f in result.factors} == {
        "benchmarks.cement_clinker.baseline": D("117"),
        "benchmarks.cement_clinker.benchmark": D("100"),
        "carriers.bituminous_coal.carbon_content": D("0.02618"),
        "carriers.bituminous_coal.ncv": D("23.204"),
        "carriers.bituminous_coal.oxidation": D("0.93"),
        "electricity_coal_equivalent": D("0.1229"),
        "grid_factor": D("0.6096"),
    }
