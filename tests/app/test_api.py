"""The JSON API: per-account tokens, and an OpenAPI document that matches the routes."""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from app.accounts import services
from app.accounts.models import ApiToken
from app.audit.models import AuditEntry
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation


@pytest.fixture
def token_for(app):
    def make(user) -> str:
        with app.test_request_context():
            _token, raw = services.create_api_token(user, "test")
        db.session.commit()
        return raw

    return make


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_account_creates_uses_and_revokes_a_token(client, make_user, login_as):
    user = make_user("judge", email="judge@example.vn", full_name="Phạm Quốc Hùng")
    login_as(user)
    page = client.post("/account/tokens", data={"name": "Kịch bản xuất kết quả"}).get_data(as_text=True)
    raw = re.search(r"(st_[A-Za-z0-9_\-]{40,})", page).group(1)
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash != raw and raw not in stored.token_hash and stored.prefix == raw[:10]
    assert raw not in client.get("/account/tokens").get_data(as_text=True)  # shown once only

    login_as(None)
    me = client.get("/api/me", headers=bearer(raw))
    assert me.status_code == 200
    assert me.get_json()["full_name"] == "Phạm Quốc Hùng"
    assert {r["role"] for r in me.get_json()["roles"]} == {"judge"}
    assert db.session.get(ApiToken, stored.id).last_used_at is not None

    login_as(user)
    client.post(f"/account/tokens/{stored.id}/revoke")
    assert client.get("/api/me", headers=bearer(raw)).status_code == 401
    actions = set(db.session.scalars(db.select(AuditEntry.action)))
    assert {"api_token.create", "api_token.revoke"} <= actions


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "st_only"])
def test_api_refuses_missing_or_bad_tokens_with_json(client, header):
    response = client.get("/api/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_refuses_a_deactivated_account(client, make_user, token_for):
    user = make_user(email="off@example.vn")
    raw = token_for(user)
    user.is_active_account = False
    db.session.commit()
    assert client.get("/api/me", headers=bearer(raw)).status_code == 401


def test_api_ignores_the_session_cookie(client, make_user, login_as):
    login_as(make_user("admin"))
    assert client.get("/api/me").status_code == 401


def test_api_lists_organisations_and_units(client, make_user, token_for):
    raw = token_for(make_user())
    unit = AdministrativeUnit(code="697", name="Bù Đăng", kind="huyện", level=2)
    org = Organisation(kind="school", admin_unit=unit)
    org.set_name("Trường THPT Bù Đăng")
    other = Organisation(kind="association")
    other.set_name("Hội Tin học")
    db.session.add_all([unit, org, other])
    db.session.commit()
    found = client.get("/api/organisations?q=bu dang", headers=bearer(raw)).get_json()
    assert [o["name"] for o in found] == ["Trường THPT Bù Đăng"]
    units = client.get("/api/administrative-units?level=2", headers=bearer(raw)).get_json()
    assert units[0]["code"] == "697" and units[0]["valid_to"] is None


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404


def test_openapi_document_is_valid_and_matches_the_routes(app, client):
    doc = client.get("/api/openapi.json").get_json()
    validate(doc)  # a valid OpenAPI 3.1 document
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
            served |= {(path, m) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert documented == served, "every /api/ route is documented, and nothing else"


def test_responses_match_their_documented_schemas(client, make_user, token_for):
    raw = token_for(make_user("judge"))
    org = Organisation(kind="school")
    org.set_name("Trường THCS Tân Phú")
    db.session.add(org)
    db.session.commit()
    doc = client.get("/api/openapi.json").get_json()
    checked = 0
    for path in ("/api/me", "/api/organisations", "/api/administrative-units"):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        schema = _resolve(schema, doc)
        body = client.get(path, headers=bearer(raw)).get_json()
        OAS31Validator(schema).validate(body)
        checked += 1
    assert checked == 3


def _resolve(schema, doc):
    """Inline local $refs so the validator needs no registry look-ups."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return _resolve(doc["components"]["schemas"][name], doc)
        return {k: _resolve(v, doc) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve(v, doc) for v in schema]
    return schema


@pytest.mark.parametrize("contest_id", ["9999999999999999999999", str(2**31)])
def test_an_id_beyond_the_database_range_is_not_found(client, contest_id):
    response = client.get(f"/api/results/{contest_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_path_ids_are_documented_with_their_range(client):
    document = client.get("/api/openapi.json").get_json()
    parameter = document["paths"]["/api/results/{contest_id}"]["get"]["parameters"][0]
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    assert "404" in document["paths"]["/api/results/{contest_id}"]["get"]["responses"]


@pytest.mark.parametrize("level", ["-342933572433064", "0", "4"])
def test_a_unit_level_out_of_range_finds_nothing(client, make_user, token_for, level):
    """Schemathesis found that a huge level overflowed PostgreSQL's integers (a server error)."""
    raw = token_for(make_user("organizer", email="api@example.vn"))
    response = client.get("/api/administrative-units", query_string={"level": level}, headers=bearer(raw))
    assert response.status_code == 200 and response.get_json() == []
