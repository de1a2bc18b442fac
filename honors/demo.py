"""Demo data of the honors package: one campaign with dossiers and a finished ballot."""

from __future__ import annotations


def seed(context: dict) -> dict:
    return context
