"""events: check-ins and the scan log

Revision ID: 0012_checkins
Revises: 0011_honor_ballots
Create Date: 2026-11-28 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_checkins'
down_revision = '0011_honor_ballots'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
