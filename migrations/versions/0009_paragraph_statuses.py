"""paragraph statuses: pending, agreed ad referendum, agreed, per version and paragraph

Revision ID: 0009_paragraph_statuses
Revises: 0008_accounts
Create Date: 2026-12-05 04:30:00

A status is a record about a version, not part of its frozen text, so it lives in its own table
and may be set on a published version.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_paragraph_statuses"
down_revision = "0008_accounts"
branch_labels = None
depends_on = None

STATUS = sa.Enum(
    "pending", "ad_referendum", "agreed", name="agreementstatus", native_enum=False, length=16
)


def upgrade():
    op.create_table(
        "paragraph_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_uid", sa.String(length=32), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("carried_from_version_id", sa.Integer(), nullable=True),
        sa.Column("reset_from", STATUS, nullable=True),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_paragraph_statuses_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_version_id"], ["versions.id"],
            name=op.f("fk_paragraph_statuses_carried_from_version_id_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_paragraph_statuses_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paragraph_statuses")),
        sa.UniqueConstraint(
            "version_id", "paragraph_uid", name=op.f("uq_paragraph_statuses_version_id_paragraph_uid")
        ),
    )


def downgrade():
    op.drop_table("paragraph_statuses")
