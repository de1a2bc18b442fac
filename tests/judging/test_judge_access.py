"""Which judge may see what (judging/views/judge.py): a judge reaches only their own assignments, sheets and
documents; another judge's answer 404, as if they did not exist; the contestants' entry pages stay closed to judges;
a judge never sees another judge's scores or comments; organizers do not use the judges' pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import RoleGrant
from app.extensions import db
from app.uploads import stored_path
from judging.models import Assignment, Conflict, ScoreSheet
from tests.judging.factories import make_judging, score

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def judging():
    """Two judges; the first judges entries 1 and 2, the second entries 2 and 3; documents on disk."""
    built = make_judging(entries=3, judges=2)
    first, second = built.judges
    one, _two, three = built.entries
    db.session.delete(built.assignments.pop((first.id, three.id)))
    db.session.delete(built.assignments.pop((second.id, one.id)))
    db.session.commit()
    for entry in built.entries:
        for document in entry.documents:
            stored_path(f"entries/{entry.id}", document.stored_name).write_bytes(PDF)
    return built


def urls(assignment: Assignment, document_id: int) -> list[tuple[str, str, dict]]:
    base = f"/judging/assignments/{assignment.id}"
    return [
        ("GET", base, {}),
        ("POST", base, {"save": "1"}),
        ("GET", f"{base}/documents/{document_id}", {}),
        ("POST", f"{base}/conflict", {"conflict-kind": "family"}),
    ]


def test_another_judges_assignment_sheet_and_documents_do_not_exist(client, login_as, judging):
    first, second = judging.judges
    _one, two, three = judging.entries
    theirs = judging.assignment(second, three)
    score(judging, second, three, [20, 20, 30], submit=False)
    login_as(first)
    for method, url, data in urls(theirs, three.documents[0].id):
        assert client.open(url, method=method, data=data).status_code == 404, (method, url)
    # The entry they share: still the other judge's assignment, still 404 through its id.
    shared = judging.assignment(second, two)
    for method, url, data in urls(shared, two.documents[0].id):
        assert client.open(url, method=method, data=data).status_code == 404, (method, url)
    assert db.session.get(Assignment, theirs.id) is not None and db.session.get(Assignment, shared.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Conflict)) == 0
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    html = client.get("/judging/").get_data(as_text=True)
    assert three.code not in html and f"/judging/assignments/{theirs.id}" not in html


def test_documents_of_an_entry_not_assigned_are_not_served_through_ones_own_assignment(client, login_as, judging):
    first = judging.judges[0]
    one, _two, three = judging.entries
    mine = judging.assignment(first, one)
    login_as(first)
    assert client.get(f"/judging/assignments/{mine.id}/documents/{one.documents[0].id}").status_code == 200
    assert client.get(f"/judging/assignments/{mine.id}/documents/{three.documents[0].id}").status_code == 404
    assert client.get(f"/judging/assignments/{mine.id}/documents/999999").status_code == 404


def test_the_contestants_entry_pages_stay_closed_to_judges(client, login_as, judging):
    first = judging.judges[0]
    one = judging.entries[0]
    login_as(first)
    assert client.get(f"/contests/entries/{one.id}").status_code in (403, 404)
    assert client.get(f"/contests/entries/{one.id}/documents/{one.documents[0].id}").status_code in (403, 404)


def test_a_judge_never_sees_another_judges_scores_or_comment(client, login_as, judging):
    first, second = judging.judges
    two = judging.entries[1]
    score(judging, second, two, [17.5, 22.5, 31.5], comment="Nhận xét riêng của giám khảo thứ hai")
    html = login_as(first).get(f"/judging/assignments/{judging.assignment(first, two).id}").get_data(as_text=True)
    assert "Nhận xét riêng của giám khảo thứ hai" not in html
    for value in ("17,5", "22,5", "31,5", "71,5"):
        assert value not in html
    assert second.full_name not in html
    assert 'data-sheet-status="none"' in html  # their own sheet, not started


def test_a_judge_whose_role_for_the_contest_was_removed_loses_its_pages(client, login_as, judging):
    first = judging.judges[0]
    one = judging.entries[0]
    mine = judging.assignment(first, one)
    db.session.execute(RoleGrant.__table__.delete().where(RoleGrant.user_id == first.id))
    first.role_grants.append(RoleGrant(role="judge", scope_type="contest", scope_id=judging.contest.id + 1000))
    db.session.commit()
    login_as(first)
    html = client.get("/judging/").get_data(as_text=True)
    assert one.code not in html
    assert client.get(f"/judging/assignments/{mine.id}").status_code == 404


def test_organizers_and_visitors_do_not_use_the_judges_pages(client, login_as, judging):
    first = judging.judges[0]
    mine = judging.assignment(first, judging.entries[0])
    login_as(judging.organizer)
    assert client.get("/judging/").status_code == 403
    assert client.get(f"/judging/assignments/{mine.id}").status_code == 403
    login_as(None)
    response = client.get(f"/judging/assignments/{mine.id}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
