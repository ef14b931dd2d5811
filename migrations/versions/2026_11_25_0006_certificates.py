"""Certificates: the service's PDF-signing PKI, the certificate outbox and the signed PDFs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "pki",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("ca_cert_pem", sa.Text(), nullable=False),
        sa.Column("signer_cert_pem", sa.Text(), nullable=False),
        sa.Column("ca_key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("signer_key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.CheckConstraint("id = 1", name="ck_pki_single"),
    )
    op.create_table(
        "certificate_jobs",
        sa.Column("rating_id", sa.Uuid(), sa.ForeignKey("ratings.id"), primary_key=True),
        sa.Column("created_at", TS, server_default=NOW, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(500)),
        sa.Column("done_at", TS),
    )
    op.create_index(
        "ix_certificate_jobs_pending", "certificate_jobs", ["created_at"], postgresql_where=sa.text("done_at IS NULL")
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("rating_id", sa.Uuid(), sa.ForeignKey("ratings.id"), nullable=False),
        sa.Column("certificate_no", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", TS, server_default=NOW, nullable=False),
        sa.UniqueConstraint("rating_id", name="uq_certificates_rating_id"),
        sa.UniqueConstraint("certificate_no", name="uq_certificates_certificate_no"),
    )
    op.execute(f"GRANT SELECT, INSERT ON pki, certificates, certificate_jobs TO {APP}")
    op.execute(f"GRANT UPDATE (attempts, last_error, done_at) ON certificate_jobs TO {APP}")


def downgrade() -> None:
    for table in ("certificates", "certificate_jobs", "pki"):
        op.drop_table(table)
