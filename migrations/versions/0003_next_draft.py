"""the next draft: paragraph revisions and origins, publication notes, decisions' versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy), so the frozen-version triggers on these tables stay.
    # Every save of a working paragraph says which revision it was based on (two editors).
    op.add_column('paragraphs', sa.Column('revision', sa.Integer(), nullable=False,
                                          server_default='1'))
    # The identities a split or merged paragraph came from, as a JSON list of uids.
    op.add_column('paragraphs', sa.Column('derived_from', sa.JSON(), nullable=True))
    # Who saved a working paragraph last, and when: what a refused (stale) save shows.
    op.add_column('paragraphs', sa.Column('edited_by_id', sa.Integer(), nullable=True))
    op.add_column('paragraphs', sa.Column('edited_dt', sa.DateTime(timezone=True), nullable=True))
    op.add_column('versions', sa.Column('note', sa.Text(), nullable=False, server_default=''))
    # The version a decision's reflected paragraph is in, so both can link to each other.
    op.add_column('decisions', sa.Column('reflected_version_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_foreign_key(op.f('fk_decisions_reflected_version_id_versions'), 'decisions',
                              'versions', ['reflected_version_id'], ['id'])
        op.create_foreign_key(op.f('fk_paragraphs_edited_by_id_users'), 'paragraphs',
                              'users', ['edited_by_id'], ['id'])
    op.create_index(op.f('ix_decisions_reflected_version_id'), 'decisions',
                    ['reflected_version_id'])


def downgrade():
    op.drop_index(op.f('ix_decisions_reflected_version_id'), table_name='decisions')
    with op.batch_alter_table('decisions') as batch_op:
        if op.get_bind().dialect.name == 'postgresql':
            batch_op.drop_constraint(op.f('fk_decisions_reflected_version_id_versions'),
                                     type_='foreignkey')
        batch_op.drop_column('reflected_version_id')
    op.drop_column('versions', 'note')
    with op.batch_alter_table('paragraphs') as batch_op:
        if op.get_bind().dialect.name == 'postgresql':
            batch_op.drop_constraint(op.f('fk_paragraphs_edited_by_id_users'), type_='foreignkey')
        batch_op.drop_column('edited_dt')
        batch_op.drop_column('edited_by_id')
    op.drop_column('paragraphs', 'derived_from')
    op.drop_column('paragraphs', 'revision')
