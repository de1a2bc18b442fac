"""Honoring campaigns, nominating bodies' dossiers, council ballots and votes."""
