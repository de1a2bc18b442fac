"""results: awards to a unit (the unit with most finalists) and awards excluded by hand

A unit's prize is a row of `awards` with no entry and the unit's name (see results.models.Award for why not a
table of its own); `award_exclusions` records rule awards an organizer removed, so that storing the proposal again
does not bring them back.

Revision ID: 0008_unit_awards
Revises: 0007_certificate_reissue
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_unit_awards'
down_revision = '0007_certificate_reissue'
branch_labels = None
depends_on = None

ENTRY_OR_UNIT = "(entry_id IS NOT NULL AND unit_name = '') OR (entry_id IS NULL AND unit_name <> '')"
UNIT_CERTIFICATE = "revoked_at IS NULL AND person_id IS NULL AND entry_id IS NULL"


def upgrade():
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_name', sa.String(length=255), server_default='', nullable=False))
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            'entry_or_unit', sa.text(f"({ENTRY_OR_UNIT}) AND (entry_id IS NOT NULL OR special)")
        )
        batch_op.create_index(
            'uq_awards_contest_tier_unit',
            ['contest_id', 'tier_code', 'unit_name'],
            unique=True,
            sqlite_where=sa.text('entry_id IS NULL'),
            postgresql_where=sa.text('entry_id IS NULL'),
        )

    op.create_table('award_exclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('unit_name', sa.String(length=255), server_default='', nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('tier_name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=False),
    sa.CheckConstraint(ENTRY_OR_UNIT, name=op.f('ck_award_exclusions_entry_or_unit')),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_award_exclusions_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_exclusions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_award_exclusions_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_award_exclusions_lifted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_exclusions'))
    )
    with op.batch_alter_table('award_exclusions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_exclusions_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_exclusions_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(
            'uq_award_exclusions_entry_active',
            ['contest_id', 'tier_code', 'entry_id'],
            unique=True,
            sqlite_where=sa.text('lifted_at IS NULL AND entry_id IS NOT NULL'),
            postgresql_where=sa.text('lifted_at IS NULL AND entry_id IS NOT NULL'),
        )
        batch_op.create_index(
            'uq_award_exclusions_unit_active',
            ['contest_id', 'tier_code', 'unit_name'],
            unique=True,
            sqlite_where=sa.text('lifted_at IS NULL AND entry_id IS NULL'),
            postgresql_where=sa.text('lifted_at IS NULL AND entry_id IS NULL'),
        )

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(
            'uq_certificates_award_unit_valid',
            ['award_id'],
            unique=True,
            sqlite_where=sa.text(UNIT_CERTIFICATE),
            postgresql_where=sa.text(UNIT_CERTIFICATE),
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_certificates_award_unit_valid',
            sqlite_where=sa.text(UNIT_CERTIFICATE),
            postgresql_where=sa.text(UNIT_CERTIFICATE),
        )

    with op.batch_alter_table('award_exclusions', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_award_exclusions_unit_active',
            sqlite_where=sa.text('lifted_at IS NULL AND entry_id IS NULL'),
            postgresql_where=sa.text('lifted_at IS NULL AND entry_id IS NULL'),
        )
        batch_op.drop_index(
            'uq_award_exclusions_entry_active',
            sqlite_where=sa.text('lifted_at IS NULL AND entry_id IS NOT NULL'),
            postgresql_where=sa.text('lifted_at IS NULL AND entry_id IS NOT NULL'),
        )
        batch_op.drop_index(batch_op.f('ix_award_exclusions_entry_id'))
        batch_op.drop_index(batch_op.f('ix_award_exclusions_contest_id'))
    op.drop_table('award_exclusions')

    # Awards to a unit cannot be kept once an award needs an entry again.
    op.execute("DELETE FROM awards WHERE entry_id IS NULL")
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_awards_contest_tier_unit',
            sqlite_where=sa.text('entry_id IS NULL'),
            postgresql_where=sa.text('entry_id IS NULL'),
        )
        batch_op.drop_constraint(batch_op.f('ck_awards_entry_or_unit'), type_='check')
        batch_op.alter_column('entry_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('unit_name')
