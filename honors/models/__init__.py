"""Honors' tables: campaigns, nominating bodies and dossiers (`campaigns`); council ballots and votes (`ballots`)."""

from honors.models import ballots, campaigns  # noqa: F401  (tables known to Alembic)
