"""Worked examples, families (d)–(g): a refinery (2511), an ammonia–urea–nitric acid plant (2621),
a soda-ash plant (2612) and a coal power plant (4411); accounting year 2023."""

from __future__ import annotations

import pytest

from domain.accounting import Flag
from domain.errors import InvalidField

from .worked import D, q12, run, steps


def test_refinery_coke_burn_off_hydrogen_calcining_and_co2_sold() -> None:
    result = run(
        "2511",
        2023,
        {
            "mass_balance": [
                {"material": "catalyst_coke", "flow": "in", "quantity": "30000", "carbon_content": "0.95",
                 "process_unit": "fcc_regenerator"},
                {"material": "natural_gas", "flow": "in", "quantity": "20000", "unit": "10^4Nm3",
                 "process_unit": "hydrogen"},
                {"material": "hydrogen", "flow": "out", "quantity": "25000", "process_unit": "hydrogen"},
                {"material": "green_coke", "flow": "in", "quantity": "200000", "carbon_content": "0.88",
                 "process_unit": "coke_calcining"},
                {"material": "calcined_coke", "flow": "out", "quantity": "160000", "carbon_content": "0.98",
                 "process_unit": "coke_calcining"},
                {"material": "coke_dust", "flow": "waste", "quantity": "2000", "carbon_content": "0.9",
                 "process_unit": "coke_calcining"},
            ],
            "captured": [{"quantity_t": "50000", "fate": "used"}],  # CO2 recovered and sold
            "value_added_wan": "400000",
        },
    )  # fmt: skip
    # NDRC 石油化工 guideline: 催化裂化 烧焦 E = MC × CF × 44/12; 制氢 and 石油焦煅烧 as carbon balances
    # of the unit (feed in − products out − waste) × 44/12; natural gas C = 389.31 × 0.01532 = 5.9642 tC/10^4Nm3.
    steps(
        ("30000", "*", "0.95", "28500.00"),
        ("28500", "*", "44", "1254000"),
        ("1254000", "/", "12", "104500"),  # FCC regenerator
        ("20000", "*", "5.9642", "119284.0000"),
        ("119284", "*", "44", "5248496"),
        ("5248496", "/", "12", "437374.6666666666666666666667"),  # hydrogen unit (H2 carries no carbon)
        ("200000", "*", "0.88", "176000.00"),
        ("160000", "*", "0.98", "156800.00"),
        ("2000", "*", "0.9", "1800.0"),
        ("176000", "-", "156800", "19200"),
        ("19200", "-", "1800", "17400"),
        ("17400", "*", "44", "765600"),
        ("765600", "/", "12", "63800"),  # coke calcining
    )
    balances = {s.line: s.co2 for s in result.sector_process if s.kind == "balance"}
    assert balances == {
        "mass_balance:fcc_regenerator": D("104500"),
        "mass_balance:hydrogen": D("437374.6666666666666666666667"),
        "mass_balance:coke_calcining": D("63800"),
    }
    steps(
        ("104500", "+", "437374.6666666666666666666667", "541874.6666666666666666666667"),
        ("541874.6666666666666666666667", "+", "63800", "605674.6666666666666666666667"),
        ("605674.6666666666666666666667", "-", "50000", "555674.6666666666666666666667"),
    )
    assert result.emissions.process == D("605674.6666666666666666666667")
    assert result.emissions.captured == D("50000")
    assert q12(result.emissions.total) == D("555674.666666666667")
    assert result.flags == [Flag.PROCESS_NOT_COVERED]
    assert result.process_accounted


def test_ammonia_urea_and_nitric_acid_n2o() -> None:
    result = run(
        "2621",
        2023,
        {
            "mass_balance": [
                {"material": "natural_gas", "flow": "in", "quantity": "50000", "unit": "10^4Nm3",
                 "process_unit": "ammonia"},
                {"material": "urea", "flow": "out", "quantity": "500000", "process_unit": "ammonia"},
            ],
            "nitrous_oxide": [{"process": "nitric_dual_pressure", "output_t": "100000", "removal": "0.9",
                               "abated_share": "0.8"}],
            "value_added_wan": "80000",
        },
    )  # fmt: skip
    # NDRC 化工 guideline: feedstock carbon in − carbon fixed in urea (CO(NH2)2, 12.011/60.056 = 0.2000).
    steps(
        ("50000", "*", "5.9642", "298210.0000"),
        ("500000", "*", "0.2000", "100000.0000"),
        ("298210", "-", "100000", "198210"),
        ("198210", "*", "44", "8721240"),
        ("8721240", "/", "12", "726770"),
    )
    assert result.emissions.process == D("726770")
    # 硝酸 N2O = output × EF × (1 − removal × abated share) ÷ 1000; 双加压法 EF 8.0 kg/t (UNCONFIRMED);
    # CO2e at GWP 310 (IPCC SAR, the NDRC guidelines' table).
    steps(
        ("0.9", "*", "0.8", "0.72"),
        ("1", "-", "0.72", "0.28"),
        ("100000", "*", "8.0", "800000.0"),
        ("800000.0", "*", "0.28", "224000.000"),
        ("224000.000", "/", "1000", "224.000"),
        ("224", "*", "310", "69440"),
        ("726770", "+", "69440", "796210"),
    )
    (n2o,) = result.gases
    assert (n2o.gas, n2o.quantity_t, n2o.gwp, n2o.co2e) == ("N2O", D("224"), D("310"), D("69440"))
    assert result.co2e_total == D("796210")
    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]
    assert (result.process_accounted, result.process_methods) == (True, ["mass_balance", "nitrous_oxide"])


