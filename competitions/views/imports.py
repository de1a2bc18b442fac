"""imports views (being built)."""

from competitions import bp  # noqa: F401
