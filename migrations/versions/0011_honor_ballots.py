"""honors: council ballots and votes

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
    pass


def downgrade():
    pass
