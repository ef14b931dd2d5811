"""Filing imports: each bulk upload that created filings, with its file's SHA-256.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APP = "carbon_app"


def upgrade() -> None:
    op.create_table(
        "filing_imports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("filing_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_filing_imports_file_sha256", "filing_imports", ["file_sha256"])
    op.execute(f"GRANT SELECT, INSERT ON filing_imports TO {APP}")


def downgrade() -> None:
    op.drop_table("filing_imports")
