"""Worked example, family (c): a primary aluminium smelter, GB/T 4754-2017 3216 铝冶炼,
400 kt a year of prebaked-anode metal; and a magnesium works (3217); accounting year 2023."""

from __future__ import annotations

import pytest

from domain.accounting import Flag
from domain.errors import InvalidField

from .worked import D, run, steps

FILING = {
    "electricity": {"purchased_mwh": "5400000"},
    "aluminium": [{"primary_aluminium_t": "400000"}],  # the guideline's defaults for the anode and PFC
    "value_added_wan": "250000",
}


def test_anode_consumption_and_pfc_as_co2e() -> None:
    result = run("3216", 2023, FILING)

    # NDRC 电解铝 guideline, 炭阳极消耗: E = P × NC × (1 − S − A) × 44/12 with the defaults
    # NC 0.42 t/t, S 2 %, A 0.4 %.
    steps(
        ("1", "-", "0.02", "0.98"),
        ("0.98", "-", "0.004", "0.976"),
        ("0.42", "*", "0.976", "0.40992"),
        ("400000", "*", "0.40992", "163968.00000"),
        ("163968", "*", "44", "7214592"),
        ("7214592", "/", "12", "601216"),
    )
    (anode,) = result.sector_process
    assert (anode.factor, anode.carbon_t, anode.co2) == (D("0.40992"), D("163968.00000"), D("601216"))
    assert result.emissions.process == D("601216")

    # 阳极效应: E_PFC = (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) × P × 10^-3, EF 0.034 / 0.0034 kg/t,
    # GWP of the NDRC guidelines (IPCC SAR: 6500, 9200).
    steps(
        ("400000", "*", "0.034", "13600.000"),
        ("13600.000", "/", "1000", "13.600"),  # t CF4
        ("13.6", "*", "6500", "88400.0"),
        ("400000", "*", "0.0034", "1360.0000"),
        ("1360.0000", "/", "1000", "1.3600"),  # t C2F6
        ("1.36", "*", "9200", "12512.00"),
        ("88400", "+", "12512", "100912"),
    )
    assert [(g.gas, g.quantity_t, g.gwp, g.co2e) for g in result.gases] == [
        ("CF4", D("13.6"), D("6500"), D("88400")),
        ("C2F6", D("1.36"), D("9200"), D("12512")),
    ]

    steps(
        ("5400000", "*", "0.6096", "3291840.0000"),  # grid 2023
        ("601216", "+", "3291840", "3893056"),  # tCO2
        ("3893056", "+", "100912", "3993968"),  # tCO2e
    )
    assert result.emissions.total == D("3893056")  # CO2 only, as v1's total
    assert result.co2e_total == D("3993968")
    assert result.flags == [Flag.PROCESS_NOT_COVERED]  # every default used is READ
    assert (result.process_accounted, result.process_methods) == (True, ["aluminium"])


def test_measured_anode_values_win() -> None:
    line = {"primary_aluminium_t": "1000", "anode_net_consumption": "0.40", "anode_sulphur": "0.015",
            "anode_ash": "0.005", "cf4_kg_per_t": "0.02", "c2f6_kg_per_t": "0.002"}  # fmt: skip
    result = run("3216", 2023, {**FILING, "aluminium": [line]})
    steps(("0.40", "*", "0.980", "0.39200"), ("1000", "*", "0.392", "392.000"), ("392", "*", "44", "17248"))
    assert result.sector_process[0].carbon_t == D("392.00000")
    assert [g.quantity_t for g in result.gases] == [D("0.02"), D("0.002")]
    with pytest.raises(InvalidField) as refused:
        run("3216", 2023, {**FILING, "aluminium": [{**line, "anode_sulphur": "0.6", "anode_ash": "0.5"}]})
    assert refused.value.field == "aluminium[0].anode_ash"


def test_magnesium_dolomite_calcination() -> None:
    """NDRC 镁冶炼 guideline, 煅烧白云石: a carbonates[] line, CaMg(CO3)2 at 88.02/184.40 (COMPUTED)."""
    result = run("3217", 2023, {"carbonates": [{"carbonate": "CaMg(CO3)2", "quantity_t": "100000",
                                                "purity": "0.98"}], "value_added_wan": "9000"})  # fmt: skip
    steps(("100000", "*", "0.98", "98000.00"), ("98000", "*", "0.4773", "46775.4000"))
    assert result.emissions.process == D("46775.4")
    assert result.flags == [Flag.PROCESS_NOT_COVERED]
    assert (result.process_accounted, result.process_methods) == (True, ["carbonates"])
