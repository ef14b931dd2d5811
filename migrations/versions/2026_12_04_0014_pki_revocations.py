"""Revocation of the PDF-signing PKI's signer and TSA certificates: what the operator revoked,
listed in every CRL the CA issues from then on (published at ``GET /v1/pki/ca.crl``). Insert-only
for the application role, like ``pki_issued``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pki_revocations",
        sa.Column("serial", sa.String(48), primary_key=True),
        sa.Column(
            "issued_id",
            sa.Uuid(),
            sa.ForeignKey("pki_issued.id", name="fk_pki_revocations_issued_id_pki_issued"),
            nullable=False,
        ),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("revoked_at", TS, nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "reason IN ('keyCompromise','superseded','cessationOfOperation','affiliationChanged')",
            name="ck_pki_revocations_reason",
        ),
    )
    op.execute(f"GRANT SELECT, INSERT ON pki_revocations TO {APP}")


def downgrade() -> None:
    op.drop_table("pki_revocations")
