"""Filing bodies: create (a draft or a correction), read, list, the account result."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from domain.accounting import AccountResult
from domain.factors import Year
from domain.filings import FilingContent, VerificationOutcome
from service.api.reference.schemas import EditionRef, FactorSetRef
from service.db.models import Enterprise, Filing, FilingVerification
from service.filings import Accounted, decode_content
from service.policy.sheet import PlanProgress

__all__ = [
    "AccountYear",
    "EnterpriseAccount",
    "FilingCreate",
    "FilingList",
    "FilingRead",
    "FilingResult",
    "FilingSummary",
    "VerificationCreate",
    "VerificationRead",
]


class FilingCreate(FilingContent, frozen=True, kw_only=True, forbid_unknown_fields=True):
    period: Year
    """The calendar year filed for."""
    supersedes: Annotated[int, msgspec.Meta(ge=1)] | None = None
    """A correction names the latest version of the period, which it supersedes."""

    def content(self) -> FilingContent:
        fields = {f: getattr(self, f) for f in FilingContent.__struct_fields__}
        return FilingContent(**fields)


class VerificationCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    outcome: VerificationOutcome
    opinion: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    report_sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the report, hex")]


class VerificationRead(msgspec.Struct, kw_only=True):
    outcome: str
    opinion: str
    report_sha256: str
    verifier_org_id: uuid.UUID
    verified_at: dt.datetime

    @classmethod
    def of(cls, v: FilingVerification) -> VerificationRead:
        return cls(
            outcome=v.outcome,
            opinion=v.opinion,
            report_sha256=v.report_sha256,
            verifier_org_id=v.verifier_org_id,
            verified_at=v.verified_at,
        )


class FilingSummary(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    period: int
    version: int
    status: str
    supersedes_id: uuid.UUID | None
    content_sha256: str
    """SHA-256 of the content's canonical JSON (keys sorted, decimals as strings)."""
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    verification: VerificationRead | None = None

    @classmethod
    def of(cls, f: Filing, ent: Enterprise, v: FilingVerification | None = None) -> FilingSummary:
        return cls(**_summary_fields(f, ent, v))


def _summary_fields(f: Filing, ent: Enterprise, v: FilingVerification | None) -> dict[str, object]:
    return {
        "id": f.id,
        "uscc": ent.uscc,
        "period": f.period,
        "version": f.version,
        "status": f.status,
        "supersedes_id": f.supersedes_id,
        "content_sha256": f.content_sha256,
        "created_at": f.created_at,
        "updated_at": f.updated_at,
        "submitted_at": f.submitted_at,
        "verification": VerificationRead.of(v) if v else None,
    }


class FilingRead(FilingSummary, kw_only=True):
    content: FilingContent

    @classmethod
    def of(cls, f: Filing, ent: Enterprise, v: FilingVerification | None = None) -> FilingRead:
        return cls(**_summary_fields(f, ent, v), content=decode_content(f))


class FilingList(msgspec.Struct, kw_only=True):
    uscc: str
    items: list[FilingSummary]


class FilingResult(msgspec.Struct, kw_only=True):
    filing: FilingSummary
    factor_set: FactorSetRef
    benchmark_edition: EditionRef | None
    """None before the first edition's year: every product is then not covered."""
    result: AccountResult

    @classmethod
    def of(cls, summary: FilingSummary, accounted: Accounted) -> FilingResult:
        return cls(
            filing=summary,
            factor_set=FactorSetRef.of(accounted.factor_set),
            benchmark_edition=EditionRef.of(accounted.edition) if accounted.edition else None,
            result=accounted.result,
        )


class AccountYear(msgspec.Struct, kw_only=True):
    year: int
    current: FilingResult | None
    """The highest submitted or verified version's account; none while only drafts or rejected ones exist."""
    versions: list[FilingSummary]
    retrofit_plans: list[PlanProgress] = []
    """The retrofit plans filed for this year or before: this year's unit energy use of each plan's
    product against its target (`target_met`; null in the plan's own year)."""


class EnterpriseAccount(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    industry: str
    sector: str
    years: list[AccountYear]
