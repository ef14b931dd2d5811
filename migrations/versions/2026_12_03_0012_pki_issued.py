"""Long-term PDF signatures: what the service CA issued (document signers, the timestamping
authority, CRLs) in an insert-only table, so a signer is renewed by a new row and old signers are
kept. The signer that lived in the one-row ``pki`` table moves there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
from cryptography import x509

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "pki_issued",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("key_sealed", sa.LargeBinary()),
        sa.Column("not_before", TS, nullable=False),
        sa.Column("not_after", TS, nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('signer','tsa','crl')", name="ck_pki_issued_kind"),
        sa.CheckConstraint("(kind = 'crl') = (key_sealed IS NULL)", name="ck_pki_issued_key_unless_crl"),
    )
    op.create_index("ix_pki_issued_kind_not_after", "pki_issued", ["kind", "not_after"])
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT signer_cert_pem, signer_key_sealed, created_at FROM pki")):
        cert = x509.load_pem_x509_certificate(row.signer_cert_pem.encode("ascii"))
        conn.execute(
            sa.text(
                "INSERT INTO pki_issued (id, kind, pem, key_sealed, not_before, not_after, created_at) "
                "VALUES (:id, 'signer', :pem, :key, :nb, :na, :at)"
            ),
            {
                "id": uuid.uuid4(),
                "pem": row.signer_cert_pem,
                "key": row.signer_key_sealed,
                "nb": cert.not_valid_before_utc,
                "na": cert.not_valid_after_utc,
                "at": row.created_at,
            },
        )
    op.drop_column("pki", "signer_cert_pem")
    op.drop_column("pki", "signer_key_sealed")
    op.execute(f"GRANT SELECT, INSERT ON pki_issued TO {APP}")


def downgrade() -> None:
    op.add_column("pki", sa.Column("signer_cert_pem", sa.Text()))
    op.add_column("pki", sa.Column("signer_key_sealed", sa.LargeBinary()))
    op.execute(
        "UPDATE pki SET (signer_cert_pem, signer_key_sealed) = (SELECT pem, key_sealed FROM pki_issued "
        "WHERE kind = 'signer' ORDER BY not_after DESC LIMIT 1)"
    )
    op.alter_column("pki", "signer_cert_pem", nullable=False)
    op.alter_column("pki", "signer_key_sealed", nullable=False)
    op.drop_index("ix_pki_issued_kind_not_after", table_name="pki_issued")
    op.drop_table("pki_issued")
