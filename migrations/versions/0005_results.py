"""results: award plans and tiers, tie decisions, awards, decisions, publications, certificates

Revision ID: 0005_results
Revises: 0004_judging_work
Create Date: 2026-11-28 20:23:14.218320

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_results'
down_revision = '0004_judging_work'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('award_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signer', sa.String(length=120), nullable=False),
    sa.Column('signer_title', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_award_decisions_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_award_decisions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_decisions'))
    )
    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_decisions_contest_id'), ['contest_id'], unique=False)

    op.create_table('tie_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('entry_ids', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_tie_decisions_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_tie_decisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tie_decisions'))
    )
    with op.batch_alter_table('tie_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tie_decisions_contest_id'), ['contest_id'], unique=False)

    op.create_table('award_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('tie_break', sa.JSON(), nullable=False),
    sa.Column('show_feedback', sa.Boolean(), nullable=False),
    sa.Column('team_points', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_award_plans_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['judging_rounds.id'], name=op.f('fk_award_plans_round_id_judging_rounds'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_plans')),
    sa.UniqueConstraint('contest_id', name=op.f('uq_award_plans_contest_id'))
    )
    op.create_table('result_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_result_publications_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['award_decisions.id'], name=op.f('fk_result_publications_decision_id_award_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_result_publications_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_publications')),
    sa.UniqueConstraint('contest_id', 'version', name='uq_result_publications_contest_version')
    )
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_publications_contest_id'), ['contest_id'], unique=False)

    op.create_table('award_tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.Column('min_score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('special', sa.Boolean(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['award_plans.id'], name=op.f('fk_award_tiers_plan_id_award_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_tiers')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_award_tiers_plan_code')
    )
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('tier_code', sa.String(length=40), nullable=False),
    sa.Column('tier_name', sa.String(length=120), nullable=False),
    sa.Column('special', sa.Boolean(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_awards_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_awards_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_awards_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['entry_people.id'], name=op.f('fk_awards_person_id_entry_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('contest_id', 'entry_id', 'tier_code', name='uq_awards_contest_entry_tier')
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_entry_id'), ['entry_id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=True),
    sa.Column('publication_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('holder_name', sa.String(length=120), nullable=False),
    sa.Column('prize_name', sa.String(length=120), nullable=False),
    sa.Column('entry_title', sa.String(length=300), nullable=False),
    sa.Column('decision_number', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_certificates_award_id_awards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_certificates_contest_id_contests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_certificates_entry_id_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['entry_people.id'], name=op.f('fk_certificates_person_id_entry_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publication_id'], ['result_publications.id'], name=op.f('fk_certificates_publication_id_result_publications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('award_id', 'person_id', name='uq_certificates_award_person'),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('token', name=op.f('uq_certificates_token'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_entry_id'), ['entry_id'], unique=False)




def downgrade():

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_entry_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_contest_id'))

    op.drop_table('certificates')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_entry_id'))
        batch_op.drop_index(batch_op.f('ix_awards_contest_id'))

    op.drop_table('awards')
    op.drop_table('award_tiers')
    with op.batch_alter_table('result_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_publications_contest_id'))

    op.drop_table('result_publications')
    op.drop_table('award_plans')
    with op.batch_alter_table('tie_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tie_decisions_contest_id'))

    op.drop_table('tie_decisions')
    with op.batch_alter_table('award_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_decisions_contest_id'))

    op.drop_table('award_decisions')

