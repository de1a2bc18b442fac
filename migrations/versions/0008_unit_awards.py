"""results: awards to a unit (the unit with most finalists) and awards excluded by hand

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


def upgrade():
    pass


def downgrade():
    pass
