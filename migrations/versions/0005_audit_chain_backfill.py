"""The audit hash chain: hashes for the events written before it, then required and unique

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:45:00

Existing events are chained in id order, exactly as drafting.audit.chain chains new ones (the
hashing is written out here, not imported, so this revision never changes). The append-only
triggers refuse the UPDATEs of the backfill, so they are dropped and recreated around it, with
their definitions from 0001, in the same transaction. Then prev_hash and hash become NOT NULL,
and prev_hash unique as hash already is: two events can never chain to the same one.
"""

import hashlib
import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

# From 0001_initial_schema.CREATE_TRIGGERS / DROP_TRIGGERS, the audit_events part only.
DROP_AUDIT_TRIGGERS = {
    "sqlite": [
        """DROP TRIGGER IF EXISTS audit_events_no_update""",
        """DROP TRIGGER IF EXISTS audit_events_no_delete""",
    ],
    "postgresql": [
        """DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events""",
    ],
}
CREATE_AUDIT_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
        """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
    "postgresql": [
        """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()""",
    ],
}

audit_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("created_dt", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("details", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _hash(prev_hash, row):
    created = row.created_dt
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
    fields = json.dumps(
        {
            "id": row.id,
            "created_dt": created.isoformat(timespec="microseconds"),
            "actor_id": row.actor_id,
            "action": row.action,
            "object_type": row.object_type,
            "object_id": row.object_id,
            "details": row.details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + fields).encode("utf-8")).hexdigest()


def upgrade():
    bind = op.get_bind()
    dialect = bind.dialect.name
    for statement in DROP_AUDIT_TRIGGERS[dialect]:
        op.execute(statement)
    rows = bind.execute(sa.select(audit_events).order_by(audit_events.c.id)).all()
    prev_hash = GENESIS
    for row in rows:
        digest = _hash(prev_hash, row)
        bind.execute(
            audit_events.update()
            .where(audit_events.c.id == row.id)
            .values(prev_hash=prev_hash, hash=digest)
        )
        prev_hash = digest
    # On SQLite this recreates the table (and drops its triggers, recreated just below).
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    op.create_index(op.f("uq_audit_events_prev_hash"), "audit_events", ["prev_hash"], unique=True)
    for statement in CREATE_AUDIT_TRIGGERS[dialect]:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in DROP_AUDIT_TRIGGERS[dialect]:
        op.execute(statement)
    op.drop_index(op.f("uq_audit_events_prev_hash"), table_name="audit_events")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
    # The hashes stay: the append-only rule forbids clearing them, as it forbids any change.
    for statement in CREATE_AUDIT_TRIGGERS[dialect]:
        op.execute(statement)
