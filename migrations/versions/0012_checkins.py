"""events: check-ins and the scan log

Revision ID: 0012_checkins
Revises: 0011_honor_ballots
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_checkins'
down_revision = '0011_honor_ballots'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_check_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('pass_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=False),
    sa.Column('client_at', sa.DateTime(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('by_name', sa.String(length=120), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undo_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_event_check_ins_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_check_ins_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['event_invitees.id'], name=op.f('fk_event_check_ins_invitee_id_event_invitees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pass_id'], ['event_passes.id'], name=op.f('fk_event_check_ins_pass_id_event_passes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_event_check_ins_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_check_ins'))
    )
    with op.batch_alter_table('event_check_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_check_ins_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_check_ins_pass_id'), ['pass_id'], unique=False)
        batch_op.create_index('uq_event_check_ins_invitee_live', ['invitee_id'], unique=True, sqlite_where=sa.text('undone_at IS NULL'), postgresql_where=sa.text('undone_at IS NULL'))

    op.create_table('event_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('scanned_at', sa.DateTime(), nullable=False),
    sa.Column('client_at', sa.DateTime(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sa.String(length=120), nullable=False),
    sa.Column('device_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('pass_id', sa.Integer(), nullable=True),
    sa.Column('invitee_id', sa.Integer(), nullable=True),
    sa.Column('check_in_id', sa.Integer(), nullable=True),
    sa.Column('code_hint', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['check_in_id'], ['event_check_ins.id'], name=op.f('fk_event_scans_check_in_id_event_check_ins'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_scans_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['event_invitees.id'], name=op.f('fk_event_scans_invitee_id_event_invitees'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pass_id'], ['event_passes.id'], name=op.f('fk_event_scans_pass_id_event_passes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_event_scans_staff_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_scans')),
    sa.UniqueConstraint('event_id', 'nonce', name='uq_event_scans_event_nonce')
    )
    with op.batch_alter_table('event_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_scans_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_scans_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_scans_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('event_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_scans_staff_id'))
        batch_op.drop_index(batch_op.f('ix_event_scans_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_event_scans_event_id'))
    op.drop_table('event_scans')

    with op.batch_alter_table('event_check_ins', schema=None) as batch_op:
        batch_op.drop_index('uq_event_check_ins_invitee_live', sqlite_where=sa.text('undone_at IS NULL'), postgresql_where=sa.text('undone_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_event_check_ins_pass_id'))
        batch_op.drop_index(batch_op.f('ix_event_check_ins_event_id'))
    op.drop_table('event_check_ins')
