"""What a posted policy set must satisfy beyond its shape; raises InvalidField naming the value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.errors import InvalidField
from domain.policy.facts import ENTERPRISE_FACTS, PRODUCT_FACTS
from domain.policy.model import ConsequenceKind, Op, PolicySet, Rule, Scope

__all__ = ["validate_policy_set"]

_ORDERED = {Op.LT, Op.LE, Op.GT, Op.GE}
_LIST_OPS = {Op.CONTAINS_ANY, Op.CONTAINS_NONE}
_NEEDS_DEADLINE = {ConsequenceKind.RETROFIT_REQUIRED, ConsequenceKind.PHASE_OUT_LISTED}


def _number(field: str, value: Any, *, positive: bool = True) -> Decimal:
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidField(field, f"must be a number, got {value!r}")
    if positive and number <= 0:
        raise InvalidField(field, "must be greater than zero")
    return number


def _check_conditions(at: str, rule: Rule) -> None:
    types = PRODUCT_FACTS if rule.scope is Scope.PRODUCT else ENTERPRISE_FACTS
    for j, cond in enumerate(rule.when):
        where = f"{at}.when[{j}]"
        kind = types.get(cond.fact)
        if kind is None:
            raise InvalidField(
                f"{where}.fact", f"{cond.fact!r} is not a {rule.scope.value} fact: one of {', '.join(types)}"
            )
        if cond.op in _ORDERED and kind not in ("decimal", "int", "date"):
            raise InvalidField(f"{where}.op", f"{cond.op.value} needs a number or a date; {cond.fact} is a {kind}")
        if (cond.op in _LIST_OPS) != (kind == "list"):
            raise InvalidField(f"{where}.op", "contains_any / contains_none are for the list fact consequences only")
        values = cond.value if isinstance(cond.value, list) else [cond.value]
        if isinstance(cond.value, list) and cond.op not in (Op.IN, Op.NOT_IN, *_LIST_OPS):
            raise InvalidField(f"{where}.value", f"a list needs op in, not_in or contains_any, not {cond.op.value}")
        for v in values:
            if v is None:
                continue
            if kind in ("decimal", "int"):
                _number(f"{where}.value", v, positive=False)
            elif kind == "date":
                try:
                    dt.date.fromisoformat(str(v))
                except ValueError:
                    raise InvalidField(f"{where}.value", f"{v!r} is not a date (YYYY-MM-DD)") from None


def _check_params(at: str, rule: Rule) -> None:
    p = rule.params
    if rule.kind in _NEEDS_DEADLINE:
        try:
            dt.date.fromisoformat(str(p.get("deadline")))
        except ValueError:
            raise InvalidField(f"{at}.params.deadline", "a date (YYYY-MM-DD) is required for this kind") from None
    if rule.kind is ConsequenceKind.POWER_SURCHARGE:
        method = p.get("method")
        if method == "flat":
            _number(f"{at}.params.yuan_per_kwh", p.get("yuan_per_kwh"))
        elif method == "tiered":
            if rule.scope is not Scope.PRODUCT:
                raise InvalidField(f"{at}.scope", "a tiered surcharge is by a product's unit energy use: scope product")
            for name in ("threshold", "step", "yuan_per_kwh_per_step"):
                _number(f"{at}.params.{name}", p.get(name))
            if p.get("partial_step", "down") not in ("down", "up"):
                raise InvalidField(f"{at}.params.partial_step", "down (full steps only) or up (a part counts whole)")
            if p.get("max_yuan_per_kwh") is not None:
                _number(f"{at}.params.max_yuan_per_kwh", p["max_yuan_per_kwh"])
        else:
            raise InvalidField(f"{at}.params.method", "flat or tiered")
        if p.get("electricity") not in ("product", "enterprise"):
            raise InvalidField(
                f"{at}.params.electricity", "product (the product line's own kWh) or enterprise (all filed)"
            )
        if p["electricity"] == "product" and rule.scope is not Scope.PRODUCT:
            raise InvalidField(f"{at}.params.electricity", "product electricity needs scope product")


def _no_floats(at: str, value: Any) -> None:
    """A set is hashed as RFC 8785 JSON with decimals as strings: a float has no place in it."""
    if isinstance(value, float):
        raise InvalidField(at, 'a fractional number travels as a decimal string (e.g. "0.05")')
    if isinstance(value, dict):
        for key, item in value.items():
            _no_floats(f"{at}.{key}", item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_floats(f"{at}[{i}]", item)


def validate_policy_set(s: PolicySet) -> None:
    seen: set[str] = set()
    for i, rule in enumerate(s.rules):
        at = f"rules[{i}]"
        _no_floats(f"{at}.params", rule.params)
        if rule.id in seen:
            raise InvalidField(f"{at}.id", f"{rule.id!r} appears twice")
        seen.add(rule.id)
        if rule.effective_to is not None and rule.effective_to < rule.effective_from:
            raise InvalidField(f"{at}.effective_to", "is before effective_from")
        _check_conditions(at, rule)
        _check_params(at, rule)
