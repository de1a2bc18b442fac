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
    pass


def downgrade():
    pass
