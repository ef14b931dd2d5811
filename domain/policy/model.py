"""A policy set: versioned rules, each a condition over an account's facts and a consequence.

Rules are data, not code: the rating authority loads a set (POST /v1/policy-sets) as it loads
factor sets, and every rule names its legal source (document number and article), its
effective dates and a confidence label. A rule whose source was not read is UNCONFIRMED and
every consequence it produces says so. ``domain.policy.evaluate`` applies a set to the facts of
one enterprise-year (``domain.policy.facts``); nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from domain.sourced import Confidence

__all__ = [
    "Condition",
    "ConsequenceKind",
    "Op",
    "PolicySet",
    "PolicySetVersion",
    "PolicySource",
    "Rule",
    "Scope",
]

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]
Short = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
RuleId = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_.-]{0,79}$")]
Url = Annotated[str, msgspec.Meta(max_length=1000, pattern=r"^https?://\S+$")]
Scalar = str | int | bool | None  # a fraction travels as a decimal string ("13650.5"), never a float
_SCALAR_SCHEMA = [{"type": t} for t in ("string", "integer", "boolean", "null")]
ConditionValue = Annotated[
    Scalar | list[Scalar],
    # The schema of the union, written out (anyOf: Litestar's generated oneOf once listed integer
    # and number, and refused every integer).
    msgspec.Meta(
        extra_json_schema={
            "extra": {"oneOf": None, "anyOf": [*_SCALAR_SCHEMA, {"type": "array", "items": {"anyOf": _SCALAR_SCHEMA}}]}
        }
    ),
]


class ConsequenceKind(StrEnum):
    RETROFIT_REQUIRED = "retrofit_required"  # 限期改造: below 基准, before the sector's deadline
    PHASE_OUT_LISTED = "phase_out_listed"  # 列入关停 (淘汰) 计划: still below 基准 after it
    POWER_SURCHARGE = "power_surcharge"  # 差别电价 / 阶梯电价 on the filed electricity
    COAL_UNIT_CONVERSION = "coal_unit_conversion"  # a coal unit below 300 MW: 背压 conversion
    SUPPLY_COAL_RETROFIT = "supply_coal_retrofit"  # 供电煤耗 above its benchmark: 节能改造
    GREEN_CREDIT_INELIGIBLE = "green_credit_ineligible"  # not eligible for green credit
    TRANSITION_FINANCE_CANDIDATE = "transition_finance_candidate"  # 转型金融 candidate
    BENCHMARK_TARGET = "benchmark_target"  # the plan's target (e.g. every 两高 product at 基准 by 2025)


class Scope(StrEnum):
    PRODUCT = "product"  # evaluated per product line of the filing
    ENTERPRISE = "enterprise"  # once per enterprise-year (after every product rule)


class Op(StrEnum):
    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    IN = "in"  # the fact is one of value (a list)
    NOT_IN = "not_in"
    CONTAINS_ANY = "contains_any"  # the fact (a list) shares an element with value (a list)
    CONTAINS_NONE = "contains_none"  # the fact (a list) shares no element with value


class PolicySource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Where a rule is written: the document (number and title), the article, and a URL if any."""

    document: Text  # e.g. 发改产业〔2021〕1609号 《高耗能行业重点领域能效标杆水平和基准水平（2021年版）》
    article: Short  # e.g. 二、(二)
    url: Url | None = None
    read_in: Text | None = None  # where the text was read (a reprint), when not the issuer's site


class Condition(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """``fact op value``: the fact is a name of ``domain.policy.facts`` for the rule's scope."""

    fact: Annotated[str, msgspec.Meta(pattern=r"^[a-z_.]{1,60}$")]
    op: Op
    value: ConditionValue


class Rule(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """When every condition holds for a subject (a product line, or the enterprise), the
    consequence applies with ``params`` (kind-specific: a deadline, surcharge tiers…)."""

    id: RuleId
    kind: ConsequenceKind
    scope: Scope
    title_zh: Short
    title_en: Short
    when: Annotated[list[Condition], msgspec.Meta(max_length=20)]
    params: dict[str, Any] = {}
    effective_from: dt.date
    effective_to: dt.date | None = None  # inclusive; None: in force until a later set says otherwise
    source: PolicySource
    confidence: Confidence
    note: Text | None = None


class PolicySet(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What the rating authority posts: a label and the rules, in evaluation order."""

    label: Short
    rules: Annotated[list[Rule], msgspec.Meta(min_length=1, max_length=500)]


class PolicySetVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A loaded version: what a rating pins (id, version, SHA-256) and the set itself."""

    id: uuid.UUID
    version: int
    sha256: str
    policies: PolicySet
