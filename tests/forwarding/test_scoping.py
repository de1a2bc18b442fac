"""Scoping between levels: two district editions and the provincial one. Each district's organizer (scoped to their
district's union) reaches their own edition's pages, entries and forwards and never the other district's (404: for
them it does not exist) nor the province's; the provincial organizer (scoped to the province's Union) reaches every
child; a judge of a district gets 403; anonymous visitors go to the login page."""

from __future__ import annotations

import pytest

from app.extensions import db
from forwarding import services
from tests.forwarding.factories import make_levels
from tests.forwarding.test_child_page import login, text
from tests.judging.factories import make_judge

PROVINCE, DISTRICT_A, DISTRICT_B, JUDGE, ANON = "province", "district_a", "district_b", "judge", "anonymous"
WHO = (PROVINCE, DISTRICT_A, DISTRICT_B, JUDGE, ANON)
OK, LOGIN = "ok", "login"


def expect(*allowed: str) -> dict[str, object]:
    """Allowed for `allowed`; the other organizers get 404, the judge 403, anonymous visitors the login page."""
    return {who: OK if who in allowed else LOGIN if who == ANON else 403 if who == JUDGE else 404 for who in WHO}


A_AND_PROVINCE = expect(PROVINCE, DISTRICT_A)
B_AND_PROVINCE = expect(PROVINCE, DISTRICT_B)
PROVINCE_ONLY = expect(PROVINCE)

MATRIX = [
    ("GET", "/forwarding/{child_a}", A_AND_PROVINCE),
    ("POST", "/forwarding/{child_a}", A_AND_PROVINCE),
    ("GET", "/forwarding/{child_b}", B_AND_PROVINCE),
    ("POST", "/forwarding/{child_b}", B_AND_PROVINCE),
    ("POST", "/forwarding/forwards/{forward_a}/withdraw", A_AND_PROVINCE),
    ("POST", "/forwarding/forwards/{forward_b}/withdraw", B_AND_PROVINCE),
    ("GET", "/forwarding/entries/{entry_a}/package.zip", A_AND_PROVINCE),
    ("GET", "/forwarding/entries/{entry_b}/package.zip", B_AND_PROVINCE),
    # A forwarded entry has moved into the province's edition: its district no longer manages it.
    ("GET", "/forwarding/entries/{forwarded_a}/package.zip", PROVINCE_ONLY),
    ("GET", "/forwarding/{parent}", PROVINCE_ONLY),
    ("GET", "/forwarding/{parent}/children", PROVINCE_ONLY),
    ("POST", "/forwarding/{parent}/children/window", PROVINCE_ONLY),
    ("POST", "/forwarding/{parent}/children/quotas", PROVINCE_ONLY),
    ("POST", "/forwarding/{parent}/children/new", PROVINCE_ONLY),
    ("GET", "/forwarding/{parent}/delegation", PROVINCE_ONLY),
    ("POST", "/forwarding/{parent}/delegation", PROVINCE_ONLY),
    ("GET", "/forwarding/{parent}/delegation.xlsx", PROVINCE_ONLY),
    ("GET", "/forwarding/{parent}/delegation.zip", PROVINCE_ONLY),
    # The entries themselves: the contests package's entry page hides them from everyone else (404).
    ("GET", "/contests/entries/{entry_a}", A_AND_PROVINCE | {JUDGE: 404}),
    ("GET", "/contests/entries/{entry_b}", B_AND_PROVINCE | {JUDGE: 404}),
]


@pytest.fixture
def world():
    levels = make_levels(children=2, entries=2)
    (child_a, child_b), (org_a, org_b) = levels.children, levels.organizers
    (forward_a,) = services.forward_entries(child_a, levels.entries[0][:1], "manual", by=org_a)
    (forward_b,) = services.forward_entries(child_b, levels.entries[1][:1], "manual", by=org_b)
    db.session.commit()
    people = {
        PROVINCE: levels.province_organizer,
        DISTRICT_A: org_a,
        DISTRICT_B: org_b,
        JUDGE: make_judge(child_a, 7),
        ANON: None,
    }
    targets = {
        "parent": levels.parent.id,
        "child_a": child_a.id,
        "child_b": child_b.id,
        "forward_a": forward_a.id,
        "forward_b": forward_b.id,
        "entry_a": levels.entries[0][1].id,
        "entry_b": levels.entries[1][1].id,
        "forwarded_a": levels.entries[0][0].id,
    }
    return levels, people, targets


CASES = [(method, url, who, expected[who]) for method, url, expected in MATRIX for who in WHO]


@pytest.mark.parametrize(("method", "url", "who", "expected"), CASES, ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES])
def test_scoping(client, world, method, url, who, expected):
    _levels, people, targets = world
    if people[who] is not None:
        login(client, people[who])
    response = client.open(url.format(**targets), method=method, data={})
    code = response.status_code
    if expected == OK:
        assert code in ((200,) if method == "GET" else (200, 302)), code
    elif expected == LOGIN:
        assert code == 302 and "/account/login" in response.headers["Location"]
    else:
        assert code == expected


def test_each_district_sees_only_its_own_entries_and_forwards_and_the_province_sees_all(client, world):
    levels, people, targets = world
    a_codes = [e.code for e in levels.entries[0]]
    b_codes = [e.code for e in levels.entries[1]]
    page = text(login(client, people[DISTRICT_A]).get(f"/forwarding/{targets['child_a']}"))
    assert all(code in page for code in a_codes) and not any(code in page for code in b_codes)
    page = text(login(client, people[PROVINCE]).get(f"/forwarding/{targets['parent']}/children"))
    assert levels.children[0].name in page and levels.children[1].name in page
    page = text(client.get(f"/contests/manage/{targets['parent']}/entries"))
    assert a_codes[0] in page and b_codes[0] in page  # both forwarded entries are the province's now
    response = login(client, people[DISTRICT_A]).get(f"/contests/manage/{targets['child_b']}/entries")
    assert response.status_code in (403, 404)
