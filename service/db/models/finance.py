"""融资服务: banks' finance products (versioned, never edited) and enterprises' financing requests
to one or more banks, each bank's current answer and the history of its answers."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["FinanceProductRecord", "FinancingAnswer", "FinancingRecipient", "FinancingRequest"]

PRODUCT_KINDS = "'green_loan','transition_loan','sustainability_linked_loan','green_bond_underwriting'"
ANSWER_STATUSES = "'received','under_review','approved','declined'"


class FinanceProductRecord(Base):
    """One version of a bank's product: `code` names the product across versions; new terms or
    eligibility are a new version, never an edit."""

    __tablename__ = "finance_products"
    __table_args__ = (
        UniqueConstraint("bank_org_id", "code", "version", name="uq_finance_products_bank_org_id_code_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(f"kind IN ({PRODUCT_KINDS})", name="kind"),
        CheckConstraint("valid_to >= valid_from", name="validity"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        Index("ix_finance_products_valid_to", "valid_to"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    bank_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date]
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.finance.products.FinanceProduct
    sha256: Mapped[str] = mapped_column(String(64))  # of the document's RFC 8785 canonical JSON
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))


class FinancingRequest(Base):
    """An enterprise's request for finance, sent to one or more banks at once. What the banks saw
    when it was sent (the rating, its colour and grade, the policy consequence kinds) is kept with
    it, so that the finance bureau's figures do not move when a later rating arrives."""

    __tablename__ = "financing_requests"
    __table_args__ = (
        CheckConstraint("amount_yuan > 0", name="amount_positive"),
        CheckConstraint("term_months BETWEEN 1 AND 600", name="term"),
        CheckConstraint("purpose IN ('credit','bond')", name="purpose"),
        CheckConstraint("scope IN ('grade_only','full')", name="scope"),
        CheckConstraint("status IN ('open','closed')", name="status"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed"),
        Index("ix_financing_requests_enterprise_id_created_at", "enterprise_id", "created_at"),
        Index("ix_financing_requests_year", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    year: Mapped[int] = mapped_column(SmallInteger)  # the year it was sent, Beijing time (the stats' year)
    amount_yuan: Mapped[Decimal]
    purpose: Mapped[str] = mapped_column(String(16))  # the consents' purpose: credit | bond
    use_of_proceeds: Mapped[str] = mapped_column(Text)
    term_months: Mapped[int] = mapped_column(SmallInteger)
    scope: Mapped[str] = mapped_column(String(16))  # of the consents it grants
    expires_at: Mapped[dt.datetime]  # the consents' end unless it closes earlier
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_at: Mapped[dt.datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(String(32))  # answered | withdrawn | expired
    rating_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ratings.id"))  # latest at sending
    rating_year: Mapped[int | None] = mapped_column(SmallInteger)
    colour: Mapped[str] = mapped_column(String(16))  # `unrated` without a rating
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    consequence_kinds: Mapped[list[str]] = mapped_column(JSONB)  # of the rating year's policy sheet
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))


class FinancingRecipient(Base):
    """One bank a request went to: the consent the request granted it, the product it applied
    for (optional), and the bank's current answer. `approved` or `declined` is final."""

    __tablename__ = "financing_recipients"
    __table_args__ = (
        UniqueConstraint("request_id", "bank_org_id", name="uq_financing_recipients_request_id_bank_org_id"),
        CheckConstraint(f"status IN ({ANSWER_STATUSES})", name="status"),
        CheckConstraint(
            "(status = 'approved') = (approved_amount_yuan IS NOT NULL AND rate_percent IS NOT NULL)",
            name="approved_terms",
        ),
        CheckConstraint("status <> 'declined' OR reason IS NOT NULL", name="declined_reason"),
        Index("ix_financing_recipients_bank_org_id_created_at", "bank_org_id", "created_at"),
        Index("ix_financing_recipients_enterprise_id", "enterprise_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("financing_requests.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    bank_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("finance_products.id"))
    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consents.id"))
    status: Mapped[str] = mapped_column(String(16), default="received")
    approved_amount_yuan: Mapped[Decimal | None]
    rate_percent: Mapped[Decimal | None]  # annual, e.g. 3.15
    margin_bp: Mapped[int | None] = mapped_column(Integer)  # over the bank's reference rate (LPR), bp
    reason: Mapped[str | None] = mapped_column(String(1000))
    answered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class FinancingAnswer(Base):
    """Every answer a bank gave, in order (append-only): the enterprise sees each one."""

    __tablename__ = "financing_answers"
    __table_args__ = (
        CheckConstraint(f"status IN ({ANSWER_STATUSES})", name="status"),
        Index("ix_financing_answers_recipient_id_id", "recipient_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    recipient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("financing_recipients.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    status: Mapped[str] = mapped_column(String(16))
    approved_amount_yuan: Mapped[Decimal | None]
    rate_percent: Mapped[Decimal | None]
    margin_bp: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(1000))
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    client_id: Mapped[str] = mapped_column(String(64))