def test_soda_ash_net_of_the_carbon_the_product_fixes() -> None:
    result = run(
        "2612",
        2023,
        {
            "mass_balance": [
                {"material": "limestone", "flow": "in", "quantity": "600000", "carbon_content": "0.1140"},
                {"material": "coke", "flow": "in", "quantity": "40000", "carbon_content": "0.85"},
                {"material": "soda_ash", "flow": "out", "quantity": "500000"},
            ],
            "products": [{"product": "soda_ash_ammonia_light", "output": "500000"}],
            "value_added_wan": "50000",
        },
    )
    # Carbonate decomposition net of the CO2 the product fixes (Na2CO3: 12.011/105.99 = 0.1133 tC/t).
    steps(
        ("600000", "*", "0.1140", "68400.0000"),
        ("40000", "*", "0.85", "34000.00"),
        ("500000", "*", "0.1133", "56650.0000"),
        ("68400", "+", "34000", "102400"),
        ("102400", "-", "56650", "45750"),
        ("45750", "*", "44", "2013000"),
        ("2013000", "/", "12", "167750"),
    )
    assert result.emissions.process == result.emissions.total == D("167750")
    assert Flag.PROCESS_NOT_COVERED in result.flags  # the edition's rule still covers 烧碱 only, for v1
    assert (result.process_accounted, result.process_methods) == (True, ["mass_balance"])


def test_coal_power_supply_coal_rate_against_the_national_level() -> None:
    result = run(
        "4411",
        2023,
        {
            "power_supply": [
                {"unit_name": "unit_1", "power_supplied_mwh": "3000000", "coal_for_power_tce": "900000"},
                {"unit_name": "unit_2", "power_supplied_mwh": "1500000", "coal_for_power_tce": "480000",
                 "heat_supplied_gj": "1500000", "coal_for_heat_tce": "60000"},
            ],
            "value_added_wan": "90000",
        },
    )  # fmt: skip
    # 供电煤耗 = tce × 10^6 g ÷ (MWh × 1000 kWh); 供热煤耗 = tce × 1000 kg ÷ GJ. National level: the
    # nearest published year to 2023 is 2024's 302.4 gce/kWh (CEC, read second-hand).
    steps(
        ("900000", "*", "1000", "900000000"),
        ("900000000", "/", "3000000", "300"),
        ("480000", "*", "1000", "480000000"),
        ("480000000", "/", "1500000", "320"),
        ("60000", "*", "1000", "60000000"),
        ("60000000", "/", "1500000", "40"),
    )
    one, two = result.power
    assert (one.supply_coal_rate, one.national_supply_coal_rate, one.better_than_national) == (
        D("300"),
        D("302.4"),
        True,
    )
    assert (two.supply_coal_rate, two.heat_coal_rate, two.better_than_national) == (D("320"), D("40"), False)
    assert result.process_accounted and result.flags == []


def test_refusals_name_the_line() -> None:
    bad = [
        ({"mass_balance": [{"material": "coke", "flow": "in", "quantity": "-1"}]}, "mass_balance[0].quantity"),
        ({"mass_balance": [{"material": "x", "flow": "in", "quantity": "1", "carbon_content": "1.5"}]},
         "mass_balance[0].carbon_content"),
        ({"mass_balance": [{"material": "slag_x", "flow": "waste", "quantity": "1"}]},
         "mass_balance[0].carbon_content"),
        ({"mass_balance": [{"material": "Coke!", "flow": "in", "quantity": "1"}]}, "mass_balance[0].material"),
        ({"nitrous_oxide": [{"process": "nitric_combined", "output_t": "1", "removal": "2"}]},
         "nitrous_oxide[0].removal"),
        ({"power_supply": [{"power_supplied_mwh": "0", "coal_for_power_tce": "1"}]},
         "power_supply[0].power_supplied_mwh"),
    ]  # fmt: skip
    for content, field in bad:
        with pytest.raises(InvalidField) as refused:
            run("2614", 2023, content)
        assert refused.value.field == field
