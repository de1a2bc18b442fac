"""Invitees from every source, one invitee and one pass per person; cancelling; the list and its cost in queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from events.models.events import Invitee, Pass
from events.services import invitees as invitee_services
from events.services.invitees import PersonIn
from judging.models import Round, RoundEntry
from results.models import Award
from tests.conftest import outbox
from tests.events.factories import make_event, make_invitee, make_organizer
from tests.honors.factories import make_honors
from tests.judging.factories import make_eligible_entry, make_judging


@pytest.fixture
def contest_event():
    """A contest of 3 entries (authors "Tác giả 1..3"), a 4th entry by "Tác giả 1" again (same person: same name
    and birth date), 2 judges; entries 1 and 2 in the final round; entry 1 awarded; an event of the same body."""
    judging = make_judging(entries=3, judges=2)
    contest = judging.contest
    contest.status = "open"  # (registration open again for a moment: a second entry by the same author)
    again = make_eligible_entry(contest, judging.owner, 0, 1)
    contest.status = "judging"
    final = Round(contest_id=contest.id, kind="final", name="Chung khảo", position=1)
    db.session.add(final)
    db.session.flush()
    for entry in judging.entries[:2]:
        db.session.add(RoundEntry(round_id=final.id, entry_id=entry.id))
    db.session.add(
        Award(
            contest_id=contest.id,
            entry_id=judging.entries[0].id,
            tier_code="first",
            tier_name="Giải Nhất",
            score=Decimal("88"),
        )
    )
    db.session.commit()
    event = make_event(organisation=contest.organisation)
    return judging, event, again


def _invitees(event) -> list[Invitee]:
    return list(db.session.scalars(select(Invitee).where(Invitee.event_id == event.id).order_by(Invitee.sort_name)))


def test_authors_of_all_entries_get_one_invitee_and_one_pass_each(contest_event):
    judging, event, _again = contest_event
    people = invitee_services.contest_people(judging.contest, "authors")
    assert len(people) == 4  # four entries, but "Tác giả 1" wrote two of them
    result = invitee_services.add_people(event, people, source="contest", by=judging.organizer)
    db.session.commit()
    invitees = _invitees(event)
    assert [i.full_name for i in invitees] == ["Tác giả 1", "Tác giả 2", "Tác giả 3"]
    assert result.already == ["Tác giả 1"]
    assert all(i.role == "author" and i.status == "invited" and i.source == "contest" for i in invitees)
    assert db.session.scalar(select(func.count(Pass.id)).where(Pass.event_id == event.id)) == 3
    assert all(len(i.passes) == 1 and i.current_pass for i in invitees)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.invitees_add"))
    assert audit.after["count"] == 3 and audit.after["already"] == 1


def test_adding_the_same_group_twice_adds_nobody(contest_event):
    judging, event, _ = contest_event
    for _round in range(2):
        invitee_services.add_people(
            event, invitee_services.contest_people(judging.contest, "authors"), source="contest", by=None
        )
        db.session.commit()
    assert len(_invitees(event)) == 3
    assert db.session.scalar(select(func.count(Pass.id)).where(Pass.event_id == event.id)) == 3


def test_finalists_and_winners_are_the_authors_of_those_entries(contest_event):
    judging, event, _ = contest_event
    finalists = invitee_services.contest_people(judging.contest, "finalists")
    winners = invitee_services.contest_people(judging.contest, "winners")
    assert sorted(p.full_name for p in finalists) == ["Tác giả 1", "Tác giả 2"]
    assert {p.role for p in finalists} == {"finalist"}
    assert [p.full_name for p in winners] == ["Tác giả 1"] and winners[0].role == "winner"
    invitee_services.add_people(event, winners, source="contest", by=None)
    invitee_services.add_people(event, finalists, source="contest", by=None)  # the winner is not added again
    db.session.commit()
    assert {(i.full_name, i.role) for i in _invitees(event)} == {("Tác giả 1", "winner"), ("Tác giả 2", "finalist")}


def test_judges_of_the_contest_are_invited_with_their_accounts(contest_event):
    judging, event, _ = contest_event
    people = invitee_services.contest_people(judging.contest, "judges")
    invitee_services.add_people(event, people, source="judges", by=None)
    db.session.commit()
    invitees = _invitees(event)
    assert {i.user_id for i in invitees} == {j.id for j in judging.judges}
    assert {i.email for i in invitees} == {"gk1@example.vn", "gk2@example.vn"}
    assert {i.role for i in invitees} == {"judge"}


def test_a_lead_author_is_linked_to_the_account_that_entered(contest_event):
    judging, event, _ = contest_event
    invitee_services.add_people(
        event, invitee_services.contest_people(judging.contest, "authors"), source="contest", by=None
    )
    db.session.commit()
    assert {i.user_id for i in _invitees(event)} == {judging.owner.id}


def test_nominees_and_council_of_a_campaign():
    honors = make_honors(("eligible", "eligible", "submitted", "ineligible", "withdrawn", "draft"), council=3)
    event = make_event(organisation=honors.campaign.organisation, kind="award_ceremony")
    nominees = invitee_services.campaign_people(honors.campaign, "nominees")
    names = {p.full_name for p in nominees}
    assert names == {d.full_name for d in honors.eligible()}  # the nominees the council votes on
    council = invitee_services.campaign_people(honors.campaign, "council")
    invitee_services.add_people(event, nominees + council, source="campaign", by=None)
    db.session.commit()
    roles = [i.role for i in _invitees(event)]
    assert roles.count("council_member") == 3 and roles.count("nominee") == 2


def test_the_organizer_invites_a_group_from_the_page(client, login_as, contest_event):
    judging, event, _ = contest_event
    organizer = make_organizer(event)
    login_as(organizer)
    response = client.post(
        f"/events/manage/{event.id}/invitees/from/contest",
        data={"contest-record_id": judging.contest.id, "contest-group": "authors"},
    )
    assert response.status_code == 302
    assert len(_invitees(event)) == 3
    page = client.get(f"/events/manage/{event.id}/invitees").get_data(as_text=True)
    assert "Tác giả 3" in page and 'data-count="holding">3<' in page


def test_a_contest_of_another_body_cannot_be_used(client, login_as, contest_event):
    judging, _event, _ = contest_event
    other = make_event()  # another body's event and organizer
    login_as(make_organizer(other))
    response = client.post(
        f"/events/manage/{other.id}/invitees/from/contest",
        data={"contest-record_id": judging.contest.id, "contest-group": "authors"},
    )
    assert response.status_code in (200, 404)
    assert _invitees(other) == []


def test_adding_by_hand_refuses_someone_already_invited_beside_the_field(client, login_as):
    event = make_event()
    make_invitee(event, "Trần Thị Bình", email="binh@example.vn")
    login_as(make_organizer(event))
    response = client.post(
        f"/events/manage/{event.id}/invitees/add",
        data={"full_name": "TRAN THI BINH", "email": "Binh@Example.vn", "unit": "Sở KH&CN", "role": "guest"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page and 'value="Sở KH&amp;CN"' in page
    assert len(_invitees(event)) == 1
    response = client.post(
        f"/events/manage/{event.id}/invitees/add",
        data={"full_name": "Lê Văn Cường", "email": "cuong@example.vn", "phone": "0912 345 678", "role": "judge"},
    )
    assert response.status_code == 302
    added = next(i for i in _invitees(event) if i.full_name == "Lê Văn Cường")
    assert added.role == "judge" and added.phone == "0912345678" and added.current_pass is not None


def test_bad_input_is_said_beside_the_field_and_kept(client, login_as):
    event = make_event()
    login_as(make_organizer(event))
    response = client.post(
        f"/events/manage/{event.id}/invitees/add",
        data={"full_name": "", "email": "not-an-email", "phone": "12", "unit": "Trường THPT Đồng Xoài"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("invalid-feedback") >= 3 and "Trường THPT Đồng Xoài" in page
    assert _invitees(event) == []


def test_cancelling_revokes_the_pass_and_is_audited(client, login_as):
    event = make_event()
    invitee = make_invitee(event, "Đỗ Văn Em")
    token = invitee.current_pass.token
    login_as(make_organizer(event))
    assert (
        client.post(f"/events/manage/{event.id}/invitees/{invitee.id}/cancel", data={"reason": "Bận"}).status_code
        == 302
    )
    db.session.refresh(invitee)
    assert invitee.status == "cancelled" and invitee.current_pass is None
    assert db.session.scalar(select(Pass).where(Pass.token == token)).revoked_at is not None
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "event.invitee_cancel"))


def test_mailing_invitations_sends_each_pass_link_once(client, login_as):
    event = make_event()
    invitees = [make_invitee(event) for _ in range(3)]
    make_invitee(event, email="")  # no address: no mail
    login_as(make_organizer(event))
    client.post(f"/events/manage/{event.id}/invitations")
    client.post(f"/events/manage/{event.id}/invitations")
    mails = [m for m in outbox() if "/events/pass/" in m.body]
    assert len(mails) == 3
    for invitee in invitees:
        mail = next(m for m in mails if m.recipient == invitee.email)
        assert invitee.current_pass.token in mail.body and event.title in mail.subject


def test_the_invitees_list_costs_the_same_queries_whatever_its_length(client, login_as, count_queries):
    event = make_event()
    login_as(make_organizer(event))
    for _ in range(3):
        make_invitee(event)
    client.get(f"/events/manage/{event.id}/invitees")
    with count_queries() as few:
        assert client.get(f"/events/manage/{event.id}/invitees").status_code == 200
    for _ in range(30):
        make_invitee(event)
    with count_queries() as many:
        page = client.get(f"/events/manage/{event.id}/invitees").get_data(as_text=True)
    assert page.count("data-invitee=") == 33
    assert many.n == few.n, many.statements


def test_the_list_finds_people_without_diacritics():
    event = make_event()
    make_invitee(event, "Nguyễn Thị Ánh")
    make_invitee(event, "Lê Văn Bảo")
    found = db.session.scalars(invitee_services.list_query(event, q="nguyen thi anh")).all()
    assert [i.full_name for i in found] == ["Nguyễn Thị Ánh"]


def test_person_in_key_matches_the_rule():
    person = PersonIn(full_name="Nguyễn Văn An", email="AN@example.vn")
    assert person.key == "email:an@example.vn"


def test_honorees_of_a_published_list_are_invited_with_their_dossiers_contacts():
    from honors.models.ballots import Honoree, HonorList

    honors = make_honors(("eligible", "eligible", "eligible"), council=0)
    event = make_event(organisation=honors.campaign.organisation)
    assert invitee_services.campaign_people(honors.campaign, "honorees") == []  # nothing published yet
    honor_list = HonorList(campaign_id=honors.campaign.id)
    db.session.add(honor_list)
    db.session.flush()
    for position, dossier in enumerate(honors.dossiers[:2], start=1):
        db.session.add(
            Honoree(
                list_id=honor_list.id,
                campaign_id=honors.campaign.id,
                dossier_id=dossier.id,
                position=position,
                full_name=dossier.full_name,
                display_name=f"PGS.TS. {dossier.full_name}",
                unit_name=dossier.unit_name,
            )
        )
    db.session.commit()
    people = invitee_services.campaign_people(honors.campaign, "honorees")
    assert [(p.full_name, p.email, p.role) for p in people] == [
        (d.full_name, d.email, "honoree") for d in honors.dossiers[:2]
    ]
    invitee_services.add_people(event, people, source="campaign", by=None)
    db.session.commit()
    assert {i.role for i in _invitees(event)} == {"honoree"} and len(_invitees(event)) == 2
