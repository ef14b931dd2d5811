"""Filings (one row per version), verifier engagements and verifications.

A filing's lines are one JSONB document (decimals as strings, so nothing is rounded);
once submitted, a trigger keeps the row from changing (migration 0002).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["Filing", "FilingVerification", "VerifierEngagement"]


class Filing(Base):
    __tablename__ = "filings"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "period", "version", name="uq_filings_enterprise_id_period_version"),
        Index(
            "uq_filings_one_draft", "enterprise_id", "period", unique=True, postgresql_where=text("status = 'draft'")
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    period: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("filings.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.filings.FilingContent
    content_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    submitted_at: Mapped[dt.datetime | None]
    submitted_by_client_id: Mapped[str | None] = mapped_column(String(64))


class VerifierEngagement(Base):
    __tablename__ = "verifier_engagements"

    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"), primary_key=True)
    verifier_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    engaged_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    engaged_by_client_id: Mapped[str | None] = mapped_column(String(64))


class FilingVerification(Base):
    __tablename__ = "filing_verifications"

    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"), primary_key=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    verifier_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    opinion: Mapped[str] = mapped_column(String(4000))
    report_sha256: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    verified_by_client_id: Mapped[str | None] = mapped_column(String(64))
