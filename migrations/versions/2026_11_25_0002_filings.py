"""Reference data (factor sets, benchmark editions), filings, verifiers and verifications.

Filed data is never overwritten: a trigger refuses any change to a filing that is no
longer a draft (its content, period, version, what it supersedes) and any status move
other than draft → submitted → verified | rejected; deletes are refused outright. The
application role has no DELETE anywhere here and INSERT/SELECT only on the append-only
tables (reference versions, engagements, verifications).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")

FROZEN_FILINGS = """
CREATE FUNCTION filings_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'filings are never deleted (filing %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'draft' AND (
       NEW.content IS DISTINCT FROM OLD.content OR NEW.period IS DISTINCT FROM OLD.period
    OR NEW.version IS DISTINCT FROM OLD.version OR NEW.enterprise_id IS DISTINCT FROM OLD.enterprise_id
    OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
    OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at OR NEW.updated_at IS DISTINCT FROM OLD.updated_at
    OR NEW.submitted_by_client_id IS DISTINCT FROM OLD.submitted_by_client_id
    OR NEW.created_at IS DISTINCT FROM OLD.created_at
    OR NEW.created_by_client_id IS DISTINCT FROM OLD.created_by_client_id) THEN
    RAISE EXCEPTION 'filing % is %: submitted data is never changed', OLD.id, OLD.status
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'draft' AND NEW.status = 'submitted')
    OR (OLD.status = 'submitted' AND NEW.status IN ('verified', 'rejected'))) THEN
    RAISE EXCEPTION 'filing % cannot move from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "factor_sets",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.UniqueConstraint("year", "version", name="uq_factor_sets_year_version"),
        sa.CheckConstraint("version >= 1", name="ck_factor_sets_version_positive"),
    )
    op.create_table(
        "benchmark_editions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("effective_from", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.UniqueConstraint("effective_from", "version", name="uq_benchmark_editions_effective_from_version"),
        sa.CheckConstraint("version >= 1", name="ck_benchmark_editions_version_positive"),
    )
    op.create_table(
        "filings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("period", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("supersedes_id", sa.Uuid(), sa.ForeignKey("filings.id")),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.Column("submitted_at", TS),
        sa.Column("submitted_by_client_id", sa.String(64)),
        sa.UniqueConstraint("enterprise_id", "period", "version", name="uq_filings_enterprise_id_period_version"),
        sa.CheckConstraint("status IN ('draft','submitted','verified','rejected')", name="ck_filings_status"),
        sa.CheckConstraint("period BETWEEN 2000 AND 2100", name="ck_filings_period_range"),
        sa.CheckConstraint("version >= 1", name="ck_filings_version_positive"),
        sa.CheckConstraint("(version = 1) = (supersedes_id IS NULL)", name="ck_filings_corrections_supersede"),
        sa.CheckConstraint("(status = 'draft') = (submitted_at IS NULL)", name="ck_filings_submitted_at"),
    )
    # At most one draft per enterprise and period, even under concurrent creates.
    op.create_index(
        "uq_filings_one_draft",
        "filings",
        ["enterprise_id", "period"],
        unique=True,
        postgresql_where=sa.text("status = 'draft'"),
    )
    op.execute(FROZEN_FILINGS)
    op.execute(
        "CREATE TRIGGER filings_frozen BEFORE UPDATE OR DELETE ON filings "
        "FOR EACH ROW EXECUTE FUNCTION filings_frozen()"
    )
    op.create_table(
        "verifier_engagements",
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), primary_key=True),
        sa.Column("verifier_org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), primary_key=True),
        sa.Column("engaged_at", TS, server_default=NOW, nullable=False),
        sa.Column("engaged_by_client_id", sa.String(64)),
    )
    op.create_index("ix_verifier_engagements_verifier_org_id", "verifier_engagements", ["verifier_org_id"])
    op.create_table(
        "filing_verifications",
        sa.Column("filing_id", sa.Uuid(), sa.ForeignKey("filings.id"), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("verifier_org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("opinion", sa.String(4000), nullable=False),
        sa.Column("report_sha256", sa.String(64), nullable=False),
        sa.Column("verified_at", TS, server_default=NOW, nullable=False),
        sa.Column("verified_by_client_id", sa.String(64)),
        sa.CheckConstraint("outcome IN ('verified','rejected')", name="ck_filing_verifications_outcome"),
        sa.CheckConstraint("report_sha256 ~ '^[0-9a-f]{64}$'", name="ck_filing_verifications_report_sha256_hex"),
    )

    op.execute(f"GRANT SELECT, INSERT ON factor_sets, benchmark_editions TO {APP}")
    op.execute(f"GRANT SELECT, INSERT ON filings TO {APP}")
    op.execute(
        f"GRANT UPDATE (content, content_sha256, updated_at, status, submitted_at, submitted_by_client_id) "
        f"ON filings TO {APP}"
    )
    op.execute(f"GRANT SELECT, INSERT ON verifier_engagements, filing_verifications TO {APP}")


def downgrade() -> None:
    for table in ("filing_verifications", "verifier_engagements"):
        op.drop_table(table)
    op.execute("DROP TRIGGER filings_frozen ON filings")
    op.execute("DROP FUNCTION filings_frozen()")
    for table in ("filings", "benchmark_editions", "factor_sets"):
        op.drop_table(table)
