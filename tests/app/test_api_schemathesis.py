"""Schemathesis against the app's own OpenAPI document (/api/openapi.json): for every operation, generated
requests (parameters of every shape, odd strings) get an answer that is never a server error and that matches what
the document promises (status codes, content type, JSON schema of the body).

The operations are called in-process through the WSGI app, as an organizer who is also check-in staff, holding an
API token, against a database holding one published edition, so that the read routes find records as well as miss
them. (Schemathesis's pytest plugin does not run on this pytest; its strategies are drawn with hypothesis here.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.accounts import services
from app.extensions import db
from tests.conftest import settings_for_tests


def _operations() -> list[str]:
    """The operations' labels, read from the document of an app that needs no database."""
    bare = create_app(settings_for_tests() | {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [
        result.ok().label for result in schemathesis.openapi.from_wsgi("/api/openapi.json", bare).get_all_operations()
    ]


@pytest.fixture
def api_token(app, make_user):
    """An organizer's bearer token, and a published edition for the results API to find."""
    from tests.results.test_publication import published

    user = make_user("organizer", "checkin", email="api@example.vn")
    with app.test_request_context():
        _token, raw = services.create_api_token(user, "schemathesis")
    db.session.commit()
    published()
    return raw


@pytest.mark.parametrize("label", _operations())
def test_every_operation_answers_as_documented(app, api_token, label):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    (operation,) = [r.ok() for r in schema.get_all_operations() if r.ok().label == label]
    headers = {"Authorization": f"Bearer {api_token}"}

    @settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def call(data):
        case = data.draw(operation.as_strategy())
        case.call_and_validate(headers=headers)

    call()
