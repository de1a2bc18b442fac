"""multi-level contests: child editions, inherited rules, forwarding window and quotas, forwards

Revision ID: 0006_levels
Revises: 0005_results
Create Date: 2026-11-28 20:57:45.249337

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_levels'
down_revision = '0005_results'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('forwards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('from_contest_id', sa.Integer(), nullable=False),
    sa.Column('to_contest_id', sa.Integer(), nullable=True),
    sa.Column('external_level', sa.String(length=120), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('from_seq', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('from_field_id', sa.Integer(), nullable=True),
    sa.Column('from_age_group_id', sa.Integer(), nullable=True),
    sa.Column('from_document_types', sa.JSON(), nullable=False),
    sa.Column('lower_result', sa.JSON(), nullable=False),
    sa.Column('forwarded_at', sa.DateTime(), nullable=False),
    sa.Column('forwarded_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_forwards_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['forwarded_by_id'], ['users.id'], name=op.f('fk_forwards_forwarded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_age_group_id'], ['contest_age_groups.id'], name=op.f('fk_forwards_from_age_group_id_contest_age_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_contest_id'], ['contests.id'], name=op.f('fk_forwards_from_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_field_id'], ['contest_fields.id'], name=op.f('fk_forwards_from_field_id_contest_fields'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_contest_id'], ['contests.id'], name=op.f('fk_forwards_to_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_forwards_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forwards'))
    )
    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forwards_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_forwards_from_contest', ['from_contest_id', 'withdrawn_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_forwards_to_contest_id'), ['to_contest_id'], unique=False)

    with op.batch_alter_table('contest_age_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contest_age_groups_parent_id_contest_age_groups'), 'contest_age_groups', ['parent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('contest_document_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contest_document_types_parent_id_contest_document_types'), 'contest_document_types', ['parent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('contest_fields', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contest_fields_parent_id_contest_fields'), 'contest_fields', ['parent_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('inherits', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('forward_opens_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('forward_closes_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('forward_quota', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quota_at_parent', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_contests_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contests_parent_id_contests'), 'contests', ['parent_id'], ['id'], ondelete='SET NULL')




def downgrade():

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contests_parent_id_contests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contests_parent_id'))
        batch_op.drop_column('quota_at_parent')
        batch_op.drop_column('forward_quota')
        batch_op.drop_column('forward_closes_at')
        batch_op.drop_column('forward_opens_at')
        batch_op.drop_column('inherits')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('contest_fields', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contest_fields_parent_id_contest_fields'), type_='foreignkey')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('contest_document_types', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contest_document_types_parent_id_contest_document_types'), type_='foreignkey')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('contest_age_groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contest_age_groups_parent_id_contest_age_groups'), type_='foreignkey')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forwards_to_contest_id'))
        batch_op.drop_index('ix_forwards_from_contest')
        batch_op.drop_index(batch_op.f('ix_forwards_entry_id'))

    op.drop_table('forwards')

