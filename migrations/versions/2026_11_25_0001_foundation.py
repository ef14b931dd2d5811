"""Foundation: organisations, enterprises, API clients, signing keys, idempotency, audit.

Also creates the application role `carbon_app` (no login until `db upgrade` gives it one;
owns nothing, not a superuser) and grants it only what each table allows.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP}') THEN
            CREATE ROLE {APP} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
          END IF;
        END $$
        """
    )
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP}")

    op.create_table(
        "organisations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, server_default=_now(), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("status_changed_at", TS),
        sa.Column("status_changed_by_client_id", sa.String(64)),
        sa.Column("status_reason", sa.String(500)),
        sa.CheckConstraint(
            "kind IN ('enterprise','verifier','bank','regulator','rating_authority','admin')",
            name="ck_organisations_kind",
        ),
        sa.CheckConstraint("status IN ('pending','active','rejected','suspended')", name="ck_organisations_status"),
        sa.CheckConstraint(
            "kind = 'enterprise' OR status IN ('active','suspended')", name="ck_organisations_only_enterprises_pend"
        ),
    )
    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.Uuid(), sa.ForeignKey("organisations.id"), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.UniqueConstraint("uscc", name="uq_enterprises_uscc"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("district", sa.String(6), nullable=False),
        sa.Column("zone", sa.String(32)),
        sa.Column("industry", sa.String(4), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.Column("registered_at", TS, server_default=_now(), nullable=False),
        sa.CheckConstraint("uscc ~ '^[0-9A-HJ-NP-RTUWXY]{18}$'", name="ck_enterprises_uscc_charset"),
        sa.CheckConstraint("district ~ '^3703[0-9]{2}$'", name="ck_enterprises_district_in_zibo"),
        sa.CheckConstraint("industry ~ '^[0-9]{4}$'", name="ck_enterprises_industry_class"),
    )
    op.create_index("ix_enterprises_district", "enterprises", ["district"])
    op.create_index("ix_enterprises_sector", "enterprises", ["sector"])
    op.create_table(
        "api_clients",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.Uuid(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_salt", sa.LargeBinary(), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(), nullable=False),
        sa.Column("secret_version", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, server_default=_now(), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("rotated_at", TS),
        sa.Column("revoked_at", TS),
        sa.CheckConstraint("secret_version >= 1", name="ck_api_clients_secret_version_positive"),
    )
    op.create_index("ix_api_clients_org_id", "api_clients", ["org_id"])
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("alg", sa.String(16), nullable=False),
        sa.Column("public_pem", sa.String(), nullable=False),
        sa.Column("private_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, server_default=_now(), nullable=False),
        sa.Column("retired_at", TS),
        sa.CheckConstraint("purpose IN ('access','rating')", name="ck_signing_keys_purpose"),
    )
    # One current key per purpose, even when several API processes start at once.
    op.create_index(
        "uq_signing_keys_current",
        "signing_keys",
        ["purpose"],
        unique=True,
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(80), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(), nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("response_body", sa.LargeBinary()),
        sa.Column("created_at", TS, server_default=_now(), nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", TS, server_default=_now(), nullable=False),
        sa.Column("client_id", sa.String(64)),
        sa.Column("org_id", sa.Uuid()),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )

    op.execute(f"GRANT SELECT ON alembic_version TO {APP}")
    op.execute(f"GRANT SELECT, INSERT ON organisations, enterprises, api_clients, signing_keys TO {APP}")
    op.execute(
        f"GRANT UPDATE (status, status_changed_at, status_changed_by_client_id, status_reason) "
        f"ON organisations TO {APP}"
    )
    op.execute(
        f"GRANT UPDATE (secret_salt, secret_hash, secret_version, rotated_at, revoked_at) ON api_clients TO {APP}"
    )
    op.execute(f"GRANT UPDATE (retired_at) ON signing_keys TO {APP}")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON idempotency_keys TO {APP}")
    op.execute(f"GRANT UPDATE (status_code, response_body) ON idempotency_keys TO {APP}")
    # The audit trail is append-only for the application.
    op.execute(f"GRANT SELECT, INSERT ON audit_events TO {APP}")


def downgrade() -> None:
    for table in ("audit_events", "idempotency_keys", "signing_keys", "api_clients", "enterprises", "organisations"):
        op.drop_table(table)
    op.execute(f"REVOKE SELECT ON alembic_version FROM {APP}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP}")
