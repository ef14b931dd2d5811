"""披露: each rated enterprise-year's public disclosure record, written when a round completes
(and when a re-rating replaces the rating), withheld by a regulator with a reason."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["Disclosure"]


class Disclosure(Base):
    __tablename__ = "disclosures"
    __table_args__ = (
        CheckConstraint("(withheld_at IS NULL) = (withheld_reason IS NULL)", name="withheld_reason"),
        Index("ix_disclosures_year_published_at", "year", "published_at"),
        Index("ix_disclosures_published_at", "published_at"),
    )

    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id"))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the public fields, and nothing else
    published_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())  # last (re)publication
    withheld_at: Mapped[dt.datetime | None]
    withheld_reason: Mapped[str | None] = mapped_column(String(1000))
    withheld_by_client_id: Mapped[str | None] = mapped_column(String(64))
