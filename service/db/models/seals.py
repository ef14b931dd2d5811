"""The rating authority's seal images (migration 0011): one row per upload, the newest prints."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["AuthoritySeal"]


class AuthoritySeal(Base):
    __tablename__ = "authority_seals"
    __table_args__ = (
        CheckConstraint("octet_length(png) BETWEEN 67 AND 524288", name="png_size"),
        CheckConstraint("width BETWEEN 32 AND 2048 AND height BETWEEN 32 AND 2048", name="dimensions"),
        Index("ix_authority_seals_org_id_uploaded_at", "org_id", "uploaded_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    png: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    uploaded_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    uploaded_by_client_id: Mapped[str | None] = mapped_column(String(64))
