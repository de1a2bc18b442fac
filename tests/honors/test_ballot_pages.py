"""The council's and the organizers' ballot pages: who sees which ballot, voting from the page (a refused vote comes
back with what was typed), the chair closing, secret mode hiding who voted what, bounded queries."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import BodyNominator
from honors.services import ballots as service
from tests.honors.ballot_factories import closed_ballot, evidence_file, open_ballot, vote_all, voting_honors


def test_a_council_member_sees_only_the_ballots_of_their_campaign(client, login_as):
    ours = voting_honors(name="Tôn vinh trí thức 2026")
    theirs = voting_honors(name="Tuyên dương trí thức trẻ", council=2)
    open_ballot(ours)
    open_ballot(theirs)
    member = ours.council[1]
    login_as(member)
    index = client.get("/honors/council/").get_data(as_text=True)
    assert "Tôn vinh trí thức 2026" in index and "Tuyên dương trí thức trẻ" not in index
    assert client.get(f"/honors/council/{ours.campaign.id}").status_code == 200
    assert client.get(f"/honors/council/{theirs.campaign.id}").status_code == 404
    dossier = theirs.eligible()[0]
    voted = client.post(
        f"/honors/council/{theirs.campaign.id}/dossiers/{dossier.id}/vote", data={f"d{dossier.id}-choice": "agree"}
    )
    assert voted.status_code == 404 and db.session.scalar(select(Vote.id)) is None


def test_a_nominator_sees_no_ballot(client, login_as):
    honors = voting_honors()
    open_ballot(honors)
    login_as(honors.nominators[0])
    assert client.get("/honors/council/").status_code == 403
    assert client.get(f"/honors/council/{honors.campaign.id}").status_code == 403


def test_the_ballot_page_lists_the_nominees_without_private_contact_and_with_evidence(client, login_as):
    honors = voting_honors()
    evidence = evidence_file(honors.eligible()[0])
    open_ballot(honors)
    login_as(honors.council[1])
    page = client.get(f"/honors/council/{honors.campaign.id}").get_data(as_text=True)
    for dossier in honors.eligible():
        assert dossier.full_name in page
        assert dossier.email not in page and dossier.phone not in page
    for dossier in honors.dossiers:
        if dossier.status != "eligible":
            assert dossier.full_name not in page
    link = f"/honors/council/{honors.campaign.id}/dossiers/{evidence.dossier_id}/files/{evidence.id}"
    assert link in page
    assert client.get(link).data.startswith(b"%PDF")


def test_voting_from_the_page_and_changing_the_vote(client, login_as):
    honors = voting_honors()
    open_ballot(honors)
    dossier = honors.eligible()[0]
    login_as(honors.council[1])
    url = f"/honors/council/{honors.campaign.id}/dossiers/{dossier.id}/vote"
    first = client.post(url, data={f"d{dossier.id}-choice": "disagree", f"d{dossier.id}-comment": "Cần bổ sung"})
    assert first.status_code == 302
    client.post(url, data={f"d{dossier.id}-choice": "agree", f"d{dossier.id}-comment": "Đã bổ sung"})
    votes = list(db.session.scalars(select(Vote)))
    assert len(votes) == 1 and votes[0].choice == "agree" and votes[0].comment == "Đã bổ sung"
    page = client.get(f"/honors/council/{honors.campaign.id}").get_data(as_text=True)
    assert "Đã bổ sung" in page


def test_a_refused_vote_comes_back_with_what_was_typed(client, login_as):
    honors = voting_honors()
    open_ballot(honors)
    dossier = honors.eligible()[0]
    login_as(honors.council[1])
    refused = client.post(
        f"/honors/council/{honors.campaign.id}/dossiers/{dossier.id}/vote",
        data={f"d{dossier.id}-choice": "maybe", f"d{dossier.id}-comment": "Ý kiến dài đã gõ"},
    )
    assert refused.status_code == 200
    body = refused.get_data(as_text=True)
    assert "Ý kiến dài đã gõ" in body and "invalid-feedback" in body
    assert db.session.scalar(select(Vote.id)) is None


def test_a_member_with_a_conflict_sees_why_and_is_recorded_as_abstaining(client, login_as):
    honors = voting_honors(dossiers=("eligible",), bodies=1)
    dossier = honors.eligible()[0]
    member = honors.council[1]
    db.session.add(BodyNominator(body_id=dossier.body_id, campaign_id=honors.campaign.id, user_id=member.id))
    db.session.commit()
    open_ballot(honors)
    login_as(member)
    page = client.get(f"/honors/council/{honors.campaign.id}").get_data(as_text=True)
    assert 'data-testid="conflict"' in page
    client.post(
        f"/honors/council/{honors.campaign.id}/dossiers/{dossier.id}/vote", data={f"d{dossier.id}-choice": "agree"}
    )
    vote = db.session.scalar(select(Vote))
    assert vote.choice == "abstain" and vote.forced and vote.forced_reason == "own_body"


def test_only_the_chair_closes_from_the_council_page(client, login_as):
    honors = voting_honors()
    open_ballot(honors)
    url = f"/honors/council/{honors.campaign.id}/close"
    login_as(honors.council[1])
    assert 'data-testid="chair-close"' not in client.get(f"/honors/council/{honors.campaign.id}").get_data(as_text=True)
    client.post(url)
    assert db.session.scalar(select(Ballot.status)) == "open"
    login_as(honors.council[0])
    assert 'data-testid="chair-close"' in client.get(f"/honors/council/{honors.campaign.id}").get_data(as_text=True)
    client.post(url)
    assert db.session.scalar(select(Ballot.status)) == "closed"
    assert db.session.scalar(select(Ballot.close_reason)) == "chair"


def test_organizer_opens_the_ballot_and_a_bad_time_comes_back_beside_the_field(client, login_as):
    honors = voting_honors()
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/ballot")
    assert page.status_code == 200 and 'data-testid="open-ballot"' in page.get_data(as_text=True)
    refused = client.post(
        f"/honors/manage/{honors.campaign.id}/ballot/open",
        data={"opens_at": "01/06/2030 08:00", "closes_at": "01/05/2030 17:00"},
    )
    assert refused.status_code == 200 and "01/05/2030 17:00" in refused.get_data(as_text=True)
    assert service.ballot_of(honors.campaign) is None or service.ballot_of(honors.campaign).status == "draft"
    opened = client.post(f"/honors/manage/{honors.campaign.id}/ballot/open", data={"closes_at": "01/05/2030 17:00"})
    assert opened.status_code == 302
    ballot = db.session.scalar(select(Ballot))
    assert ballot.status == "open" and ballot.closes_at.year == 2030 and ballot.closes_at.hour == 10  # 17:00 in Vietnam


def test_secret_ballot_pages_show_who_voted_but_never_what(client, login_as):
    honors = voting_honors(dossiers=("eligible",), council=3, ballot_mode="secret")
    dossier = honors.eligible()[0]
    ballot = open_ballot(honors)
    vote_all(ballot, honors, {dossier.id: ["disagree", "agree"]})
    service.cast_vote(ballot, dossier, honors.council[2], "disagree", "Nhận xét kín")
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/ballot").get_data(as_text=True)
    assert 'data-testid="named-votes"' not in page
    assert "Thành viên Hội đồng 1" in page  # progress: who has voted
    assert "Nhận xét kín" in page  # comments without names
    row = re.search(rf'<tr data-dossier="{dossier.id}">.*?</tr>', page, re.S).group(0)
    assert 'data-count="agree">1<' in row and 'data-count="disagree">2<' in row
    assert "Thành viên Hội đồng" not in row


def test_open_ballot_pages_name_the_votes(client, login_as):
    honors = voting_honors(dossiers=("eligible",), council=2, ballot_mode="open")
    dossier = honors.eligible()[0]
    closed_ballot(honors, {dossier.id: ["agree", "disagree"]})
    login_as(honors.organizer)
    page = client.get(f"/honors/manage/{honors.campaign.id}/ballot").get_data(as_text=True)
    assert 'data-testid="named-votes"' in page
    assert re.search(r"Thành viên Hội đồng 2: [^<]*", page)


def test_ballot_pages_cost_a_bounded_number_of_queries(client, login_as, count_queries):
    def measure(n: int) -> tuple[int, int]:
        honors = voting_honors(dossiers=("eligible",) * n, council=3)
        ballot = open_ballot(honors)
        for dossier in honors.eligible():
            evidence_file(dossier)
        vote_all(ballot, honors, {d.id: ["agree", "disagree", "abstain"] for d in honors.eligible()})
        login_as(honors.council[1])
        with count_queries() as member_page:
            assert client.get(f"/honors/council/{honors.campaign.id}").status_code == 200
        login_as(honors.organizer)
        with count_queries() as manage_page:
            assert client.get(f"/honors/manage/{honors.campaign.id}/ballot").status_code == 200
        return member_page.n, manage_page.n

    small = measure(2)
    large = measure(8)
    assert large == small


def test_council_members_get_a_ballots_link_and_others_do_not(client, login_as):
    honors = voting_honors()
    login_as(honors.council[1])
    assert 'data-testid="nav-ballots"' in client.get("/").get_data(as_text=True)
    login_as(honors.nominators[0])
    assert 'data-testid="nav-ballots"' not in client.get("/").get_data(as_text=True)
