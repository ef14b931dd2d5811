"""Policy bodies: set versions, and an enterprise-year's policy sheet."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain.policy.evaluate import Consequence
from domain.policy.model import PolicySet
from service.db.models import Enterprise, PolicySetRecord
from service.policy.sets import decode_policy_set
from service.policy.sheet import PlanProgress, Sheet

__all__ = ["PolicySetRead", "PolicySetRef", "PolicySheetRead"]


class PolicySetRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    version: int
    """Each load is the next version; a version is never edited. Sheets use the latest."""
    label: str
    sha256: str
    """SHA-256 of the set's RFC 8785 canonical JSON."""
    rules: int
    unconfirmed_rules: list[str]
    """Rules whose source was not read (confidence UNCONFIRMED or MEM+GB): their consequences say so."""
    created_at: dt.datetime

    @classmethod
    def of(cls, r: PolicySetRecord) -> PolicySetRef:
        rules = decode_policy_set(r).policies.rules
        return cls(id=r.id, version=r.version, label=r.label, sha256=r.sha256, rules=len(rules),
                   unconfirmed_rules=[x.id for x in rules if x.confidence.provisional],
                   created_at=r.created_at)  # fmt: skip


class PolicySetRead(PolicySetRef, kw_only=True):
    policies: PolicySet
    """The set as loaded: each rule's condition, consequence, parameters, dates and source."""

    @classmethod
    def of(cls, r: PolicySetRecord) -> PolicySetRead:
        return cls(**msgspec.structs.asdict(PolicySetRef.of(r)), policies=decode_policy_set(r).policies)


class SheetSet(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    version: int
    sha256: str
    label: str


class PolicySheetRead(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    district: str
    sector: str
    year: int
    policy_set: SheetSet
    """The policy-set version the sheet was computed under (the latest)."""
    filing_id: uuid.UUID
    filing_version: int
    rating_id: uuid.UUID | None
    """The year's active rating whose colour, grade and tier the finance rules read (None: unrated)."""
    consequences: list[Consequence]
    """Each with its rule, source (document, article), confidence, the figures that triggered it;
    `provisional` true where the rule's source was not read."""
    plans: list[PlanProgress]
    """Retrofit plans filed up to this year: the product's unit energy use this year against the target."""

    @classmethod
    def of(cls, ent: Enterprise, sheet: Sheet) -> PolicySheetRead:
        v = sheet.policy_set
        return cls(uscc=ent.uscc, name=ent.name, district=ent.district, sector=ent.sector, year=sheet.year,
                   policy_set=SheetSet(id=v.id, version=v.version, sha256=v.sha256, label=v.policies.label),
                   filing_id=sheet.filing_id, filing_version=sheet.filing_version, rating_id=sheet.rating_id,
                   consequences=sheet.consequences, plans=sheet.plans)  # fmt: skip
