"""Worked example, family (b) steel: an integrated works filed as GB/T 4754-2017 3110 炼铁
(blast furnace and BOF shop, 2.2 Mt of crude steel), accounting year 2023."""

from __future__ import annotations

import pytest

from domain.accounting import Flag
from domain.errors import InvalidField

from .worked import D, run, steps

FILING = {
    "energy": [
        {"carrier": "coke", "quantity": "720000", "unit": "t"},
        {"carrier": "natural_gas", "quantity": "1000", "unit": "10^4Nm3"},  # bought in
    ],
    "byproduct_gases": [
        # made from the coke: 1.3 bn Nm3 burnt in the stoves and boilers, 50 M Nm3 sold to a neighbour
        {"gas": "blast_furnace_gas", "produced": "1500000", "burnt_on_site": "1300000", "exported": "5000"},
    ],
    "steel_materials": [
        {"material": "limestone", "use": "consumed", "quantity_t": "150000"},
        {"material": "dolomite", "use": "consumed", "quantity_t": "60000"},
        {"material": "electrode", "use": "consumed", "quantity_t": "2000"},
        {"material": "pig_iron", "use": "consumed", "quantity_t": "50000"},  # bought in
        {"material": "crude_steel", "use": "fixed", "quantity_t": "2200000"},
    ],
    "electricity": {"purchased_mwh": "300000"},
    "value_added_wan": "180000",
}


def test_integrated_works_counts_coke_and_its_gas_once() -> None:
    result = run("3110", 2023, FILING)

    # Fuel combustion, GB/T 32150-2015: only the coke and the bought-in natural gas. The blast-furnace
    # gas burnt on site carries the coke's carbon, already counted: no combustion line of its own.
    steps(
        ("720000", "*", "28.435", "20473200.000"),
        ("20473200.000", "*", "0.02940", "601912.08000000"),
        ("601912.08000000", "*", "0.93", "559778.2344000000"),
        ("559778.2344000000", "*", "44", "24630242.3136000000"),
        ("24630242.3136000000", "/", "12", "2052520.1928000000"),  # coke
        ("1000", "*", "389.31", "389310.00"),
        ("389310.00", "*", "0.01532", "5964.2292000"),
        ("5964.2292000", "*", "0.99", "5904.586908000"),
        ("5904.586908000", "*", "44", "259801.823952000"),
        ("259801.823952000", "/", "12", "21650.151996000"),  # natural gas
        ("2052520.1928", "+", "21650.151996", "2074170.344796"),
    )
    assert [(c.carrier, c.co2) for c in result.combustion] == [
        ("coke", D("2052520.1928")),
        ("natural_gas", D("21650.151996")),
    ]
    assert result.emissions.combustion == D("2074170.344796")

    # NDRC steel guideline: E_process = Σ consumed × EF (熔剂 0.440 / 0.471, 电极 3.663, 外购生铁 0.172),
    # R_fixed = crude steel × 0.0154 (固碳产品, UNCONFIRMED), deducted.
    steps(
        ("150000", "*", "0.440", "66000.000"),
        ("60000", "*", "0.471", "28260.000"),
        ("2000", "*", "3.663", "7326.000"),
        ("50000", "*", "0.172", "8600.000"),
        ("2200000", "*", "0.0154", "33880.0000"),
    )
    # Exported gas leaves the boundary: 5 000 × 33.000 × 0.07080 × 0.99 × 44/12 deducted (net consumption).
    steps(
        ("5000", "*", "33.000", "165000.000"),
        ("165000.000", "*", "0.07080", "11682.00000000"),
        ("11682.00000000", "*", "0.99", "11565.1800000000"),
        ("11565.1800000000", "*", "44", "508867.9200000000"),
        ("508867.9200000000", "/", "12", "42405.6600000000"),
        ("66000", "+", "28260", "94260"),
        ("94260", "+", "7326", "101586"),
        ("101586", "+", "8600", "110186"),
        ("110186", "-", "33880", "76306"),
        ("76306", "-", "42405.66", "33900.34"),
    )
    assert [s.co2 for s in result.sector_process] == [
        D("66000.000"),
        D("28260.000"),
        D("7326.000"),
        D("8600.000"),
        D("-33880.0000"),
        D("-42405.66"),
    ]
    assert result.emissions.process == D("33900.34")

    steps(
        ("300000", "*", "0.6096", "182880.0000"),  # grid 2023, MEE/NBS 公告2025年第47号 Table 4
        ("2074170.344796", "+", "33900.34", "2108070.684796"),
        ("2108070.684796", "+", "182880", "2290950.684796"),
    )
    assert result.emissions.total == D("2290950.684796")

    assert result.flags == [Flag.PROCESS_NOT_COVERED, Flag.PROVISIONAL_FACTOR]  # 粗钢 0.0154 not read
    assert (result.process_accounted, result.process_methods) == (True, ["steel"])


def test_the_same_gas_filed_again_as_fuel_is_refused() -> None:
    """Counting the blast-furnace gas as a fuel besides the coke that made it would count its carbon twice."""
    twice = {**FILING, "energy": [*FILING["energy"], {"carrier": "blast_furnace_gas", "quantity": "1300000",
                                                       "unit": "10^4Nm3"}]}  # fmt: skip
    with pytest.raises(InvalidField) as refused:
        run("3110", 2023, twice)
    assert refused.value.field == "energy[2].carrier"


def test_more_gas_used_than_made_is_refused() -> None:
    gases = [{"gas": "blast_furnace_gas", "produced": "100", "burnt_on_site": "90", "exported": "20"}]
    with pytest.raises(InvalidField) as refused:
        run("3110", 2023, {**FILING, "byproduct_gases": gases})
    assert refused.value.field == "byproduct_gases[0].exported"


def test_an_unknown_material_needs_its_factor() -> None:
    lines = [{"material": "sinter_fines", "use": "consumed", "quantity_t": "10"}]
    with pytest.raises(InvalidField) as refused:
        run("3110", 2023, {**FILING, "steel_materials": lines})
    assert refused.value.field == "steel_materials[0].factor"
    measured = run("3110", 2023, {**FILING, "steel_materials": [{**lines[0], "factor": "0.05"}]})
    assert measured.sector_process[0].co2 == D("0.50")
