"""Who did what: every write records the acting client and organisation. Append-only."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Identity, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["AuditEvent"]


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    client_id: Mapped[str | None] = mapped_column(String(64))
    org_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, object]] = mapped_column(JSONB, default=dict)
