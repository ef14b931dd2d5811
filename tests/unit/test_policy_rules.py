"""The shipped policy set, rule by rule, on facts written out by hand (issue 17).

Each case gives the triggering figures, the consequence and, for a surcharge, the yuan amount
worked here: deadlines on both sides of the date; the aluminium tier at, just past and well
past its threshold; the coal-unit rules either side of 300 MW and 300 gce/kWh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from domain.errors import InvalidField
from domain.policy.evaluate import Consequence, evaluate
from domain.policy.facts import AccountFacts, ProductFacts, edition_area
from domain.policy.model import PolicySet
from domain.policy.shipped import shipped_policy_set
from domain.policy.surcharge import surcharge_per_kwh
from domain.policy.validate import validate_policy_set

SET = shipped_policy_set()


def _product(year: int, code: str, sector: str, **values: Any) -> ProductFacts:
    base = {"year": year, "period_end": dt.date(year, 12, 31), "product.code": code, "product.sector": sector,
            "product.level": "not_covered", "product.edition_area": edition_area(code), "product.unit_energy_use": None,
            "product.benchmark": None, "product.baseline": None, "product.unit_capacity_mw": None,
            "product.supply_coal_rate": None, "product.coal_fired": False, "product.plan_status": None}  # fmt: skip
    energy = values.pop("energy", None)
    return ProductFacts(line="products[0]", code=code, name=code, energy=energy, values=base | values)


def _facts(year: int, products: list[ProductFacts], sector: str, **ent: Any) -> AccountFacts:
    below = sum(1 for p in products if p.values["product.level"] == "below_baseline")
    base = {"year": year, "period_end": dt.date(year, 12, 31), "enterprise.sector": sector,
            "enterprise.industry": "3011", "enterprise.district": "370303", "enterprise.electricity_mwh": Decimal(0),
            "enterprise.below_baseline_count": below, "enterprise.plans_cover_below_baseline": False,
            "rating.colour": None, "rating.grade": None, "rating.finance_tier": None}  # fmt: skip
    return AccountFacts(year=year, enterprise=base | ent, products=products)


def _clinker(year: int, u: str, **ent: Any) -> AccountFacts:
    level = "below_baseline" if Decimal(u) > 117 else "baseline"
    p = _product(year, "cement_clinker", "building_materials", **{"product.level": level,
                 "product.unit_energy_use": Decimal(u), "product.benchmark": Decimal(100), "product.baseline": Decimal(117)})  # fmt: skip
    return _facts(year, [p], "building_materials", **ent)


def _by_rule(found: list[Consequence]) -> dict[str, Consequence]:
    return {c.rule_id: c for c in found}


# ---- 能效约束: retrofit before the deadline, phase-out after it --------------------------------


def test_clinker_below_the_baseline_in_2024_must_be_retrofitted_by_the_end_of_2025() -> None:
    found = _by_rule(evaluate(SET, _clinker(2024, "125")))  # 125 kgce/t > 基准 117
    assert set(found) == {"ndrc-2021-areas.retrofit", "zibo-plan.baseline-2025"}
    c = found["ndrc-2021-areas.retrofit"]
    assert c.kind == "retrofit_required" and c.deadline == dt.date(2025, 12, 31)
    assert c.figures == {"product.level": "below_baseline", "product.edition_area": "2021",
                         "period_end": dt.date(2024, 12, 31)}  # fmt: skip
    assert c.subject is not None and c.subject.product == "cement_clinker"
    assert not c.provisional and "723号" in c.source.document  # read (in a reprint)
    assert found["zibo-plan.baseline-2025"].provisional  # the plan's text was not found: UNCONFIRMED


def test_the_deadline_year_itself_is_still_retrofit_and_the_next_year_is_phase_out() -> None:
    assert set(_by_rule(evaluate(SET, _clinker(2025, "125")))) == {
        "ndrc-2021-areas.retrofit",
        "zibo-plan.baseline-2025",
    }
    after = _by_rule(evaluate(SET, _clinker(2026, "125")))
    assert set(after) == {"ndrc-2021-areas.phase-out", "green-credit.phase-out"}
    assert after["ndrc-2021-areas.phase-out"].kind == "phase_out_listed"
    assert after["ndrc-2021-areas.phase-out"].deadline == dt.date(2025, 12, 31)
    assert after["green-credit.phase-out"].figures == {"consequences": ["phase_out_listed"]}


def test_at_or_above_the_baseline_no_efficiency_consequence() -> None:
    assert evaluate(SET, _clinker(2026, "117")) == []  # u = 基准 is at the baseline level (u ≤ 基准)


def test_an_area_added_in_2023_has_until_the_end_of_2026() -> None:
    urea = _product(2026, "urea", "chemical", **{"product.level": "below_baseline"})
    found = _by_rule(evaluate(SET, _facts(2026, [urea], "chemical")))
    assert found["ndrc-2023-areas.retrofit"].deadline == dt.date(2026, 12, 31)
    assert "ndrc-2023-areas.phase-out" not in found
    later = _by_rule(evaluate(SET, _facts(2027, [msgspec.structs.replace(urea, values=urea.values | {
        "year": 2027, "period_end": dt.date(2027, 12, 31)})], "chemical")))  # fmt: skip
    assert "ndrc-2023-areas.phase-out" in later and "ndrc-2023-areas.retrofit" not in later


# ---- 阶梯电价 -----------------------------------------------------------------------------------


def _aluminium(year: int, u: str, kwh: str) -> AccountFacts:
    p = _product(year, "electrolytic_aluminium", "nonferrous", energy=Decimal(kwh), **{"product.level": "below_baseline",
                 "product.unit_energy_use": Decimal(u), "product.benchmark": Decimal(13000), "product.baseline": Decimal(13350)})  # fmt: skip
    return _facts(year, [p], "nonferrous")


def test_aluminium_above_13650_pays_a_cent_per_full_20_kwh_step_on_its_own_kwh() -> None:
    # 100 000 t at 13 700 kWh/t: 1 370 000 000 kWh; (13 700 − 13 650) / 20 = 2.5 → 2 full steps
    # → 0.02 yuan/kWh × 1 370 000 000 kWh = 27 400 000.00 yuan
    c = _by_rule(evaluate(SET, _aluminium(2024, "13700", "1370000000")))["aluminium.tiered-price"]
    assert c.kind == "power_surcharge"
    assert c.surcharge_yuan_per_kwh == Decimal("0.02") and c.electricity_kwh == Decimal("1370000000")
    assert c.amount_yuan == Decimal("27400000.00")
    assert c.figures["product.unit_energy_use"] == Decimal("13700") and c.figures["steps"] == 2
    assert not c.provisional


def test_aluminium_at_the_threshold_or_within_the_first_step_pays_nothing() -> None:
    for u in ("13650", "13669.99"):
        assert "aluminium.tiered-price" not in _by_rule(evaluate(SET, _aluminium(2024, u, "1000")))
    one = _by_rule(evaluate(SET, _aluminium(2024, "13670", "1000")))["aluminium.tiered-price"]
    assert one.surcharge_yuan_per_kwh == Decimal("0.01") and one.amount_yuan == Decimal("10.00")


def test_the_aluminium_tier_is_not_in_force_before_2022() -> None:
    assert "aluminium.tiered-price" not in _by_rule(evaluate(SET, _aluminium(2021, "13700", "1000")))


def test_a_part_step_counts_whole_only_when_the_rule_says_so() -> None:
    params = {"method": "tiered", "threshold": "13650", "step": "20", "yuan_per_kwh_per_step": "0.01"}
    assert surcharge_per_kwh(params, Decimal("13655"))[0] == Decimal(0)
    assert surcharge_per_kwh(params | {"partial_step": "up"}, Decimal("13655"))[0] == Decimal("0.01")
    assert surcharge_per_kwh(params | {"max_yuan_per_kwh": "0.03"}, Decimal("14000"))[0] == Decimal("0.03")


def test_steel_below_the_baseline_pays_the_third_tier_on_all_its_electricity() -> None:
    # 250 000 MWh filed = 250 000 000 kWh × 0.10 yuan = 25 000 000.00 yuan (UNCONFIRMED mapping)
    bf = _product(2024, "blast_furnace", "steel", **{"product.level": "below_baseline"})
    c = _by_rule(evaluate(SET, _facts(2024, [bf], "steel", **{"enterprise.electricity_mwh": Decimal(250000)})))
    s = c["steel.tiered-price-below-baseline"]
    assert s.amount_yuan == Decimal("25000000.00") and s.electricity_kwh == Decimal(250000000) and s.provisional


# ---- 煤电结构 -------------------------------------------------------------------------------------


def _unit(mw: str, coal: bool = True, rate: str = "295") -> AccountFacts:
    p = _product(2024, "power_supply", "power", **{"product.unit_capacity_mw": Decimal(mw), "product.coal_fired": coal,
                 "product.supply_coal_rate": Decimal(rate)})  # fmt: skip
    return _facts(2024, [p], "power")


def test_a_coal_unit_below_300_mw_is_flagged_for_back_pressure_conversion() -> None:
    c = _by_rule(evaluate(SET, _unit("135")))["coal-unit.below-300mw"]
    assert c.kind == "coal_unit_conversion" and c.action == "背压改造（或关停整合）"
    assert c.figures == {
        "product.code": "power_supply",
        "product.coal_fired": True,
        "product.unit_capacity_mw": Decimal(135),
    }
    assert c.provisional  # the plan's article was not read
    assert "coal-unit.below-300mw" not in _by_rule(evaluate(SET, _unit("300")))
    assert "coal-unit.below-300mw" not in _by_rule(evaluate(SET, _unit("135", coal=False)))


def test_supply_coal_above_300_gce_needs_a_retrofit() -> None:
    assert (
        _by_rule(evaluate(SET, _unit("600", rate="305.2")))["coal-unit.supply-coal-300"].kind == "supply_coal_retrofit"
    )
    assert "coal-unit.supply-coal-300" not in _by_rule(evaluate(SET, _unit("600", rate="300")))


# ---- green and transition finance ---------------------------------------------------------------


def test_a_red_rating_is_not_eligible_for_green_credit() -> None:
    found = _by_rule(
        evaluate(SET, _clinker(2024, "106", **{"rating.finance_tier": "restricted", "rating.colour": "red"}))
    )
    assert set(found) == {"green-credit.restricted-tier"}
    assert found["green-credit.restricted-tier"].figures == {"rating.finance_tier": "restricted"}


def test_below_the_baseline_with_a_filed_plan_is_a_transition_finance_candidate() -> None:
    without = _by_rule(evaluate(SET, _clinker(2024, "125")))
    assert "transition.retrofit-plan" not in without
    with_plan = _by_rule(evaluate(SET, _clinker(2024, "125", **{"enterprise.plans_cover_below_baseline": True})))
    assert with_plan["transition.retrofit-plan"].kind == "transition_finance_candidate"
    listed = _by_rule(evaluate(SET, _clinker(2026, "125", **{"enterprise.plans_cover_below_baseline": True})))
    assert "transition.retrofit-plan" not in listed  # phase-out listed: no transition finance


# ---- a posted set is checked ------------------------------------------------------------------


def _one_rule(**rule: Any) -> PolicySet:
    base = {"id": "r", "kind": "retrofit_required", "scope": "product", "title_zh": "改造", "title_en": "retrofit",
            "when": [{"fact": "product.level", "op": "eq", "value": "below_baseline"}], "params": {"deadline": "2025-12-31"},
            "effective_from": "2021-01-01", "source": {"document": "doc", "article": "1"}, "confidence": "READ"}  # fmt: skip
    return msgspec.convert({"label": "t", "rules": [base | rule]}, PolicySet)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"when": [{"fact": "product.colour", "op": "eq", "value": "x"}]}, "rules[0].when[0].fact"),
        ({"when": [{"fact": "product.code", "op": "gt", "value": 3}]}, "rules[0].when[0].op"),
        ({"when": [{"fact": "period_end", "op": "le", "value": "end of 2025"}]}, "rules[0].when[0].value"),
        ({"params": {}}, "rules[0].params.deadline"),
        ({"effective_to": "2020-01-01"}, "rules[0].effective_to"),
        (
            {
                "kind": "power_surcharge",
                "scope": "enterprise",
                "when": [],
                "params": {
                    "method": "tiered",
                    "threshold": "1",
                    "step": "1",
                    "yuan_per_kwh_per_step": "0.01",
                    "electricity": "enterprise",
                },
            },
            "rules[0].scope",
        ),
        (
            {"kind": "power_surcharge", "params": {"method": "flat", "yuan_per_kwh": "-1", "electricity": "product"}},
            "rules[0].params.yuan_per_kwh",
        ),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidField) as caught:
        validate_policy_set(_one_rule(**rule))
    assert caught.value.field == field


def test_two_rules_with_one_id_are_refused() -> None:
    s = _one_rule()
    with pytest.raises(InvalidField) as caught:
        validate_policy_set(msgspec.structs.replace(s, rules=[s.rules[0], s.rules[0]]))
    assert caught.value.field == "rules[1].id"


def test_the_shipped_set_is_valid_and_every_rule_cites_a_document_and_article() -> None:
    validate_policy_set(SET)
    assert all(r.source.document and r.source.article for r in SET.rules)
