"""Honors: campaigns for honoring intellectuals (tuyên dương, tôn vinh trí thức tiêu biểu), nominations by
member bodies, screening by the Secretariat, council ballots, published honorees and their certificates."""

from flask import Blueprint

bp = Blueprint("honors", __name__, url_prefix="/honors")

# Imported for their routes.
import honors.views.council  # noqa: E402
import honors.views.labels  # noqa: E402
import honors.views.manage_ballot  # noqa: E402
import honors.views.manage_bodies  # noqa: E402
import honors.views.manage_campaigns  # noqa: E402
import honors.views.nominator  # noqa: E402
import honors.views.public  # noqa: E402
import honors.views.screening  # noqa: E402,F401
from honors import models  # noqa: E402,F401  (models: tables known to Alembic)
