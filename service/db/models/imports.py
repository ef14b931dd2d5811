"""Bulk filing imports: who uploaded which file (by SHA-256) and the filings it created."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, ForeignKey, String, Uuid, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["FilingImport"]


class FilingImport(Base):
    __tablename__ = "filing_imports"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_bytes: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(8))
    filing_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
