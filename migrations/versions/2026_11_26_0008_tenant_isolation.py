"""Row-level security on the tenant tables: an enterprise's transaction sees only its rows.

The service sets `carbon.enterprise_id` with `set_config(..., true)` (SET LOCAL) as the
first statement of every transaction it runs for an enterprise; the setting ends with
the transaction, so it cannot leak to the next user of a pooled connection. Outside
such a transaction (regulators, banks, jobs) the setting is empty and the policies let
the application's own checks decide. The owner role is not subject to the policies
(migrations, demo loading); the application role is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "enterprises",
    "filings",
    "verifier_engagements",
    "filing_verifications",
    "consents",
    "access_log",
    "ratings",
    "objections",
)
POLICY = "tenant_isolation"


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION carbon_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS
        $$ SELECT NULLIF(current_setting('carbon.enterprise_id', true), '')::uuid $$
        """
    )
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY {POLICY} ON {table} "
            "USING (carbon_tenant() IS NULL OR enterprise_id = carbon_tenant()) "
            "WITH CHECK (carbon_tenant() IS NULL OR enterprise_id = carbon_tenant())"
        )


def downgrade() -> None:
    for table in TENANT_TABLES:
        op.execute(f"DROP POLICY {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION carbon_tenant()")
