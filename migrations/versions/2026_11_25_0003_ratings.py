"""Ratings: rounds run as jobs from a table, signed ratings, objections; rating keys
published before they sign.

Signing keys gain `activates_at`: a rotated rating key is published at once (JWKS) and
signs only from then on. One running round per year and one active rating per
enterprise and year are unique indexes, so that no concurrent pair can both commit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def upgrade() -> None:
    op.add_column("signing_keys", sa.Column("activates_at", TS, server_default=NOW, nullable=False))
    op.drop_index("uq_signing_keys_current", table_name="signing_keys")
    op.create_index(
        "uq_signing_keys_current_access",
        "signing_keys",
        ["purpose"],
        unique=True,
        postgresql_where=sa.text("retired_at IS NULL AND purpose = 'access'"),
    )
    op.create_table(
        "rating_rounds",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("methodology_version", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", TS, server_default=NOW, nullable=False),
        sa.Column("requested_by_client_id", sa.String(64)),
        sa.Column("started_at", TS),
        sa.Column("finished_at", TS),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress_done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress_total", sa.Integer()),
        sa.Column("rated", sa.Integer()),
        sa.Column("error", sa.String(1000)),
        sa.CheckConstraint("status IN ('running','completed','failed')", name="ck_rating_rounds_status"),
    )
    # Two rounds for one year cannot run at once.
    op.create_index(
        "uq_rating_rounds_one_running",
        "rating_rounds",
        ["year"],
        unique=True,
        postgresql_where=sa.text("status = 'running'"),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("round_id", sa.Uuid(), sa.ForeignKey("rating_rounds.id"), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("filing_id", sa.Uuid(), sa.ForeignKey("filings.id"), nullable=False),
        sa.Column("filing_version", sa.Integer(), nullable=False),
        sa.Column("factor_set_id", sa.Uuid(), sa.ForeignKey("factor_sets.id"), nullable=False),
        sa.Column("edition_id", sa.Uuid(), sa.ForeignKey("benchmark_editions.id")),
        sa.Column("methodology_version", sa.String(8), nullable=False),
        sa.Column("colour", sa.String(16), nullable=False),
        sa.Column("grade", sa.SmallInteger()),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("grade_token", sa.Text(), nullable=False),
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("superseded_at", TS),
        sa.Column("revoked_at", TS),
        sa.Column("revoked_reason", sa.String(1000)),
        sa.Column("revoked_by_client_id", sa.String(64)),
        sa.CheckConstraint("status IN ('active','superseded','revoked')", name="ck_ratings_status"),
        sa.CheckConstraint("colour IN ('dark_green','light_green','yellow','red','unrated')", name="ck_ratings_colour"),
        sa.CheckConstraint("(status = 'revoked') = (revoked_at IS NOT NULL)", name="ck_ratings_revoked_at"),
    )
    op.create_index("ix_ratings_enterprise_id_year", "ratings", ["enterprise_id", "year"])
    op.create_index("ix_ratings_round_id", "ratings", ["round_id"])
    op.create_index(
        "uq_ratings_one_active",
        "ratings",
        ["enterprise_id", "year"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("rating_id", sa.Uuid(), sa.ForeignKey("ratings.id"), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("statement", sa.String(4000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply", sa.String(4000)),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("decided_at", TS),
        sa.Column("decided_by_client_id", sa.String(64)),
        sa.CheckConstraint("status IN ('open','upheld','dismissed')", name="ck_objections_status"),
        sa.CheckConstraint("(status = 'open') = (decided_at IS NULL)", name="ck_objections_decided_at"),
    )
    op.create_index("ix_objections_enterprise_id", "objections", ["enterprise_id"])

    op.execute(f"GRANT UPDATE (activates_at) ON signing_keys TO {APP}")
    op.execute(f"GRANT SELECT, INSERT ON rating_rounds, ratings, objections TO {APP}")
    op.execute(
        f"GRANT UPDATE (status, started_at, finished_at, attempts, progress_done, progress_total, rated, error) "
        f"ON rating_rounds TO {APP}"
    )
    op.execute(
        f"GRANT UPDATE (status, superseded_at, revoked_at, revoked_reason, revoked_by_client_id) ON ratings TO {APP}"
    )
    op.execute(f"GRANT UPDATE (status, reply, decided_at, decided_by_client_id) ON objections TO {APP}")


def downgrade() -> None:
    for table in ("objections", "ratings", "rating_rounds"):
        op.drop_table(table)
    op.drop_index("uq_signing_keys_current_access", table_name="signing_keys")
    op.execute(f"REVOKE UPDATE (activates_at) ON signing_keys FROM {APP}")
    op.drop_column("signing_keys", "activates_at")
    op.create_index(
        "uq_signing_keys_current",
        "signing_keys",
        ["purpose"],
        unique=True,
        postgresql_where=sa.text("retired_at IS NULL"),
    )
