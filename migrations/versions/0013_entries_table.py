"""competitions: indexes of the entries table (units and localities per edition, trigram search)

Revision ID: 0013_entries_table
Revises: 0012_checkins
Create Date: 2026-11-29 03:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_entries_table'
down_revision = '0012_checkins'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entries_unit_name'))
        batch_op.create_index('ix_entries_contest_unit_name', ['contest_id', 'unit_name'], unique=False)
        batch_op.create_index('ix_entries_contest_admin_unit', ['contest_id', 'admin_unit_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        # pg_trgm is a trusted extension: the database owner may create it.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    # `search_text LIKE '%word%'` by trigrams on PostgreSQL; a plain index on SQLite (the models say the same).
    op.create_index(
        'ix_entries_search_text_trgm',
        'entries',
        ['search_text'],
        unique=False,
        postgresql_using='gin',
        postgresql_ops={'search_text': 'gin_trgm_ops'},
    )


def downgrade():
    op.drop_index('ix_entries_search_text_trgm', table_name='entries')  # pg_trgm stays: other objects may use it

    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index('ix_entries_contest_admin_unit')
        batch_op.drop_index('ix_entries_contest_unit_name')
        batch_op.create_index(batch_op.f('ix_entries_unit_name'), ['unit_name'], unique=False)
