"""events: events, invitees, passes and questions

Revision ID: 0010_events
Revises: 0009_honors
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_events'
down_revision = '0009_honors'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('venue', sa.String(length=255), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('contest_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_events_campaign_id_honor_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_events_contest_id_contests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_events_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)

    op.create_table('event_invitees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('search_name', sa.String(length=600), nullable=False),
    sa.Column('sort_name', sa.String(length=800), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('unit', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('source_ref', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=400), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_invitees_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_invitees_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_invitees')),
    sa.UniqueConstraint('event_id', 'dedupe_key', name='uq_event_invitees_event_person')
    )
    with op.batch_alter_table('event_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invitees_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_invitees_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_invitees_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_invitees_user_id'), ['user_id'], unique=False)

    op.create_table('event_passes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_passes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['event_invitees.id'], name=op.f('fk_event_passes_invitee_id_event_invitees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_event_passes_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['event_passes.id'], name=op.f('fk_event_passes_replaced_by_id_event_passes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_event_passes_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_passes')),
    sa.UniqueConstraint('token', name=op.f('uq_event_passes_token'))
    )
    with op.batch_alter_table('event_passes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_passes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_passes_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_index('uq_event_passes_invitee_valid', ['invitee_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))

    op.create_table('event_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=255), nullable=False),
    sa.Column('routed_at', sa.DateTime(), nullable=True),
    sa.Column('routed_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_event_questions_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_questions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invitee_id'], ['event_invitees.id'], name=op.f('fk_event_questions_invitee_id_event_invitees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['routed_by_id'], ['users.id'], name=op.f('fk_event_questions_routed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_questions'))
    )
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_questions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_questions_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_questions_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_questions_status'))
        batch_op.drop_index(batch_op.f('ix_event_questions_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_event_questions_event_id'))
    op.drop_table('event_questions')

    with op.batch_alter_table('event_passes', schema=None) as batch_op:
        batch_op.drop_index('uq_event_passes_invitee_valid', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_event_passes_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_event_passes_event_id'))
    op.drop_table('event_passes')

    with op.batch_alter_table('event_invitees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invitees_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_invitees_status'))
        batch_op.drop_index(batch_op.f('ix_event_invitees_search_name'))
        batch_op.drop_index(batch_op.f('ix_event_invitees_event_id'))
    op.drop_table('event_invitees')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_events_contest_id'))
        batch_op.drop_index(batch_op.f('ix_events_campaign_id'))
    op.drop_table('events')
