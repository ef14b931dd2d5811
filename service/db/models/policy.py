"""政策集成: policy sets (versioned, never edited), retrofit plans, and each enterprise-year's
current policy sheet with its consequences (derived: replaced whenever it is recomputed)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["PolicyConsequenceRow", "PolicySetRecord", "PolicySheet", "RetrofitPlan"]


class PolicySetRecord(Base):
    __tablename__ = "policy_sets"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(unique=True)  # uq_policy_sets_version
    label: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)  # a domain.policy.model.PolicySet
    sha256: Mapped[str] = mapped_column(String(64))  # of the set's RFC 8785 canonical JSON
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))


class RetrofitPlan(Base):
    """An enterprise's plan to bring a product below 基准 up to a target; a regulator accepts or
    returns it once (a returned plan stays; the enterprise files a new one)."""

    __tablename__ = "retrofit_plans"
    __table_args__ = (
        CheckConstraint("status IN ('submitted','accepted','returned')", name="status"),
        CheckConstraint("document_sha256 ~ '^[0-9a-f]{64}$'", name="document_sha256_hex"),
        CheckConstraint("(status = 'submitted') = (decided_at IS NULL)", name="decided"),
        Index("ix_retrofit_plans_enterprise_id_product", "enterprise_id", "product"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"))
    year: Mapped[int] = mapped_column(SmallInteger)  # the filing year whose account showed it below 基准
    product: Mapped[str] = mapped_column(String(64))
    target_unit_energy_use: Mapped[Decimal]
    unit: Mapped[str] = mapped_column(String(40))
    measures: Mapped[str] = mapped_column(Text)
    investment_wan: Mapped[Decimal]
    completion_date: Mapped[dt.date]
    document_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # submitted | accepted | returned
    decision_reason: Mapped[str | None] = mapped_column(String(1000))
    decided_at: Mapped[dt.datetime | None]
    decided_by_client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))


class PolicySheet(Base):
    """The consequences in force for an enterprise-year under the latest policy set, as last computed."""

    __tablename__ = "policy_sheets"

    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.enterprise_id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    policy_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("policy_sets.id"))
    rating_id: Mapped[uuid.UUID | None]
    consequences: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    sha256: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PolicyConsequenceRow(Base):
    """One consequence of a sheet, as a row the regulator lists filter and page."""

    __tablename__ = "policy_consequences"
    __table_args__ = (
        ForeignKeyConstraint(
            ["enterprise_id", "year"],
            ["policy_sheets.enterprise_id", "policy_sheets.year"],
            name="fk_policy_consequences_enterprise_id_policy_sheets",
            ondelete="CASCADE",
        ),
        Index("ix_policy_consequences_year_kind", "year", "kind", "id"),
        Index("ix_policy_consequences_enterprise_id_year", "enterprise_id", "year"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    enterprise_id: Mapped[uuid.UUID]
    year: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(40))
    rule_id: Mapped[str] = mapped_column(String(80))
    product: Mapped[str | None] = mapped_column(String(64))
    amount_yuan: Mapped[Decimal | None]
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
