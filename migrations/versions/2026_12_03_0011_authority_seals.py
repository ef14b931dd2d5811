"""The rating authority's seal (印章), printed on the certificates it issues.

Each upload is a new row (never overwritten); a certificate prints the newest one of the
issuing organisation at the time it is rendered.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "authority_seals",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("uploaded_by_client_id", sa.String(64)),
        sa.CheckConstraint("octet_length(png) BETWEEN 67 AND 524288", name="ck_authority_seals_png_size"),
        sa.CheckConstraint(
            "width BETWEEN 32 AND 2048 AND height BETWEEN 32 AND 2048", name="ck_authority_seals_dimensions"
        ),
    )
    op.create_index("ix_authority_seals_org_id_uploaded_at", "authority_seals", ["org_id", "uploaded_at"])
    op.execute(f"GRANT SELECT, INSERT ON authority_seals TO {APP}")


def downgrade() -> None:
    op.drop_index("ix_authority_seals_org_id_uploaded_at", table_name="authority_seals")
    op.drop_table("authority_seals")
