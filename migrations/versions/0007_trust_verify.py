"""Trust: Idempotency-Keys scoped to their round, with their request's fingerprint

Revision ID: 0007_trust_verify
Revises: 0005
Create Date: 2026-12-04 18:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007_trust_verify"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # A key is unique for its delegation *in its round*; the comments' own form_token (the key,
    # before) is no longer what the API replays by.
    op.create_table(
        "api_idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_api_idempotency_keys_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_api_idempotency_keys_consultation_id_consultations"),
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_api_idempotency_keys_delegation_id_delegations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_keys")),
        sa.UniqueConstraint(
            "delegation_id",
            "consultation_id",
            "key",
            name=op.f("uq_api_idempotency_keys_delegation_id_consultation_id_key"),
        ),
    )
    op.create_index(
        op.f("ix_api_idempotency_keys_comment_id"),
        "api_idempotency_keys",
        ["comment_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_api_idempotency_keys_comment_id"), table_name="api_idempotency_keys")
    op.drop_table("api_idempotency_keys")
