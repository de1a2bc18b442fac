"""(being written)"""

from results import bp  # noqa: F401
