"""融资服务 and 披露: banks' finance products (versioned, never edited), financing requests sent to
one or more banks (each bank's current answer and every answer given), and each rated
enterprise-year's public disclosure record (withheld by a regulator with a reason).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)
PRODUCT_KINDS = "'green_loan','transition_loan','sustainability_linked_loan','green_bond_underwriting'"
ANSWER_STATUSES = "'received','under_review','approved','declined'"


def _fk(table: str, column: str, target: str, key: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{key}"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "finance_products",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("bank_org_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        _fk("finance_products", "bank_org_id", "organisations"),
        sa.UniqueConstraint("bank_org_id", "code", "version", name="uq_finance_products_bank_org_id_code_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint(f"kind IN ({PRODUCT_KINDS})", name="kind"),
        sa.CheckConstraint("valid_to >= valid_from", name="validity"),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
    )
    op.create_index("ix_finance_products_valid_to", "finance_products", ["valid_to"])
    op.execute(f"GRANT SELECT, INSERT ON finance_products TO {APP}")

    op.create_table(
        "financing_requests",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(38, 12), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("use_of_proceeds", sa.Text(), nullable=False),
        sa.Column("term_months", sa.SmallInteger(), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("closed_at", TS),
        sa.Column("closed_reason", sa.String(32)),
        sa.Column("rating_id", sa.Uuid()),
        sa.Column("rating_year", sa.SmallInteger()),
        sa.Column("colour", sa.String(16), nullable=False),
        sa.Column("grade", sa.SmallInteger()),
        sa.Column("consequence_kinds", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        _fk("financing_requests", "enterprise_id", "enterprises", "enterprise_id"),
        _fk("financing_requests", "rating_id", "ratings"),
        sa.CheckConstraint("amount_yuan > 0", name="amount_positive"),
        sa.CheckConstraint("term_months BETWEEN 1 AND 600", name="term"),
        sa.CheckConstraint("purpose IN ('credit','bond')", name="purpose"),
        sa.CheckConstraint("scope IN ('grade_only','full')", name="scope"),
        sa.CheckConstraint("status IN ('open','closed')", name="status"),
        sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed"),
    )
    op.create_index(
        "ix_financing_requests_enterprise_id_created_at", "financing_requests", ["enterprise_id", "created_at"]
    )
    op.create_index("ix_financing_requests_year", "financing_requests", ["year"])

    op.create_table(
        "financing_recipients",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("bank_org_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid()),
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approved_amount_yuan", sa.Numeric(38, 12)),
        sa.Column("rate_percent", sa.Numeric(38, 12)),
        sa.Column("margin_bp", sa.Integer()),
        sa.Column("reason", sa.String(1000)),
        sa.Column("answered_at", TS),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        _fk("financing_recipients", "request_id", "financing_requests"),
        _fk("financing_recipients", "enterprise_id", "enterprises", "enterprise_id"),
        _fk("financing_recipients", "bank_org_id", "organisations"),
        _fk("financing_recipients", "product_id", "finance_products"),
        _fk("financing_recipients", "consent_id", "consents"),
        sa.UniqueConstraint("request_id", "bank_org_id", name="uq_financing_recipients_request_id_bank_org_id"),
        sa.CheckConstraint(f"status IN ({ANSWER_STATUSES})", name="status"),
        sa.CheckConstraint(
            "(status = 'approved') = (approved_amount_yuan IS NOT NULL AND rate_percent IS NOT NULL)",
            name="approved_terms",
        ),
        sa.CheckConstraint(
            "status <> 'declined' OR reason IS NOT NULL", name="declined_reason"
        ),
    )
    op.create_index(
        "ix_financing_recipients_bank_org_id_created_at", "financing_recipients", ["bank_org_id", "created_at"]
    )
    op.create_index("ix_financing_recipients_enterprise_id", "financing_recipients", ["enterprise_id"])

    op.create_table(
        "financing_answers",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approved_amount_yuan", sa.Numeric(38, 12)),
        sa.Column("rate_percent", sa.Numeric(38, 12)),
        sa.Column("margin_bp", sa.Integer()),
        sa.Column("reason", sa.String(1000)),
        sa.Column("at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        _fk("financing_answers", "recipient_id", "financing_recipients"),
        _fk("financing_answers", "enterprise_id", "enterprises", "enterprise_id"),
        sa.CheckConstraint(f"status IN ({ANSWER_STATUSES})", name="status"),
    )
    op.create_index("ix_financing_answers_recipient_id_id", "financing_answers", ["recipient_id", "id"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON financing_requests, financing_recipients TO {APP}")
    op.execute(f"GRANT SELECT, INSERT ON financing_answers TO {APP}")

    op.create_table(
        "disclosures",
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("published_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("withheld_at", TS),
        sa.Column("withheld_reason", sa.String(1000)),
        sa.Column("withheld_by_client_id", sa.String(64)),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name="pk_disclosures"),
        _fk("disclosures", "enterprise_id", "enterprises", "enterprise_id"),
        _fk("disclosures", "rating_id", "ratings"),
        sa.CheckConstraint("(withheld_at IS NULL) = (withheld_reason IS NULL)", name="withheld_reason"),
    )
    op.create_index("ix_disclosures_year_published_at", "disclosures", ["year", "published_at"])
    op.create_index("ix_disclosures_published_at", "disclosures", ["published_at"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON disclosures TO {APP}")


def downgrade() -> None:
    op.drop_table("disclosures")
    op.drop_table("financing_answers")
    op.drop_table("financing_recipients")
    op.drop_table("financing_requests")
    op.drop_table("finance_products")
