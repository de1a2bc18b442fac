"""app: table versions kept by PostgreSQL triggers (what a worker's memory of figures is keyed by)

Revision ID: 0014_table_versions
Revises: 0013_entries_table
Create Date: 2026-11-29 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_table_versions'
down_revision = '0013_entries_table'
branch_labels = None
depends_on = None

# The tables the domains declared with `app.table_versions.versioned` when this revision was written (a later
# declaration comes with its own revision; tests/app/test_table_versions.py compares).
TABLES = (
    'administrative_units',
    'award_plans',
    'award_tiers',
    'awards',
    'contest_age_groups',
    'contest_fields',
    'entries',
    'judging_assignments',
    'judging_panel_fields',
    'judging_panels',
    'judging_rounds',
    'round_entries',
    'rubric_criteria',
    'score_sheets',
    'tie_decisions',
    'users',
)

FUNCTION = 'sangtao_table_version'


def upgrade():
    op.create_table('table_versions',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_table_versions'))
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO table_versions (name, version) VALUES (TG_TABLE_NAME, pg_current_xact_id()::text::bigint)
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version
    WHERE table_versions.version IS DISTINCT FROM EXCLUDED.version;
    RETURN NULL;
END
$$
""")
    for table in TABLES:
        op.execute(
            f'CREATE TRIGGER "{table}_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f'FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
        )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS "{table}_version" ON "{table}"')
        op.execute(f'DROP FUNCTION IF EXISTS {FUNCTION}()')
    op.drop_table('table_versions')
