"""Finance regulators (金融监管局, the PBoC branch) as their own kind of organisation; targeted
re-ratings: a rating may supersede one rating of its round, with a reason and an objection.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS_BEFORE = "'enterprise','verifier','bank','regulator','rating_authority','admin'"
KINDS = KINDS_BEFORE + ",'finance_regulator'"


def upgrade() -> None:
    op.drop_constraint("ck_organisations_kind", "organisations", type_="check")
    op.create_check_constraint("ck_organisations_kind", "organisations", f"kind IN ({KINDS})")
    op.add_column("ratings", sa.Column("supersedes_rating_id", sa.Uuid(), nullable=True))
    op.add_column("ratings", sa.Column("rerating_reason", sa.String(1000), nullable=True))
    op.add_column("ratings", sa.Column("objection_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        "fk_ratings_supersedes_rating_id_ratings", "ratings", "ratings", ["supersedes_rating_id"], ["id"]
    )
    op.create_foreign_key("fk_ratings_objection_id_objections", "ratings", "objections", ["objection_id"], ["id"])
    op.create_check_constraint(
        "ck_ratings_rerating_has_reason",
        "ratings",
        "(supersedes_rating_id IS NULL) = (rerating_reason IS NULL) AND (objection_id IS NULL OR supersedes_rating_id IS NOT NULL)",
    )
    op.create_index(
        "uq_ratings_superseded_once",
        "ratings",
        ["supersedes_rating_id"],
        unique=True,
        postgresql_where=sa.text("supersedes_rating_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_ratings_superseded_once", table_name="ratings")
    op.drop_constraint("ck_ratings_rerating_has_reason", "ratings", type_="check")
    op.drop_constraint("fk_ratings_objection_id_objections", "ratings", type_="foreignkey")
    op.drop_constraint("fk_ratings_supersedes_rating_id_ratings", "ratings", type_="foreignkey")
    op.drop_column("ratings", "objection_id")
    op.drop_column("ratings", "rerating_reason")
    op.drop_column("ratings", "supersedes_rating_id")
    op.drop_constraint("ck_organisations_kind", "organisations", type_="check")
    op.create_check_constraint("ck_organisations_kind", "organisations", f"kind IN ({KINDS_BEFORE})")
