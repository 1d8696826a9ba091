"""silence procedures, the statements that break them, and adoptions (which never change)

Revision ID: 0011_silence
Revises: 0010_convergence
Create Date: 2026-12-05 05:00:00

An adoption is final: the database refuses to update or delete it, as it refuses changes to a
published version.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_silence"
down_revision = "0010_convergence"
branch_labels = None
depends_on = None

STATE = sa.Enum(
    "running", "broken", "adopted", name="silencestate", native_enum=False, length=16
)

CREATE_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER adoptions_no_update BEFORE UPDATE ON adoptions
        BEGIN SELECT RAISE(ABORT, 'an adoption cannot be undone'); END""",
        """CREATE TRIGGER adoptions_no_delete BEFORE DELETE ON adoptions
        BEGIN SELECT RAISE(ABORT, 'an adoption cannot be undone'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_adoption_change() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'an adoption cannot be undone' USING ERRCODE = 'check_violation';
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER adoptions_final BEFORE UPDATE OR DELETE
        ON adoptions FOR EACH ROW EXECUTE FUNCTION refuse_adoption_change()""",
    ],
}
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS adoptions_no_update",
        "DROP TRIGGER IF EXISTS adoptions_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS adoptions_final ON adoptions",
        "DROP FUNCTION IF EXISTS refuse_adoption_change()",
    ],
}


def upgrade():
    op.create_table(
        "silence_procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("state", STATE, nullable=False),
        sa.Column("deadline_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("started_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_dt", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_silence_procedures_version_id_versions")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_silence_procedures_started_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_silence_procedures")),
    )
    op.create_index(
        op.f("ix_silence_procedures_version_id"), "silence_procedures", ["version_id"]
    )
    op.create_table(
        "silence_breaks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("silence_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("broken_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["silence_id"], ["silence_procedures.id"],
            name=op.f("fk_silence_breaks_silence_id_silence_procedures"),
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"], ["delegations.id"],
            name=op.f("fk_silence_breaks_delegation_id_delegations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_silence_breaks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_silence_breaks")),
        sa.UniqueConstraint(
            "silence_id", "delegation_id", name=op.f("uq_silence_breaks_silence_id_delegation_id")
        ),
    )
    op.create_index(op.f("ix_silence_breaks_silence_id"), "silence_breaks", ["silence_id"])
    op.create_table(
        "adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("silence_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("adopted_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_adoptions_version_id_versions")
        ),
        sa.ForeignKeyConstraint(
            ["silence_id"], ["silence_procedures.id"],
            name=op.f("fk_adoptions_silence_id_silence_procedures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adoptions")),
        sa.UniqueConstraint("version_id", name=op.f("uq_adoptions_version_id")),
        sa.UniqueConstraint("silence_id", name=op.f("uq_adoptions_silence_id")),
    )
    for statement in CREATE_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("adoptions")
    op.drop_index(op.f("ix_silence_breaks_silence_id"), table_name="silence_breaks")
    op.drop_table("silence_breaks")
    op.drop_index(op.f("ix_silence_procedures_version_id"), table_name="silence_procedures")
    op.drop_table("silence_procedures")
