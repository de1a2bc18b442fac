"""Honors: campaigns for honoring intellectuals (tuyên dương, tôn vinh trí thức tiêu biểu), nominations by
member bodies, screening by the Secretariat, council ballots, published honorees and their certificates."""

from flask import Blueprint

bp = Blueprint("honors", __name__, url_prefix="/honors")

from honors import models  # noqa: E402,F401  (models: tables known to Alembic)
