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
    pass


def downgrade():
    pass
