"""Reference intensities: an official L_industry per GB/T 4754-2017 class and year, loaded by the
rating authority as versioned, sourced sets (methodology v2's fallback when a round's peers are
too few). Like factor sets, versions are never edited: the application role may only read and
insert, and a new load is the year's next version.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reference_intensity_sets",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.UniqueConstraint("year", "version", name="uq_reference_intensity_sets_year_version"),
        sa.CheckConstraint("version >= 1", name="ck_reference_intensity_sets_version_positive"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="ck_reference_intensity_sets_sha256_hex"),
    )
    op.execute(f"GRANT SELECT, INSERT ON reference_intensity_sets TO {APP}")


def downgrade() -> None:
    op.drop_table("reference_intensity_sets")
