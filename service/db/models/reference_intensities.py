"""Reference intensities (official L_industry per class and year): versioned, never edited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import SmallInteger, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["ReferenceIntensitySetRecord"]


class ReferenceIntensitySetRecord(Base):
    __tablename__ = "reference_intensity_sets"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_reference_intensity_sets_year_version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.reference_intensity.ReferenceIntensitySet
    sha256: Mapped[str] = mapped_column(String(64))  # of the set's RFC 8785 canonical JSON
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
