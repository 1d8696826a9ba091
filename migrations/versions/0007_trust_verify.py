"""Trust: Idempotency-Keys scoped to their round; what a comment was submitted as is fixed

Idempotency-Keys get their own table, unique per delegation and round, with their request's
fingerprint. Comments' history (comment_revisions) is append-only since 0002; the comment row
itself now refuses, by trigger, a change of its round, delegation, kind, author or creation
time, and, once submitted, of its submission time, submitter and lateness, as published versions
refuse changes: what `drafting verify` compares with the audit trail cannot be rewritten through
the service's own connection either.

Revision ID: 0007_trust_verify
Revises: 0006_decision_history
Create Date: 2026-12-04 18:45:00

"""

import sqlalchemy as sa
from alembic import op

_FIXED = """
    NEW.consultation_id IS NOT OLD.consultation_id OR NEW.delegation_id IS NOT OLD.delegation_id
    OR NEW.kind IS NOT OLD.kind OR NEW.created_by_id IS NOT OLD.created_by_id
    OR NEW.created_dt IS NOT OLD.created_dt
    OR (OLD.submitted_dt IS NOT NULL AND (NEW.submitted_dt IS NOT OLD.submitted_dt
        OR NEW.submitted_by_id IS NOT OLD.submitted_by_id OR NEW.is_late IS NOT OLD.is_late))
"""
CREATE_TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER comments_submission_fixed BEFORE UPDATE ON comments
        WHEN {_FIXED}
        BEGIN SELECT RAISE(ABORT, 'a comment keeps its round, author and submission'); END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION refuse_comment_submission_change() RETURNS trigger AS $$
        BEGIN
            IF {_FIXED.replace("IS NOT", "IS DISTINCT FROM")} THEN
                RAISE EXCEPTION 'a comment keeps its round, author and submission'
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER comments_submission_fixed BEFORE UPDATE ON comments
        FOR EACH ROW EXECUTE FUNCTION refuse_comment_submission_change()""",
    ],
}
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER IF EXISTS comments_submission_fixed"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS comments_submission_fixed ON comments",
        "DROP FUNCTION IF EXISTS refuse_comment_submission_change()",
    ],
}

# revision identifiers, used by Alembic.
revision = "0007_trust_verify"
down_revision = "0006_decision_history"
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
    for statement in CREATE_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index(op.f("ix_api_idempotency_keys_comment_id"), table_name="api_idempotency_keys")
    op.drop_table("api_idempotency_keys")
