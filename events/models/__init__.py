"""Events' tables: events, invitees, passes and questions (`events`); check-ins and the scan log (`checkin`)."""

from events.models import checkin, events  # noqa: F401  (tables known to Alembic)
