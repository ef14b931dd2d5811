"""Bank bodies: the directory, consents, the access log, financed emissions."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import msgspec

from domain.consents import Purpose, Scope
from service.db.models import AccessLogEntry, Consent, Organisation

__all__ = [
    "AccessLogRead",
    "BankRead",
    "ConsentCreate",
    "ConsentRead",
    "LoanIn",
    "PortfolioRequest",
]


class BankRead(msgspec.Struct, kw_only=True):
    org_id: uuid.UUID
    name: str

    @classmethod
    def of(cls, org: Organisation) -> BankRead:
        return cls(org_id=org.id, name=org.name)


class ConsentCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    bank_org_id: uuid.UUID
    """An active bank (GET /v1/banks)."""
    purpose: Purpose
    scope: Scope
    """grade_only: colour, grade, band, tier; full: the whole rating and financed emissions."""
    expires_at: dt.datetime
    """With a time zone; in the future, at most five years ahead."""


class ConsentRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    bank_org_id: uuid.UUID
    bank_name: str | None
    purpose: str
    scope: str
    expires_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime
    withdrawn_at: dt.datetime | None
    active: bool
    """Not withdrawn and not expired, now."""

    @classmethod
    def of(cls, c: Consent, uscc: str, bank_name: str | None = None) -> ConsentRead:
        now = dt.datetime.now(dt.UTC)
        return cls(
            id=c.id,
            uscc=uscc,
            bank_org_id=c.bank_org_id,
            bank_name=bank_name,
            purpose=c.purpose,
            scope=c.scope,
            expires_at=c.expires_at,
            created_at=c.created_at,
            updated_at=c.updated_at,
            withdrawn_at=c.withdrawn_at,
            active=c.withdrawn_at is None and c.expires_at > now,
        )


class AccessLogRead(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    uscc: str
    client_id: str
    org_id: uuid.UUID
    org_name: str
    org_kind: str
    consent_id: uuid.UUID | None
    purpose: str
    what: str
    resource_id: str | None
    scope: str | None

    @classmethod
    def of(cls, e: AccessLogEntry, org_name: str, uscc: str) -> AccessLogRead:
        return cls(
            id=e.id,
            at=e.at,
            uscc=uscc,
            client_id=e.client_id,
            org_id=e.org_id,
            org_name=org_name,
            org_kind=e.org_kind,
            consent_id=e.consent_id,
            purpose=e.purpose,
            what=e.what,
            resource_id=e.resource_id,
            scope=e.scope,
        )


class LoanIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    uscc: Annotated[str, msgspec.Meta(max_length=64)]
    outstanding_yuan: Decimal
    equity_plus_debt_yuan: Decimal | None = None
    """The borrower's total equity plus debt (unlisted borrowers)."""
    evic_yuan: Decimal | None = None
    """Enterprise value including cash (listed borrowers), instead of equity plus debt."""
    reference: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    """The bank's own loan id, echoed back."""


class PortfolioRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    loans: Annotated[list[LoanIn], msgspec.Meta(min_length=1, max_length=1000)]
