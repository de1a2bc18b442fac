"""Demo data of the results package: awards, the approving decision, a publication and certificates."""

from __future__ import annotations


def seed(context: dict) -> dict:
    return context
