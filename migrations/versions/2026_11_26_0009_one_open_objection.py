"""One open objection per rating: a second waits until the first is decided.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "uq_objections_one_open", "objections", ["rating_id"], unique=True, postgresql_where=sa.text("status = 'open'")
    )


def downgrade() -> None:
    op.drop_index("uq_objections_one_open", table_name="objections")
