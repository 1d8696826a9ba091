"""decision history: every change of a decision kept, append-only; a decision's revision

Revision ID: 0006_decision_history
Revises: 0005
Create Date: 2026-12-04 18:45:00

A decision replaced by "Apply" or in the compilation stays on record with its justification.
Each existing decision becomes revision 1 of its history. The history is append-only, by
trigger, as a comment's is (see 0002).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_decision_history"
down_revision = "0005"
branch_labels = None
depends_on = None

CREATE_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER decision_revisions_no_update BEFORE UPDATE ON decision_revisions
        BEGIN SELECT RAISE(ABORT, 'decision history is append-only'); END""",
        """CREATE TRIGGER decision_revisions_no_delete BEFORE DELETE ON decision_revisions
        BEGIN SELECT RAISE(ABORT, 'decision history is append-only'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_decision_history_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'decision history is append-only' USING ERRCODE = 'check_violation';
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER decision_revisions_append_only BEFORE UPDATE OR DELETE
        ON decision_revisions FOR EACH ROW EXECUTE FUNCTION refuse_decision_history_change()""",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS decision_revisions_no_update",
        "DROP TRIGGER IF EXISTS decision_revisions_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS decision_revisions_append_only ON decision_revisions",
        "DROP FUNCTION IF EXISTS refuse_decision_history_change()",
    ],
}

OUTCOME = sa.Enum(
    "accepted",
    "partly_accepted",
    "not_retained",
    "noted",
    name="outcome",
    native_enum=False,
    length=16,
)


def upgrade():
    # Plain ALTER TABLE on both (SQLite adds and, since 3.35, drops a column in place): a batch
    # copy would reflect the versions table, whose expression index SQLAlchemy cannot read.
    op.add_column(
        "decisions", sa.Column("revision", sa.Integer(), server_default="1", nullable=False)
    )
    op.create_table(
        "decision_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("outcome", OUTCOME, nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("reflected_in", sa.String(length=200), nullable=False),
        sa.Column("reflected_paragraph_uid", sa.String(length=32), nullable=True),
        sa.Column("reflected_version_id", sa.Integer(), nullable=True),
        sa.Column("decided_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_decision_revisions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_decision_revisions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["reflected_version_id"],
            ["versions.id"],
            name=op.f("fk_decision_revisions_reflected_version_id_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_revisions")),
        sa.UniqueConstraint(
            "comment_id", "revision", name=op.f("uq_decision_revisions_comment_id_revision")
        ),
    )
    op.create_index(
        op.f("ix_decision_revisions_comment_id"), "decision_revisions", ["comment_id"]
    )
    op.execute(
        """INSERT INTO decision_revisions (comment_id, revision, action, outcome, justification,
        is_shared, reflected_in, reflected_paragraph_uid, reflected_version_id, decided_dt,
        decided_by_id)
        SELECT comment_id, 1, 'recorded', outcome, justification, is_shared, reflected_in,
        reflected_paragraph_uid, reflected_version_id, decided_dt, decided_by_id
        FROM decisions"""
    )
    for statement in CREATE_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index(op.f("ix_decision_revisions_comment_id"), table_name="decision_revisions")
    op.drop_table("decision_revisions")
    op.drop_column("decisions", "revision")
