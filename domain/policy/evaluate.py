"""Applying a policy set to one enterprise-year's facts: pure, deterministic, in set order.

Product rules run first, per product line; enterprise rules then run once, each seeing the
kinds of every consequence found before it (``consequences``), so a finance rule can read the
efficiency rules' outcome. A rule is in force for a year when its effective dates overlap the
year. Each consequence carries the value of every fact its conditions named (the triggering
figures) and, for a surcharge, the yuan per kWh, the kWh it applies to and the amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import msgspec

from domain.policy.facts import ENTERPRISE_FACTS, PRODUCT_FACTS, AccountFacts
from domain.policy.model import Condition, ConsequenceKind, Op, PolicySet, PolicySource, Rule, Scope
from domain.policy.surcharge import surcharge_per_kwh
from domain.sourced import Confidence

__all__ = ["Consequence", "Subject", "evaluate", "in_force"]

YUAN = Decimal("0.01")


class Subject(msgspec.Struct, frozen=True, kw_only=True):
    """The product line a product rule matched."""

    line: str
    product: str
    name: str


class Consequence(msgspec.Struct, frozen=True, kw_only=True):
    rule_id: str
    kind: ConsequenceKind
    title_zh: str
    title_en: str
    source: PolicySource
    confidence: Confidence
    provisional: bool  # the rule's source was not read (UNCONFIRMED, MEM+GB): say so wherever shown
    subject: Subject | None
    figures: dict[str, Any]  # fact → value, for each fact the rule's conditions named
    deadline: dt.date | None = None
    action: str | None = None
    surcharge_yuan_per_kwh: Decimal | None = None
    electricity_kwh: Decimal | None = None
    amount_yuan: Decimal | None = None
    note: str | None = None


def in_force(rule: Rule, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return rule.effective_from <= end and (rule.effective_to is None or rule.effective_to >= start)


def _coerce(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal" or kind == "int":
        return Decimal(str(value))
    if kind == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return value


def holds(cond: Condition, fact: Any, kind: str) -> bool:
    """``fact op value``; a missing fact (None) satisfies only ``eq null`` and ``ne`` a value."""
    if cond.op in (Op.CONTAINS_ANY, Op.CONTAINS_NONE):
        shared = set(fact or ()) & set(cond.value if isinstance(cond.value, list) else [cond.value])
        return bool(shared) if cond.op is Op.CONTAINS_ANY else not shared
    if cond.op in (Op.IN, Op.NOT_IN):
        options = [_coerce(kind, v) for v in (cond.value if isinstance(cond.value, list) else [cond.value])]
        inside = fact is not None and _coerce(kind, fact) in options
        return inside if cond.op is Op.IN else not inside
    value = _coerce(kind, cond.value)
    if fact is None or value is None:
        return (cond.op is Op.EQ and fact is value) or (cond.op is Op.NE and fact is not value)
    have = _coerce(kind, fact)
    match cond.op:
        case Op.EQ:
            return bool(have == value)
        case Op.NE:
            return bool(have != value)
        case Op.LT:
            return bool(have < value)
        case Op.LE:
            return bool(have <= value)
        case Op.GT:
            return bool(have > value)
        case _:
            return bool(have >= value)


def _matches(rule: Rule, values: dict[str, Any], types: dict[str, str]) -> bool:
    return all(holds(c, values.get(c.fact), types[c.fact]) for c in rule.when)


def _consequence(rule: Rule, values: dict[str, Any], subject: Subject | None, product_kwh: Decimal | None,
                 enterprise_kwh: Decimal) -> Consequence:  # fmt: skip
    figures = {c.fact: values.get(c.fact) for c in rule.when}
    deadline = rule.params.get("deadline")
    out: dict[str, Any] = {}
    if rule.kind is ConsequenceKind.POWER_SURCHARGE:
        rate, used = surcharge_per_kwh(rule.params, values.get("product.unit_energy_use"))
        figures |= used
        kwh = product_kwh if rule.params.get("electricity") == "product" else enterprise_kwh
        out = {
            "surcharge_yuan_per_kwh": rate,
            "electricity_kwh": kwh,
            "amount_yuan": None if kwh is None else (rate * kwh).quantize(YUAN, ROUND_HALF_UP),
        }
    return Consequence(
        rule_id=rule.id,
        kind=rule.kind,
        title_zh=rule.title_zh,
        title_en=rule.title_en,
        source=rule.source,
        confidence=rule.confidence,
        provisional=rule.confidence.provisional,
        subject=subject,
        figures=figures,
        deadline=None if deadline is None else dt.date.fromisoformat(str(deadline)),
        action=rule.params.get("action"),
        note=rule.note,
        **out,
    )


def evaluate(policies: PolicySet, facts: AccountFacts) -> list[Consequence]:
    """Every consequence the set's rules in force for the year give these facts, in set order
    (product rules per line first, then enterprise rules); a surcharge of 0 is no consequence."""
    rules = [r for r in policies.rules if in_force(r, facts.year)]
    found: list[Consequence] = []
    electricity_kwh = (Decimal(facts.enterprise["enterprise.electricity_mwh"]) * 1000).quantize(Decimal(1))
    for product in facts.products:
        subject = Subject(line=product.line, product=product.code, name=product.name)
        for rule in rules:
            if rule.scope is Scope.PRODUCT and _matches(rule, product.values, PRODUCT_FACTS):
                kwh = product.energy if rule.params.get("electricity") == "product" else None
                _add(found, _consequence(rule, product.values, subject, kwh, electricity_kwh))
    for rule in rules:
        if rule.scope is not Scope.ENTERPRISE:
            continue
        values = facts.enterprise | {"consequences": sorted({c.kind.value for c in found})}
        if _matches(rule, values, ENTERPRISE_FACTS):
            _add(found, _consequence(rule, values, None, None, electricity_kwh))
    return found


def _add(found: list[Consequence], c: Consequence) -> None:
    """A surcharge of 0 (at or below the threshold) is no consequence."""
    if c.kind is not ConsequenceKind.POWER_SURCHARGE or c.surcharge_yuan_per_kwh:
        found.append(c)
