"""events: the scan log's index on event_id dropped (the unique index on (event_id, nonce) serves the same lookups)

Every scan writes a log row; each index of the table is one more insert per scan. The unique (event_id, nonce)
index, which every scan needs for its nonce, starts with event_id and answers the event's lookups as well.

Revision ID: 0015_scan_log_indexes
Revises: 0014_table_versions
Create Date: 2026-11-30 00:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_scan_log_indexes'
down_revision = '0014_table_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_scans', schema=None) as batch_op:
        batch_op.drop_index('ix_event_scans_event_id')


def downgrade():
    with op.batch_alter_table('event_scans', schema=None) as batch_op:
        batch_op.create_index('ix_event_scans_event_id', ['event_id'], unique=False)
