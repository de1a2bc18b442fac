"""(being written)"""

from judging import bp  # noqa: F401
