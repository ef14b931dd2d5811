"""The web console: per-person accounts (Argon2id password hashes) and login sessions (only the
SHA-256 of the cookie's token is stored).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

APP = "carbon_app"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "console_users",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("failed_logins", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by_client_id", sa.String(64)),
        sa.Column("disabled_at", TS),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_console_users_org_id_organisations"),
        sa.UniqueConstraint("username", name="uq_console_users_username"),
    )
    op.create_index("ix_console_users_org_id", "console_users", ["org_id"])
    op.create_table(
        "console_sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(64)),
        sa.Column("user_id", sa.Uuid()),
        sa.Column("created_at", TS, server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_console_sessions_org_id_organisations"),
        sa.ForeignKeyConstraint(
            ["client_id"], ["api_clients.client_id"], name="fk_console_sessions_client_id_api_clients"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["console_users.id"], name="fk_console_sessions_user_id_console_users"),
        sa.CheckConstraint("(client_id IS NULL) <> (user_id IS NULL)", name="one_subject"),
    )
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON console_users, console_sessions TO {APP}")


def downgrade() -> None:
    op.drop_table("console_sessions")
    op.drop_table("console_users")
