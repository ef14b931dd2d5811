"""Consents (enterprise → bank) and the append-only access log."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["AccessLogEntry", "Consent"]


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_enterprise_id_bank_org_id", "enterprise_id", "bank_org_id"),
        Index("ix_consents_bank_org_id_updated_at", "bank_org_id", "updated_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    bank_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    purpose: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())  # a bank syncs on it
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by_client_id: Mapped[str | None] = mapped_column(String(64))


class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_enterprise_id_id", "enterprise_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    client_id: Mapped[str] = mapped_column(String(64))
    org_id: Mapped[uuid.UUID]
    org_kind: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    consent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consents.id"))
    purpose: Mapped[str] = mapped_column(String(32))  # the consent's purpose, or `supervision`
    what: Mapped[str] = mapped_column(String(32))  # rating | rating_history | certificate | financed_emissions
    resource_id: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str | None] = mapped_column(String(16))
