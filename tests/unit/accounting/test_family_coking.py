"""Worked example, family (a) carbon mass balance: an independent coke plant, GB/T 4754-2017
2521 炼焦, 1 Mt/a of coke; accounting year 2023."""

from __future__ import annotations

from domain.accounting import Flag

from .worked import D, run, steps

FILING = {
    "energy": [{"carrier": "coke_oven_gas", "quantity": "20000", "unit": "10^4Nm3"}],  # heats the ovens
    "mass_balance": [
        {"material": "coking_coal", "flow": "in", "quantity": "1300000", "carbon_content": "0.78",
         "process_unit": "coke_oven"},
        {"material": "coke", "flow": "out", "quantity": "1000000", "carbon_content": "0.86", "process_unit": "coke_oven"},
        {"material": "coke_oven_gas", "flow": "out", "quantity": "45000", "unit": "10^4Nm3", "process_unit": "coke_oven"},
        {"material": "coal_tar", "flow": "out", "quantity": "40000", "carbon_content": "0.85", "process_unit": "coke_oven"},
        {"material": "crude_benzol", "flow": "out", "quantity": "12000", "carbon_content": "0.92",
         "process_unit": "coke_oven"},
    ],
    "value_added_wan": "60000",
}  # fmt: skip


def test_coke_oven_carbon_balance() -> None:
    result = run("2521", 2023, FILING)

    # NDRC 独立焦化 guideline, 炼焦过程 (carbon balance; GB/T 32151.10-2015 form):
    # E = (Σ in·C − Σ out·C − Σ waste·C) × 44/12. 焦炉煤气 C = NCV 173.854 × 0.01210 = 2.1036 tC/10^4Nm3
    # (COMPUTED from the MEE guideline's gas factors).
    steps(
        ("173.854", "*", "0.01210", "2.10363340"),  # the shipped default is 2.1036 (4 places)
        ("1300000", "*", "0.78", "1014000.00"),  # coking coal in
        ("1000000", "*", "0.86", "860000.00"),  # coke out
        ("45000", "*", "2.1036", "94662.0000"),  # coke-oven gas out
        ("40000", "*", "0.85", "34000.00"),  # tar out
        ("12000", "*", "0.92", "11040.00"),  # benzol out
        ("1014000", "-", "860000", "154000"),
        ("154000", "-", "94662", "59338"),
        ("59338", "-", "34000", "25338"),
        ("25338", "-", "11040", "14298"),  # tC retained neither in products nor in gas: emitted
        ("14298", "*", "44", "629112"),
        ("629112", "/", "12", "52426"),
    )
    balance = next(s for s in result.sector_process if s.kind == "balance")
    assert (balance.line, balance.carbon_t, balance.co2) == ("mass_balance:coke_oven", D("14298"), D("52426"))
    assert [s.carbon_t for s in result.sector_process[:5]] == [D(1014000), D(-860000), D(-94662), D(-34000), D(-11040)]

    # The gas burnt under the ovens is combustion (GB/T 32150-2015): 20 000 × 173.854 × 0.01210 × 0.99 × 44/12.
    # Its carbon left the balance as an `out` line, so it is counted once.
    steps(
        ("20000", "*", "173.854", "3477080.000"),
        ("3477080.000", "*", "0.01210", "42072.66800000"),
        ("42072.66800000", "*", "0.99", "41651.9413200000"),
        ("41651.9413200000", "*", "44", "1832685.4180800000"),
        ("1832685.4180800000", "/", "12", "152723.7848400000"),
        ("52426", "+", "152723.78484", "205149.78484"),
    )
    assert result.emissions.combustion == D("152723.78484")
    assert result.emissions.process == D("52426")
    assert result.emissions.total == result.co2e_total == D("205149.78484")

    # v1's class flag is untouched (v1 keeps 2521 未评); the v2 signal says the balance accounted it.
    assert result.flags == [Flag.PROCESS_NOT_COVERED]
    assert (result.process_accounted, result.process_methods) == (True, ["mass_balance"])
    used = {f.key: f for f in result.factors}
    assert used["carbon.coke_oven_gas"].value == D("2.1036") and used["carbon.coke_oven_gas"].confidence == "COMPUTED"


def test_without_the_balance_the_class_is_not_accounted() -> None:
    result = run("2521", 2023, {**FILING, "mass_balance": []})
    assert result.sector_process == [] and result.emissions.process == 0
    assert (result.process_accounted, result.process_methods) == (False, [])
    assert result.flags == [Flag.PROCESS_NOT_COVERED]


def test_a_default_not_read_makes_the_account_provisional() -> None:
    """焦炭's default carbon content was not read in any source (UNCONFIRMED)."""
    lines = [dict(line) for line in FILING["mass_balance"]]  # type: ignore[union-attr]
    del lines[1]["carbon_content"]
    result = run("2521", 2023, {**FILING, "mass_balance": lines})
    assert Flag.PROVISIONAL_FACTOR in result.flags
    assert next(f for f in result.factors if f.key == "carbon.coke").confidence == "UNCONFIRMED"
