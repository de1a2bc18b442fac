"""judging: round deadline, reminders and advancement times, re-scoring requests

Revision ID: 0004_judging_work
Revises: 0003_judging
Create Date: 2026-11-28 20:15:08.301677

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_judging_work'
down_revision = '0003_judging'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('advanced_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('round_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rescore_requested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rescore_requested_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_round_entries_rescore_requested_by_id_users'), 'users', ['rescore_requested_by_id'], ['id'], ondelete='SET NULL')




def downgrade():

    with op.batch_alter_table('round_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_round_entries_rescore_requested_by_id_users'), type_='foreignkey')
        batch_op.drop_column('rescore_requested_by_id')
        batch_op.drop_column('rescore_requested_at')

    with op.batch_alter_table('judging_rounds', schema=None) as batch_op:
        batch_op.drop_column('advanced_at')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('deadline')


