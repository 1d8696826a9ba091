"""Accounts: a password to change at the next login, a per-person feed secret, API token expiry

Revision ID: 0008_accounts
Revises: 0007_trust_verify
Create Date: 2026-12-04 18:40:00

Tokens created before this revision get the default lifetime (90 days) from now, so that no
token is left without an end and none stops working on the day of the upgrade. Feed addresses
are signed with a timestamp from now on: the addresses handed out before are no longer valid,
and each reader's document page shows the new one.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_accounts"
down_revision = "0007_trust_verify"
branch_labels = None
depends_on = None

DEFAULT_TOKEN_DAYS = 90


def upgrade():
    # Plain ADD COLUMN on users: a batch copy of the table would trip the foreign keys that
    # point at it (and SQLite 3.35+ adds and drops columns in place).
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("feed_secret", sa.String(length=32), nullable=True))
    op.add_column(
        "api_tokens", sa.Column("expires_dt", sa.DateTime(timezone=True), nullable=True)
    )
    api_tokens = sa.table("api_tokens", sa.column("expires_dt", sa.DateTime(timezone=True)))
    expires = datetime.now(UTC) + timedelta(days=DEFAULT_TOKEN_DAYS)
    op.execute(api_tokens.update().values(expires_dt=expires))
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.alter_column(
            "expires_dt", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.drop_column("expires_dt")
    op.drop_column("users", "feed_secret")
    op.drop_column("users", "must_change_password")
