"""honors: campaigns, nominating bodies and dossiers

Revision ID: 0009_honors
Revises: 0008_unit_awards
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_honors'
down_revision = '0008_unit_awards'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('honor_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('occasion', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=True),
    sa.Column('closes_at', sa.DateTime(), nullable=True),
    sa.Column('default_quota', sa.Integer(), nullable=True),
    sa.Column('honor_count', sa.Integer(), nullable=True),
    sa.Column('quorum_mode', sa.String(length=8), nullable=False),
    sa.Column('quorum_numerator', sa.Integer(), nullable=False),
    sa.Column('quorum_denominator', sa.Integer(), nullable=False),
    sa.Column('quorum_count', sa.Integer(), nullable=True),
    sa.Column('pass_numerator', sa.Integer(), nullable=False),
    sa.Column('pass_denominator', sa.Integer(), nullable=False),
    sa.Column('ballot_mode', sa.String(length=8), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['users.id'], name=op.f('fk_honor_campaigns_chair_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_honor_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_honor_campaigns_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_campaigns'))
    )
    with op.batch_alter_table('honor_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_campaigns_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_campaigns_status'), ['status'], unique=False)

    op.create_table('honor_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_bodies_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_honor_bodies_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_bodies')),
    sa.UniqueConstraint('campaign_id', 'organisation_id', name='uq_honor_bodies_campaign_org')
    )
    with op.batch_alter_table('honor_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_bodies_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_bodies_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('honor_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_categories_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_categories'))
    )
    with op.batch_alter_table('honor_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_categories_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('honor_checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_checklist_items_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_checklist_items'))
    )
    with op.batch_alter_table('honor_checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_checklist_items_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('honor_body_nominators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['honor_bodies.id'], name=op.f('fk_honor_body_nominators_body_id_honor_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_body_nominators_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_honor_body_nominators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_body_nominators')),
    sa.UniqueConstraint('campaign_id', 'user_id', name='uq_honor_body_nominators_campaign_user')
    )
    with op.batch_alter_table('honor_body_nominators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_body_nominators_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_body_nominators_user_id'), ['user_id'], unique=False)

    op.create_table('honor_dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=8), nullable=False),
    sa.Column('academic_title', sa.String(length=8), nullable=False),
    sa.Column('degree', sa.String(length=8), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=False),
    sa.Column('unit_name', sa.String(length=255), nullable=False),
    sa.Column('unit_organisation_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=255), nullable=False),
    sa.Column('years_of_work', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('achievements', sa.Text(), nullable=False),
    sa.Column('publications', sa.Text(), nullable=False),
    sa.Column('patents', sa.Text(), nullable=False),
    sa.Column('awards', sa.Text(), nullable=False),
    sa.Column('confirmed_by', sa.String(length=255), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=False),
    sa.Column('screening_reason', sa.Text(), nullable=False),
    sa.Column('screened_by_id', sa.Integer(), nullable=True),
    sa.Column('screened_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('sort_name', sa.String(length=800), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['honor_bodies.id'], name=op.f('fk_honor_dossiers_body_id_honor_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['campaign_id'], ['honor_campaigns.id'], name=op.f('fk_honor_dossiers_campaign_id_honor_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['honor_categories.id'], name=op.f('fk_honor_dossiers_category_id_honor_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_honor_dossiers_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['screened_by_id'], ['users.id'], name=op.f('fk_honor_dossiers_screened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_organisation_id'], ['organisations.id'], name=op.f('fk_honor_dossiers_unit_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_dossiers'))
    )
    with op.batch_alter_table('honor_dossiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_dossiers_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_dossiers_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_honor_dossiers_campaign_status', ['campaign_id', 'status'], unique=False)

    op.create_table('honor_checklist_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Boolean(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['honor_dossiers.id'], name=op.f('fk_honor_checklist_answers_dossier_id_honor_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['honor_checklist_items.id'], name=op.f('fk_honor_checklist_answers_item_id_honor_checklist_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_checklist_answers')),
    sa.UniqueConstraint('dossier_id', 'item_id', name='uq_honor_checklist_answers_dossier_item')
    )
    with op.batch_alter_table('honor_checklist_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_checklist_answers_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honor_checklist_answers_item_id'), ['item_id'], unique=False)

    op.create_table('honor_dossier_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('mimetype', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['honor_dossiers.id'], name=op.f('fk_honor_dossier_files_dossier_id_honor_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_honor_dossier_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honor_dossier_files')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_honor_dossier_files_stored_name'))
    )
    with op.batch_alter_table('honor_dossier_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honor_dossier_files_dossier_id'), ['dossier_id'], unique=False)


def downgrade():
    with op.batch_alter_table('honor_dossier_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_dossier_files_dossier_id'))

    op.drop_table('honor_dossier_files')

    with op.batch_alter_table('honor_checklist_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_checklist_answers_item_id'))
        batch_op.drop_index(batch_op.f('ix_honor_checklist_answers_dossier_id'))

    op.drop_table('honor_checklist_answers')

    with op.batch_alter_table('honor_dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_honor_dossiers_campaign_status')
        batch_op.drop_index(batch_op.f('ix_honor_dossiers_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_honor_dossiers_body_id'))

    op.drop_table('honor_dossiers')

    with op.batch_alter_table('honor_body_nominators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_body_nominators_user_id'))
        batch_op.drop_index(batch_op.f('ix_honor_body_nominators_body_id'))

    op.drop_table('honor_body_nominators')

    with op.batch_alter_table('honor_checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_checklist_items_campaign_id'))

    op.drop_table('honor_checklist_items')

    with op.batch_alter_table('honor_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_categories_campaign_id'))

    op.drop_table('honor_categories')

    with op.batch_alter_table('honor_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_bodies_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_honor_bodies_campaign_id'))

    op.drop_table('honor_bodies')

    with op.batch_alter_table('honor_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honor_campaigns_status'))
        batch_op.drop_index(batch_op.f('ix_honor_campaigns_organisation_id'))

    op.drop_table('honor_campaigns')
