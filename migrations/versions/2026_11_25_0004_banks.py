"""Banks: consents and the access log.

The access log is append-only for everyone: the application role may only INSERT and
SELECT it, and a trigger refuses UPDATE and DELETE even to the owner (TRUNCATE too).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")

APPEND_ONLY = """
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$
"""


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("bank_org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("updated_at", TS, server_default=NOW, nullable=False),
        sa.Column("withdrawn_at", TS),
        sa.Column("withdrawn_by_client_id", sa.String(64)),
        sa.CheckConstraint("purpose IN ('credit','bond','monitoring')", name="ck_consents_purpose"),
        sa.CheckConstraint("scope IN ('grade_only','full')", name="ck_consents_scope"),
    )
    op.create_index("ix_consents_enterprise_id_bank_org_id", "consents", ["enterprise_id", "bank_org_id"])
    op.create_index("ix_consents_bank_org_id_updated_at", "consents", ["bank_org_id", "updated_at"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", TS, server_default=NOW, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("org_kind", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("consent_id", sa.Uuid(), sa.ForeignKey("consents.id")),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("what", sa.String(32), nullable=False),
        sa.Column("resource_id", sa.String(64)),
        sa.Column("scope", sa.String(16)),
    )
    op.create_index("ix_access_log_enterprise_id_id", "access_log", ["enterprise_id", "id"])
    op.execute(APPEND_ONLY)
    op.execute(
        "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
        "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()"
    )
    op.execute(f"GRANT SELECT, INSERT ON consents TO {APP}")
    op.execute(f"GRANT UPDATE (updated_at, withdrawn_at, withdrawn_by_client_id) ON consents TO {APP}")
    op.execute(f"GRANT SELECT, INSERT ON access_log TO {APP}")


def downgrade() -> None:
    op.execute("DROP TRIGGER access_log_no_truncate ON access_log")
    op.execute("DROP TRIGGER access_log_append_only ON access_log")
    op.execute("DROP FUNCTION access_log_append_only()")
    op.drop_table("access_log")
    op.drop_table("consents")
