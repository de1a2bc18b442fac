"""Every route x every role: allowed, sent to the login page, or refused. One table, extended by every
package; a route missing from it fails `test_every_route_is_in_the_matrix`."""

from __future__ import annotations

import importlib

import pytest

from app.accounts import services
from app.audit.service import record
from app.extensions import db
from app.jobs.models import ExportJob
from app.mail.service import send_mail
from app.orgs.models import Organisation
from tests.access import ALL, ANON, ANON_ONLY, LOGIN, OK, REDIRECT, everyone, only, signed_in

#: Packages that add rows: each module has `ROWS` and `make_targets() -> dict` of URL placeholders.
PACKAGE_ACCESS = [
    "tests.competitions.access",
    "tests.judging.access",
    "tests.results.access",
    "tests.forwarding.access",
    "tests.honors.access",
    "tests.events.access",
    "tests.reports.access",
]

#: (method, url template, expectations). Placeholders are filled from the `targets` fixture.
MATRIX: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/", everyone()),
    ("GET", "/healthz", everyone()),
    ("GET", "/favicon.ico", everyone(REDIRECT)),
    ("POST", "/lang", everyone(REDIRECT)),
    ("GET", "/account/signup", ANON_ONLY),
    ("POST", "/account/signup", ANON_ONLY),
    ("GET", "/account/login", ANON_ONLY),
    ("POST", "/account/login", ANON_ONLY),
    ("POST", "/account/logout", everyone(REDIRECT)),
    ("GET", "/account/reset", everyone()),
    ("POST", "/account/reset", everyone()),
    ("GET", "/account/reset/{bad_token}", everyone(REDIRECT)),
    ("POST", "/account/reset/{bad_token}", everyone(REDIRECT)),
    ("GET", "/account/invitation/{bad_token}", everyone(REDIRECT)),
    ("POST", "/account/invitation/{bad_token}", everyone(REDIRECT)),
    ("GET", "/account/", signed_in()),
    ("POST", "/account/", signed_in()),
    ("GET", "/account/password", signed_in()),
    ("POST", "/account/password", signed_in()),
    ("GET", "/account/tokens", signed_in()),
    ("POST", "/account/tokens", signed_in()),
    ("POST", "/account/tokens/{token_id}/revoke", signed_in(404)),  # the token is the target account's
    ("GET", "/admin/accounts/", only("admin")),
    ("GET", "/admin/accounts/new", only("admin")),
    ("POST", "/admin/accounts/new", only("admin")),
    ("GET", "/admin/accounts/{user_id}", only("admin")),
    ("POST", "/admin/accounts/{user_id}/roles", only("admin")),
    ("POST", "/admin/accounts/{user_id}/roles/{grant_id}/revoke", only("admin")),
    ("POST", "/admin/accounts/{user_id}/status", only("admin")),
    ("GET", "/admin/audit/", only("admin")),
    ("GET", "/admin/audit/{audit_id}", only("admin")),
    ("GET", "/admin/outbox/", only("admin")),
    ("GET", "/admin/outbox/{message_id}", only("admin")),
    ("GET", "/admin/settings", only("admin")),
    ("POST", "/admin/settings", only("admin")),
    ("GET", "/admin/settings/logo", everyone(404)),  # public, and there is no logo yet
    ("GET", "/admin/organisations", only("admin")),
    ("GET", "/admin/organisations/new", only("admin")),
    ("POST", "/admin/organisations/new", only("admin")),
    ("GET", "/admin/organisations/{org_id}", only("admin")),
    ("POST", "/admin/organisations/{org_id}", only("admin")),
    ("GET", "/admin/units", only("admin")),
    # A prepared export is the account's that asked for it (the target account's here): nobody else's to see.
    ("GET", "/exports/{job_id}", signed_in(404)),
    ("GET", "/exports/{job_id}/download", signed_in(404)),
    ("POST", "/exports/{job_id}/again", signed_in(404)),
    # The API never accepts the session cookie: only a bearer token (see tests/app/test_api.py).
    ("GET", "/api/openapi.json", everyone()),
    ("GET", "/api/me", everyone(401)),
    ("GET", "/api/organisations", everyone(401)),
    ("GET", "/api/administrative-units", everyone(401)),
]


def base_targets(app, make_user) -> dict:
    """The records the foundation's URLs point at: another person's account, an audit entry, a message, a token."""
    target = make_user("judge", email="target@example.vn")
    org = Organisation(kind="school")
    org.set_name("Trường THCS Tân Phú")
    db.session.add(org)
    with app.test_request_context():
        token, _raw = services.create_api_token(target, "script")
        entry = record("test.event", target)
        message = send_mail("target@example.vn", "Chào", "Nội dung")
    job = ExportJob(
        kind="results.round_workbook", params={"round_id": 1}, filename="Bảng điểm.xlsx",
        mimetype="text/csv", requested_by_id=target.id, status="done",
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    return {
        "user_id": target.id,
        "grant_id": target.role_grants[0].id,
        "org_id": org.id,
        "token_id": token.id,
        "audit_id": entry.id,
        "message_id": message.id,
        "job_id": job.id,
        "bad_token": "not-a-valid-token",
    }


@pytest.fixture
def targets(request, app, make_user):
    """The foundation's records and, for a package's row, what that package's `make_targets` creates (only that
    package's: building every package's records for every case would make the matrix slow)."""
    base = base_targets(app, make_user)
    params = request.node.callspec.params
    owner = ROW_OWNERS.get((params["method"], params["url"]))
    extra = importlib.import_module(owner).make_targets() if owner is not None else {}
    return extra | base


#: (method, url) of each package's row -> the package's access module.
ROW_OWNERS: dict[tuple[str, str], str] = {}


for _module in PACKAGE_ACCESS:
    _rows = importlib.import_module(_module).ROWS
    MATRIX += _rows
    ROW_OWNERS.update({(method, url): _module for method, url, _ in _rows})

CASES = [(method, url, role, expected[role]) for method, url, expected in MATRIX for role in ALL]


@pytest.mark.parametrize(("method", "url", "role", "expected"), CASES, ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES])
def test_access(client, make_user, login_as, targets, method, url, role, expected):
    if role != ANON:
        login_as(make_user(role, email=f"{role}@example.vn"))
    response = client.open(url.format(**targets), method=method, data={})
    code = response.status_code
    if expected == OK:
        assert code in ((200,) if method == "GET" else (200, 302, 400)), (code, response.headers.get("Location"))
        assert "/account/login" not in response.headers.get("Location", "")
    elif expected == LOGIN:
        assert code == 302 and "/account/login" in response.headers["Location"]
    elif expected == REDIRECT:
        assert code in (301, 302, 303) and "/account/login?" not in response.headers["Location"]
    else:
        assert code == expected


def test_every_route_is_in_the_matrix(app):
    """Each rule of the URL map has a row: a URL of the same method that the rule matches (a row may name a
    converter's value, e.g. `qr.png` for `qr.<any(png, svg):fmt>`)."""
    import re

    listed = [(m, re.sub(r"\{\w+\}", "1", u)) for m, u, _ in MATRIX]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        pattern = re.compile("^" + "[^/]+".join(re.escape(part) for part in re.split(r"<[^>]+>", rule.rule)) + "$")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if not any(m == method and pattern.match(url) for m, url in listed):
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes missing from the access matrix: {missing}"
