"""meeting screen: an index of audit events by the object they are about

Revision ID: 0012_meeting
Revises: 0011_silence
Create Date: 2026-12-05 05:00:00

The meeting screen asks every two seconds for the latest event on a document's versions (the
room's revision); without this index that is a scan of the whole audit trail.
"""

from alembic import op

revision = "0012_meeting"
down_revision = "0011_silence"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_audit_events_object", "audit_events", ["object_type", "object_id", "id"], unique=False
    )


def downgrade():
    op.drop_index("ix_audit_events_object", table_name="audit_events")
