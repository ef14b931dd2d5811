"""Organisations (every caller belongs to one) and the enterprises among them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["Enterprise", "Organisation"]


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
    status_changed_at: Mapped[dt.datetime | None]
    status_changed_by_client_id: Mapped[str | None] = mapped_column(String(64))
    status_reason: Mapped[str | None] = mapped_column(String(500))


class Enterprise(Base):
    """Tenant root: `enterprise_id` is the key every tenant table carries."""

    __tablename__ = "enterprises"

    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # uq_enterprises_uscc
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(6), index=True)
    zone: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str] = mapped_column(String(4))
    sector: Mapped[str] = mapped_column(String(32), index=True)
    registered_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
