"""honors: council ballots and votes, published honoree lists, honor certificates

Revision ID: 0011_honor_ballots
Revises: 0010_events
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_honor_ballots'
down_revision = '0010_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('honor_ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=True),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('close_reason', sa.String(length=16), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_ballots_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_honor_ballots_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_honor_ballots_opened_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_ballots')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_honor_ballots_campaign_id'))
    )
    op.create_table('honor_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('tie_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_lists_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_honor_lists_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_lists')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_honor_lists_campaign_id'))
    )
    op.create_table('honor_honorees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('display_name', sa.String(length=160), nullable=False),
    sa.Column('position_title', sa.String(length=255), nullable=False),
    sa.Column('unit_name', sa.String(length=255), nullable=False),
    sa.Column('field', sa.String(length=255), nullable=False),
    sa.Column('category', sa.String(length=255), nullable=False),
    sa.Column('body_name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_honorees_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dossier_id'], ['honor_dossiers.id'], name=op.f('fk_honor_honorees_dossier_id_honor_dossiers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['list_id'], ['honor_lists.id'], name=op.f('fk_honor_honorees_list_id_honor_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_honorees')),
    sa.UniqueConstraint('list_id', 'dossier_id', name='uq_honor_honorees_list_dossier')
    )
    with op.batch_alter_table('honor_honorees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_honorees_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_honorees_list_id'), ['list_id'], unique=False)

    op.create_table('honor_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.Column('forced_reason', sa.String(length=16), nullable=False),
    sa.Column('cast_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['honor_ballots.id'], name=op.f('fk_honor_votes_ballot_id_honor_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dossier_id'], ['honor_dossiers.id'], name=op.f('fk_honor_votes_dossier_id_honor_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_honor_votes_member_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_votes')),
    sa.UniqueConstraint('ballot_id', 'dossier_id', 'member_id', name='uq_honor_votes_ballot_dossier_member')
    )
    with op.batch_alter_table('honor_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_votes_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_votes_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_votes_member_id'), ['member_id'], unique=False)

    op.create_table('honor_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('honoree_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=160), nullable=False),
    sa.Column('unit_name', sa.String(length=255), nullable=False),
    sa.Column('campaign_name', sa.String(length=255), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_certificates_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['honoree_id'], ['honor_honorees.id'], name=op.f('fk_honor_certificates_honoree_id_honor_honorees'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_honor_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_honor_certificates_number')),
    sa.UniqueConstraint('token', name=op.f('uq_honor_certificates_token'))
    )
    with op.batch_alter_table('honor_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_certificates_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('uq_honor_certificates_honoree_valid', ['honoree_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade():
    with op.batch_alter_table('honor_certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_honor_certificates_honoree_valid', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_honor_certificates_campaign_id'))

    op.drop_table('honor_certificates')
    with op.batch_alter_table('honor_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_votes_member_id'))
        batch_op.drop_index(batch_op.f('ix_honor_votes_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_honor_votes_ballot_id'))

    op.drop_table('honor_votes')
    with op.batch_alter_table('honor_honorees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_honorees_list_id'))
        batch_op.drop_index(batch_op.f('ix_honor_honorees_campaign_id'))

    op.drop_table('honor_honorees')
    op.drop_table('honor_lists')
    op.drop_table('honor_ballots')
