"""A child edition's forwarding page (forwarding/views/child.py, withdraw.py): the window and quota, the eligible
entries with their result, pre-checked by rank or award, the forward and its refusals (said at the top, what was
checked kept), the forwarded list and withdrawals with a reason; the entry's panel at the parent; bounded queries."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import format_datetime, utcnow
from forwarding import services
from forwarding.models import Forward
from judging.models import Assignment
from tests.forwarding.factories import judge_child, make_levels
from tests.judging.factories import make_eligible_entry


def login(client, user):
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["lang"] = "en"  # the messages the tests read, whatever the Vietnamese catalogue says
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def checked(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'name="entry_ids" value="(\d+)" id="entry-\d+" checked', page)}


def test_the_page_shows_the_window_the_quota_and_the_entries_with_their_result(client):
    levels = make_levels(entries=3, quota=2)
    child, district = levels.children[0], levels.organizers[0]
    best, middle, last = levels.entries[0]
    judge_child(child, levels.entries[0], [90, 60, 80], by=district)
    page = text(login(client, district).get(f"/forwarding/{child.id}"))
    assert levels.parent.name in page
    assert format_datetime(levels.parent.forward_closes_at) in page
    assert "0 of 2 used, 2 left" in page and 'data-window="open"' in page
    for entry in levels.entries[0]:
        assert f'data-entry-id="{entry.id}"' in page
    assert "Giải Nhất" in page  # the stored award of the best entry
    assert checked(page) == set()

    # By rank: the best of each field first (fields alternate: best and last in one, middle in the other).
    assert checked(text(client.get(f"/forwarding/{child.id}?by=rank&top=2"))) == {best.id, middle.id}
    assert checked(text(client.get(f"/forwarding/{child.id}?by=rank&top=1"))) == {best.id}
    assert 'name="basis" type="hidden" value="rank"' in text(client.get(f"/forwarding/{child.id}?by=rank&top=1"))
    # By award: every awarded entry (all three are within the default quotas per field).
    awarded = text(client.get(f"/forwarding/{child.id}?by=award&tier="))
    assert checked(awarded) == {best.id, middle.id, last.id}
    assert checked(text(client.get(f"/forwarding/{child.id}?by=award&tier=first"))) == {best.id, middle.id}
    page = text(client.get(f"/forwarding/{child.id}?by=rank&top=abc"))
    assert checked(page) == set() and "is-invalid" in page


def test_forwarding_two_entries_then_withdrawing_one(client):
    levels = make_levels(entries=3)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    first, second, third = levels.entries[0]
    response = login(client, district).post(
        f"/forwarding/{child.id}", data={"entry_ids": [str(first.id), str(second.id)], "basis": "rank"}
    )
    assert response.status_code == 302
    assert {e.contest_id for e in (first, second)} == {parent.id} and third.contest_id == child.id
    forwards = db.session.scalars(select(Forward).order_by(Forward.id)).all()
    assert [(f.entry_id, f.basis, f.forwarded_by_id) for f in forwards] == [
        (first.id, "rank", district.id),
        (second.id, "rank", district.id),
    ]
    page = text(client.get(response.headers["Location"]))
    assert "2 entries have been forwarded" in page
    assert f'data-forward-id="{forwards[0].id}" data-active="yes"' in page
    assert f'data-entry-id="{third.id}"' in page and f'data-entry-id="{first.id}"' not in page

    # The reason is required; what was typed in another row is not lost.
    url = f"/forwarding/forwards/{forwards[0].id}/withdraw"
    response = client.post(url, data={f"f{forwards[0].id}-reason": ""})
    assert response.status_code == 200 and "Please fill in this field." in text(response)
    assert forwards[0].active
    response = client.post(url, data={f"f{forwards[0].id}-reason": "Chọn nhầm bài"})
    assert response.status_code == 302
    db.session.refresh(forwards[0])
    assert not forwards[0].active and first.contest_id == child.id and first.status == "eligible"
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(first.id)))
    assert "entry.forward_withdraw" in list(actions)


def test_refusals_are_said_and_what_was_checked_is_kept(client):
    levels = make_levels(entries=3, quota=1)
    child, district = levels.children[0], levels.organizers[0]
    first, second, _third = levels.entries[0]
    response = login(client, district).post(f"/forwarding/{child.id}", data={"entry_ids": [first.id, second.id]})
    page = text(response)
    assert response.status_code == 200 and 'data-testid="forward-errors"' in page
    assert "Only 1 more entry may be forwarded (quota 1): choose fewer." in page
    assert checked(page) == {first.id, second.id}
    assert db.session.scalar(select(Forward.id)) is None

    other = levels.entries[1][0]  # another district's entry: refused, never moved
    page = text(client.post(f"/forwarding/{child.id}", data={"entry_ids": [other.id]}))
    assert f"Not entries of this edition (any more): {other.code}." in page
    assert other.contest_id == levels.children[1].id

    page = text(client.post(f"/forwarding/{child.id}", data={"entry_ids": ["x", ""]}))
    assert "Choose at least one entry." in page

    levels.parent.forward_closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    page = text(client.get(f"/forwarding/{child.id}"))
    assert 'data-testid="window-message"' in page and "Forwarding closed on" in page
    page = text(client.post(f"/forwarding/{child.id}", data={"entry_ids": [first.id]}))
    assert "Forwarding closed on" in page and first.contest_id == child.id


def test_a_forward_in_a_parent_round_cannot_be_withdrawn(client):
    levels = make_levels(entries=1)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    (entry,) = levels.entries[0]
    (forward,) = services.forward_entries(child, [entry], "manual", by=district)
    entry.status = "eligible"
    db.session.commit()
    from judging import services as judging

    round_ = judging.create_round(parent, "preliminary", by=levels.province_organizer)
    judging.add_eligible_entries(round_, by=levels.province_organizer)
    db.session.commit()
    page = text(login(client, district).get(f"/forwarding/{child.id}"))
    assert f'data-testid="cannot-withdraw-{forward.id}"' in page and "In a judging round of the parent edition." in page
    response = client.post(f"/forwarding/forwards/{forward.id}/withdraw", data={f"f{forward.id}-reason": "Rút"})
    assert response.status_code == 200
    assert "The entry is already in a judging round of the parent edition." in text(response)
    assert forward.active and entry.contest_id == parent.id


def test_the_entry_page_shows_where_it_came_from_to_the_parents_organizers_only(client):
    levels = make_levels(entries=2)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    round_ = judge_child(child, levels.entries[0], [90, 50], by=district)
    entry = levels.entries[0][0]
    services.forward_entries(child, [entry], "award", by=district)
    db.session.commit()
    page = text(login(client, levels.province_organizer).get(f"/contests/entries/{entry.id}"))
    assert 'data-testid="forwarded-from"' in page
    assert f"Forwarded from {child.name}" in page and "Giải Nhất" in page and round_.name in page
    # The child's judge still sees the entry they scored (judging lets them), never where it came from.
    judge = db.session.scalar(select(Assignment).where(Assignment.entry_id == entry.id)).judge
    response = login(client, judge).get(f"/contests/entries/{entry.id}")
    assert 'data-testid="forwarding-panel"' not in text(response)
    # The owner neither.
    response = login(client, levels.owner).get(f"/contests/entries/{entry.id}")
    assert response.status_code == 200 and 'data-testid="forwarding-panel"' not in text(response)
    # And it is in the parent's list of entries.
    page = text(login(client, levels.province_organizer).get(f"/contests/manage/{parent.id}/entries"))
    assert f'data-entry-id="{entry.id}"' in page


def test_an_edition_without_parent_says_where_its_entries_go(client):
    levels = make_levels(children=1)
    page = text(login(client, levels.province_organizer).get(f"/forwarding/{levels.parent.id}"))
    assert 'data-testid="no-parent"' in page and f"/forwarding/{levels.parent.id}/delegation" in page
    response = client.post(f"/forwarding/{levels.parent.id}", data={"entry_ids": [levels.entries[0][0].id]})
    assert "This edition has no parent edition to forward entries to." in text(response)


def test_the_child_page_costs_the_same_queries_for_3_and_12_entries(client, count_queries):
    def measure(n: int) -> int:
        levels = make_levels(children=1, entries=n)
        child, district = levels.children[0], levels.organizers[0]
        judge_child(child, levels.entries[0], [90 - i for i in range(n)], by=district)
        services.forward_entries(child, levels.entries[0][:2], "manual", by=district)
        db.session.commit()
        login(client, district)
        client.get(f"/forwarding/{child.id}")  # warm up (the session's account)
        with count_queries() as counted:
            response = client.get(f"/forwarding/{child.id}?by=rank&top=3")
        assert response.status_code == 200
        return counted.n

    assert measure(3) == measure(12)


def test_the_parents_entry_list_and_screening_take_the_forwarded_entry(client):
    levels = make_levels(entries=1)
    child, parent, district = levels.children[0], levels.parent, levels.organizers[0]
    (entry,) = levels.entries[0]
    services.forward_entries(child, [entry], "manual", by=district)
    db.session.commit()
    extra = make_eligible_entry(parent, levels.owner, 0, 99)  # the province's own entries carry on numbering
    assert extra.seq == 1 and entry.seq is None
    response = login(client, levels.province_organizer).post(
        f"/contests/manage/entries/{entry.id}/screen", data={"decision": "eligible", "note": ""}
    )
    assert response.status_code == 302 and entry.status == "eligible"
