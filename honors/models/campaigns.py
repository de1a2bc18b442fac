"""Campaigns, nominating bodies and their dossiers."""
