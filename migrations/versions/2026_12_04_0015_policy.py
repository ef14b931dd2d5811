"""政策集成: policy sets (versioned rules with their legal sources, never edited), retrofit plans
filed by enterprises below 基准 and decided by regulators, each enterprise-year's policy sheet
(the consequences in force, kept current: a derived table, replaced on each refresh), and the
policy-set version and consequences pinned on every rating at issue.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "policy_sets",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.UniqueConstraint("version", name="uq_policy_sets_version"),
        sa.CheckConstraint("version >= 1", name="ck_policy_sets_version_positive"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_policy_sets_sha256_hex"),
    )
    op.execute(f"GRANT SELECT, INSERT ON policy_sets TO {APP}")

    op.create_table(
        "retrofit_plans",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("product", sa.String(64), nullable=False),
        sa.Column("target_unit_energy_use", sa.Numeric(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("investment_wan", sa.Numeric(), nullable=False),
        sa.Column("completion_date", sa.Date(), nullable=False),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decision_reason", sa.String(1000)),
        sa.Column("decided_at", TS),
        sa.Column("decided_by_client_id", sa.String(64)),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.enterprise_id"], name="fk_retrofit_plans_enterprise_id_enterprises"
        ),
        sa.CheckConstraint("status IN ('submitted','accepted','returned')", name="ck_retrofit_plans_status"),
        sa.CheckConstraint("document_sha256 ~ '^[0-9a-f]{64}$'", name="ck_retrofit_plans_document_sha256_hex"),
        sa.CheckConstraint("(status = 'submitted') = (decided_at IS NULL)", name="ck_retrofit_plans_decided"),
    )
    op.create_index("ix_retrofit_plans_enterprise_id_product", "retrofit_plans", ["enterprise_id", "product"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON retrofit_plans TO {APP}")

    op.create_table(
        "policy_sheets",
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("policy_set_id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid()),
        sa.Column("consequences", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("computed_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name="pk_policy_sheets"),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.enterprise_id"], name="fk_policy_sheets_enterprise_id_enterprises"
        ),
        sa.ForeignKeyConstraint(
            ["policy_set_id"], ["policy_sets.id"], name="fk_policy_sheets_policy_set_id_policy_sets"
        ),
    )
    op.create_table(
        "policy_consequences",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rule_id", sa.String(80), nullable=False),
        sa.Column("product", sa.String(64)),
        sa.Column("amount_yuan", sa.Numeric()),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id", "year"],
            ["policy_sheets.enterprise_id", "policy_sheets.year"],
            name="fk_policy_consequences_enterprise_id_policy_sheets",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_policy_consequences_year_kind", "policy_consequences", ["year", "kind", "id"])
    op.create_index("ix_policy_consequences_enterprise_id_year", "policy_consequences", ["enterprise_id", "year"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON policy_sheets, policy_consequences TO {APP}")

    op.add_column("ratings", sa.Column("policy_set_id", sa.Uuid()))
    op.add_column("ratings", sa.Column("policy_consequences", postgresql.JSONB()))
    op.create_foreign_key("fk_ratings_policy_set_id_policy_sets", "ratings", "policy_sets", ["policy_set_id"], ["id"])


def downgrade() -> None:
    op.drop_constraint("fk_ratings_policy_set_id_policy_sets", "ratings", type_="foreignkey")
    op.drop_column("ratings", "policy_consequences")
    op.drop_column("ratings", "policy_set_id")
    op.drop_table("policy_consequences")
    op.drop_table("policy_sheets")
    op.drop_index("ix_retrofit_plans_enterprise_id_product", table_name="retrofit_plans")
    op.drop_table("retrofit_plans")
    op.drop_table("policy_sets")
