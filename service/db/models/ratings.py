"""Rating rounds (jobs), signed ratings and objections."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["Objection", "RatingRecord", "RatingRound"]


class RatingRound(Base):
    __tablename__ = "rating_rounds"
    __table_args__ = (
        Index("uq_rating_rounds_one_running", "year", unique=True, postgresql_where=text("status = 'running'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(SmallInteger)
    methodology_version: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))  # running | completed | failed
    requested_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    requested_by_client_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(server_default="0")
    progress_done: Mapped[int] = mapped_column(server_default="0")
    progress_total: Mapped[int | None]
    rated: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(1000))


class RatingRecord(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_enterprise_id_year", "enterprise_id", "year"),
        Index(
            "uq_ratings_one_active", "enterprise_id", "year", unique=True, postgresql_where=text("status = 'active'")
        ),
        Index(
            "uq_ratings_superseded_once",
            "supersedes_rating_id",
            unique=True,
            postgresql_where=text("supersedes_rating_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rating_rounds.id"), index=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    filing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("filings.id"))
    filing_version: Mapped[int]
    factor_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("factor_sets.id"))
    edition_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("benchmark_editions.id"))
    methodology_version: Mapped[str] = mapped_column(String(8))
    colour: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the signed claims, decimals as strings
    token: Mapped[str] = mapped_column(Text)  # the full rating, compact JWS
    grade_token: Mapped[str] = mapped_column(Text)  # the grade-only summary, compact JWS
    kid: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # active | superseded | revoked (expired is read)
    issued_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    superseded_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(1000))
    revoked_by_client_id: Mapped[str | None] = mapped_column(String(64))
    # A targeted re-rating: the one rating of its round it supersedes, why, and the objection upheld.
    supersedes_rating_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("ratings.id"))
    rerating_reason: Mapped[str | None] = mapped_column(String(1000))
    objection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("objections.id"))
    # The policy set in force when issued and the consequences it gave (政策集成): pinned, never
    # recomputed; the enterprise's current sheet may differ under a later set or account.
    policy_set_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("policy_sets.id"))
    policy_consequences: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)


class Objection(Base):
    __tablename__ = "objections"
    __table_args__ = (
        Index("uq_objections_one_open", "rating_id", unique=True, postgresql_where=text("status = 'open'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id"))
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"), index=True)
    statement: Mapped[str] = mapped_column(String(4000))
    status: Mapped[str] = mapped_column(String(16))  # open | upheld | dismissed
    reply: Mapped[str | None] = mapped_column(String(4000))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None]
    decided_by_client_id: Mapped[str | None] = mapped_column(String(64))
