"""Financing requests at the edge: what an enterprise sends, what a bank answers, what each reads."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from domain.consents import Purpose, Scope
from domain.finance.requests import MAX_BANKS, AnswerStatus
from service.db.base import as_filed
from service.db.models import FinancingAnswer, FinancingRecipient
from service.finance import requests as use

__all__ = ["AnswerCreate", "AnswerRead", "RecipientRead", "RequestCreate", "RequestRead", "TargetIn"]


class TargetIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    bank_org_id: uuid.UUID
    """An active bank (GET /v1/banks)."""
    product_id: uuid.UUID | None = None
    """Optionally, the version of that bank's product applied for (GET /v1/finance-products)."""


class RequestCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    amount_yuan: Decimal
    """The amount asked, yuan (> 0)."""
    purpose: Literal["credit", "bond"]
    """`credit` (a loan) or `bond` (underwriting): the purpose of the consents it grants."""
    use_of_proceeds: Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
    """What the money is for, e.g. the retrofit it pays for."""
    term_months: Annotated[int, msgspec.Meta(ge=1, le=600)]
    expires_at: dt.datetime
    """When the request (and the consents it grants) ends at the latest, with a time zone."""
    banks: Annotated[list[TargetIn], msgspec.Meta(min_length=1, max_length=MAX_BANKS)]
    scope: Scope = Scope.FULL
    """The scope of the consents it grants: `full` (the whole rating) or `grade_only`."""

    def input(self) -> use.NewRequest:
        banks = [use.Target(bank_org_id=b.bank_org_id, product_id=b.product_id) for b in self.banks]
        return use.NewRequest(amount_yuan=self.amount_yuan, purpose=Purpose(self.purpose), use_of_proceeds=self.use_of_proceeds,
                              term_months=self.term_months, scope=self.scope, expires_at=self.expires_at, banks=banks)  # fmt: skip


class AnswerCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    status: AnswerStatus
    """`under_review`, then `approved` or `declined` (final)."""
    amount_yuan: Decimal | None = None
    """Approved: the amount granted (at most the amount asked)."""
    rate_percent: Decimal | None = None
    """Approved: the annual rate, % (e.g. 3.15)."""
    margin_bp: Annotated[int, msgspec.Meta(ge=-1000, le=1000)] | None = None
    """Approved: the margin over the reference rate (LPR) in basis points, negative for a discount."""
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | None = None
    """Required to decline: why."""

    def input(self) -> use.Answer:
        return use.Answer(**msgspec.structs.asdict(self))


def _plain(d: Decimal | None) -> Decimal | None:
    return as_filed(d) if d is not None else None


class AnswerRead(msgspec.Struct, kw_only=True):
    status: str
    amount_yuan: Decimal | None
    rate_percent: Decimal | None
    margin_bp: int | None
    reason: str | None
    at: dt.datetime

    @classmethod
    def of(cls, a: FinancingAnswer) -> AnswerRead:
        return cls(status=a.status, amount_yuan=_plain(a.approved_amount_yuan), rate_percent=_plain(a.rate_percent),
                   margin_bp=a.margin_bp, reason=a.reason, at=a.at)  # fmt: skip


class RecipientRead(msgspec.Struct, kw_only=True):
    bank_org_id: uuid.UUID
    bank_name: str
    product_id: uuid.UUID | None
    consent_id: uuid.UUID
    status: str
    """received | under_review | approved | declined (the last two are final)."""
    amount_yuan: Decimal | None
    rate_percent: Decimal | None
    margin_bp: int | None
    reason: str | None
    answered_at: dt.datetime | None
    answers: list[AnswerRead]
    """Every answer the bank gave, oldest first."""

    @classmethod
    def of(cls, r: FinancingRecipient, bank: str, answers: list[FinancingAnswer]) -> RecipientRead:
        return cls(bank_org_id=r.bank_org_id, bank_name=bank, product_id=r.product_id, consent_id=r.consent_id,
                   status=r.status, amount_yuan=_plain(r.approved_amount_yuan), rate_percent=_plain(r.rate_percent),
                   margin_bp=r.margin_bp, reason=r.reason, answered_at=r.answered_at,
                   answers=[AnswerRead.of(a) for a in answers])  # fmt: skip


class RequestRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    uscc: str
    name: str
    district: str
    sector: str
    year: int
    """The year it was sent (Beijing time): the year of the finance bureau's figures."""
    amount_yuan: Decimal
    purpose: str
    use_of_proceeds: str
    term_months: int
    scope: str
    expires_at: dt.datetime
    status: str
    """open, closed (every bank answered finally, or withdrawn) or expired."""
    closed_reason: str | None
    closed_at: dt.datetime | None
    rating_id: uuid.UUID | None
    """The rating the banks saw when it was sent, with its colour and grade (kept with the request)."""
    rating_year: int | None
    colour: str
    grade: int | None
    consequence_kinds: list[str]
    created_at: dt.datetime
    recipients: list[RecipientRead]
    """Every bank it went to (a bank sees only its own)."""

    @classmethod
    def of(cls, item: use.Listed) -> RequestRead:
        r = item.request
        status = "expired" if r.status == "open" and r.expires_at <= dt.datetime.now(dt.UTC) else r.status
        return cls(id=r.id, uscc=item.uscc, name=item.name, district=item.district, sector=item.sector, year=r.year,
                   amount_yuan=as_filed(r.amount_yuan), purpose=r.purpose, use_of_proceeds=r.use_of_proceeds,
                   term_months=r.term_months, scope=r.scope, expires_at=r.expires_at, status=status,
                   closed_reason=r.closed_reason, closed_at=r.closed_at, rating_id=r.rating_id,
                   rating_year=r.rating_year, colour=r.colour, grade=r.grade,
                   consequence_kinds=list(r.consequence_kinds), created_at=r.created_at,
                   recipients=[RecipientRead.of(*x) for x in item.recipients])  # fmt: skip
