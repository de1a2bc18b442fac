"""certificates: one valid certificate per author and award, a revoked one kept beside its replacement

Revision ID: 0007_certificate_reissue
Revises: 0006_levels
Create Date: 2026-11-28 21:42:59.660493

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_certificate_reissue'
down_revision = '0006_levels'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificates_award_person'), type_='unique')
        batch_op.create_index('uq_certificates_award_person_valid', ['award_id', 'person_id'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))




def downgrade():

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_award_person_valid', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_award_person'), ['award_id', 'person_id'])


