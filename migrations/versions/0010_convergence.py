"""amendment stances: a delegation's support for, or objection to, another's amendment

Revision ID: 0010_convergence
Revises: 0009_paragraph_statuses
Create Date: 2026-12-05 04:40:00

One row per amendment and delegation, changed in place and deleted when withdrawn; the audit
trail keeps every change. Distinct from co-sponsoring (comment_supports).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_convergence"
down_revision = "0009_paragraph_statuses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "amendment_stances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("support", "objection", name="stancekind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("stated_by_id", sa.Integer(), nullable=False),
        sa.Column("stated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_amendment_stances_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"], ["delegations.id"],
            name=op.f("fk_amendment_stances_delegation_id_delegations"),
        ),
        sa.ForeignKeyConstraint(
            ["stated_by_id"], ["users.id"], name=op.f("fk_amendment_stances_stated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_stances")),
        sa.UniqueConstraint(
            "comment_id", "delegation_id",
            name=op.f("uq_amendment_stances_comment_id_delegation_id"),
        ),
    )


def downgrade():
    op.drop_table("amendment_stances")
