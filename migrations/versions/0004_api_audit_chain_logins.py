"""API tokens, the audit hash chain's columns, login attempts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    op.create_index(op.f('ix_login_attempts_email'), 'login_attempts', ['email'], unique=False)
    op.create_index(op.f('ix_login_attempts_remote_addr'), 'login_attempts', ['remote_addr'],
                    unique=False)
    op.create_index(op.f('ix_login_attempts_created_dt'), 'login_attempts', ['created_dt'],
                    unique=False)
    # Plain ADD COLUMN, so the append-only triggers on audit_events stay in place.
    op.add_column('audit_events', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_events', sa.Column('hash', sa.String(length=64), nullable=True))
    op.create_index(op.f('uq_audit_events_hash'), 'audit_events', ['hash'], unique=True)


def downgrade():
    op.drop_index(op.f('uq_audit_events_hash'), table_name='audit_events')
    with op.batch_alter_table('audit_events') as batch_op:
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
    op.drop_index(op.f('ix_login_attempts_created_dt'), table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_remote_addr'), table_name='login_attempts')
    op.drop_index(op.f('ix_login_attempts_email'), table_name='login_attempts')
    op.drop_table('login_attempts')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
