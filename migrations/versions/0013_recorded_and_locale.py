"""comments recorded by the secretariat on a delegation's behalf; each person's interface language

Revision ID: 0013_recorded_and_locale
Revises: 0012_meeting
Create Date: 2026-12-05 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_recorded_and_locale"
down_revision = "0012_meeting"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy), so the triggers on comments stay; the foreign key only
    # where ALTER TABLE can add one (PostgreSQL, the production path), as in 0003.
    op.add_column("comments", sa.Column("recorded_by_id", sa.Integer(), nullable=True))
    op.add_column(
        "comments", sa.Column("recorded_source", sa.Text(), server_default="", nullable=False)
    )
    op.add_column("comments", sa.Column("received_dt", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key(
            "fk_comments_recorded_by_id_users", "comments", "users", ["recorded_by_id"], ["id"]
        )
    op.add_column("users", sa.Column("locale", sa.String(16), server_default="", nullable=False))


def downgrade():
    op.drop_column("users", "locale")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_comments_recorded_by_id_users", "comments", type_="foreignkey")
    op.drop_column("comments", "received_dt")
    op.drop_column("comments", "recorded_source")
    op.drop_column("comments", "recorded_by_id")
