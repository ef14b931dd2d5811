"""Versioned reference data: factor sets and benchmark editions, never edited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import SmallInteger, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["BenchmarkEditionRecord", "FactorSetRecord"]


class FactorSetRecord(Base):
    __tablename__ = "factor_sets"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_factor_sets_year_version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    year: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.factors.FactorSet, decimals as strings
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))


class BenchmarkEditionRecord(Base):
    __tablename__ = "benchmark_editions"
    __table_args__ = (
        UniqueConstraint("effective_from", "version", name="uq_benchmark_editions_effective_from_version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    effective_from: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.benchmarks.BenchmarkEdition
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
