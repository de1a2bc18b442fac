"""Ballot services: opening, voting (one vote per member and nominee, replaced while open, refused after),
forced abstentions, closing by the chair or by time, results, and the audit log of a secret ballot."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from app.timefmt import utcnow
from honors import tally
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import BodyNominator, Campaign, Dossier
from honors.services import ballot_results as readers
from honors.services import ballots as service
from tests.honors.ballot_factories import closed_ballot, open_ballot, vote_all, voting_honors
from tests.threads import run_at_once


def _votes() -> int:
    return db.session.scalar(select(func.count(Vote.id)))


def test_only_eligible_dossiers_are_on_the_ballot():
    honors = voting_honors()
    ids = [d.id for d in service.nominees(honors.campaign)]
    assert sorted(ids) == sorted(d.id for d in honors.eligible())
    ballot = open_ballot(honors)
    withdrawn = next(d for d in honors.dossiers if d.status == "withdrawn")
    ineligible = next(d for d in honors.dossiers if d.status == "ineligible")
    for dossier in (withdrawn, ineligible):
        with pytest.raises(service.BallotError) as refused:
            service.cast_vote(ballot, dossier, honors.council[1], "agree")
        assert refused.value.code == "not_nominee"


def test_opening_needs_the_voting_stage_a_council_and_nominees():
    honors = voting_honors(status="screening")
    with pytest.raises(service.BallotError) as refused:
        open_ballot(honors)
    assert refused.value.code == "not_voting"
    db.session.rollback()
    empty = voting_honors(dossiers=("ineligible",))
    with pytest.raises(service.BallotError) as none:
        open_ballot(empty)
    assert none.value.code == "no_nominees"
    db.session.rollback()
    nobody = voting_honors(council=0)
    with pytest.raises(service.BallotError) as members:
        open_ballot(nobody)
    assert members.value.code == "no_members"


def test_opening_freezes_mode_and_rules():
    honors = voting_honors(ballot_mode="open", honor_count=2, quorum_mode="count", quorum_count=3)
    ballot = open_ballot(honors)
    assert ballot.status == "open" and ballot.secret is False
    assert ballot.rules == {"threshold": "2/3", "quorum_share": None, "quorum_count": 3, "number_to_honor": 2}
    honors.campaign.ballot_mode = "secret"
    honors.campaign.pass_numerator = 1
    db.session.commit()
    rules = service.rules_of(ballot, 5)
    assert rules.threshold == tally.Fraction(2, 3) and rules.quorum_count == 3 and not ballot.secret
    with pytest.raises(service.BallotError) as again:
        open_ballot(honors)
    assert again.value.code == "already_open"


def test_a_member_voting_twice_stores_one_vote_the_second_replacing_the_first():
    honors = voting_honors()
    ballot = open_ballot(honors)
    dossier, member = honors.eligible()[0], honors.council[1]
    service.cast_vote(ballot, dossier, member, "disagree", "Chưa đủ thành tích")
    service.cast_vote(ballot, dossier, member, "agree", "Đã xem lại hồ sơ")
    votes = list(db.session.scalars(select(Vote)))
    assert len(votes) == 1 and votes[0].choice == "agree" and votes[0].comment == "Đã xem lại hồ sơ"
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ballot.vote")))
    assert [e.after["replaced"] for e in entries] == [False, True]


def test_a_vote_after_closing_is_refused_and_changes_nothing():
    honors = voting_honors()
    ballot = open_ballot(honors)
    dossier, member = honors.eligible()[0], honors.council[1]
    service.cast_vote(ballot, dossier, member, "agree")
    service.close_ballot(ballot, by=honors.council[0], reason="chair")
    with pytest.raises(service.BallotError) as refused:
        service.cast_vote(ballot, dossier, member, "disagree")
    assert refused.value.code == "not_open"
    db.session.rollback()
    assert [v.choice for v in db.session.scalars(select(Vote))] == ["agree"]


def test_no_vote_once_the_campaign_left_its_voting_stage():
    honors = voting_honors()
    ballot = open_ballot(honors)
    honors.campaign.status = "screening"  # moved back on the campaign's page
    db.session.commit()
    with pytest.raises(service.BallotError) as refused:
        service.cast_vote(ballot, honors.eligible()[0], honors.council[1], "agree")
    assert refused.value.code == "not_accepting"


def test_only_the_chair_closes_among_members_and_closing_moves_the_campaign():
    honors = voting_honors()
    ballot = open_ballot(honors)
    with pytest.raises(service.BallotError) as refused:
        service.close_ballot(ballot, by=honors.council[1], reason="chair")
    assert refused.value.code == "not_chair"
    db.session.rollback()
    service.close_ballot(ballot, by=honors.council[0], reason="chair")
    assert ballot.status == "closed" and ballot.close_reason == "chair" and ballot.member_count == 5
    assert db.session.get(Campaign, honors.campaign.id).status == "closed"
    with pytest.raises(service.BallotError):
        service.close_ballot(ballot, by=honors.organizer, reason="organizer")


def test_the_ballot_closes_by_time_and_not_before_it_opens():
    honors = voting_honors()
    now = utcnow()
    ballot = open_ballot(honors, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2))
    dossier, member = honors.eligible()[0], honors.council[1]
    with pytest.raises(service.BallotError) as early:
        service.cast_vote(ballot, dossier, member, "agree")
    assert early.value.code == "not_accepting"
    db.session.rollback()
    service.close_if_due(ballot, now + timedelta(hours=1, minutes=30))
    assert ballot.status == "open"
    service.close_if_due(ballot, now + timedelta(hours=3))
    assert ballot.status == "closed" and ballot.close_reason == "time" and ballot.closed_by_id is None


def test_closing_time_must_follow_opening():
    honors = voting_honors()
    now = utcnow()
    with pytest.raises(service.BallotError) as refused:
        open_ballot(honors, opens_at=now + timedelta(hours=2), closes_at=now + timedelta(hours=1))
    assert refused.value.code == "bad_times"


def test_a_member_of_the_nominating_body_or_the_nominee_unit_is_made_to_abstain():
    honors = voting_honors(dossiers=("eligible", "eligible", "eligible"), bodies=2)
    first, second, third = honors.eligible()
    body_member, unit_member, free = honors.council[1], honors.council[2], honors.council[3]
    db.session.add(BodyNominator(body_id=first.body_id, campaign_id=honors.campaign.id, user_id=body_member.id))
    unit_org = first.body.organisation  # second's nominee works at the first body's organisation
    second.unit_organisation_id = unit_org.id
    unit_member.organisation_id = unit_org.id
    db.session.commit()

    ballot = open_ballot(honors)
    forced = service.cast_vote(ballot, first, body_member, "agree", "Ứng viên xuất sắc")
    assert forced.choice == "abstain" and forced.forced and forced.forced_reason == "own_body"
    by_unit = service.cast_vote(ballot, second, unit_member, "disagree")
    assert by_unit.choice == "abstain" and by_unit.forced_reason == "same_unit"
    free_vote = service.cast_vote(ballot, third, free, "agree")
    assert not free_vote.forced

    # the unit member's organisation is also the first body's: its nominees are their own body's
    rows = {r.dossier.id: r.conflict for r in readers.member_ballot(ballot, unit_member)}
    assert rows == {first.id: "own_body", second.id: "same_unit", third.id: "own_body"}
    assert {r.conflict for r in readers.member_ballot(ballot, free)} == {None}


def test_same_unit_by_name_when_the_unit_is_not_an_organisation_record():
    honors = voting_honors(dossiers=("eligible",), bodies=1)
    dossier = honors.eligible()[0]
    member = honors.council[1]
    from tests.competitions.factories import make_organisation

    org = make_organisation("Bệnh viện  đa khoa TỈNH")
    member.organisation_id = org.id
    db.session.commit()
    ballot = open_ballot(honors)
    assert service.member_conflicts(ballot, db.session.get(User, member.id), [dossier]) == {dossier.id: "same_unit"}


def test_results_count_quorum_and_pass():
    honors = voting_honors(dossiers=("eligible", "eligible", "eligible"), council=6, honor_count=5)
    a, b, c = honors.eligible()
    ballot = closed_ballot(
        honors,
        {
            a.id: ["agree", "agree", "agree", "agree", "disagree", "abstain"],  # 4/5 passes
            b.id: ["agree", "agree", "disagree", "disagree", "abstain", "abstain"],  # 2/4 fails
            c.id: ["agree", "agree", "agree"],  # 3 of 6 took part: quorum is 4 (2/3 of 6)
        },
    )
    result = readers.results(ballot)
    assert result.members == 6 and result.named is None
    ra, rb, rc = result.row(a), result.row(b), result.row(c)
    assert (ra.agree, ra.disagree, ra.abstain, ra.passed, ra.outcome) == (4, 1, 1, True, tally.HONORED)
    assert (rb.passed, rb.outcome) == (False, tally.FAILED)
    assert (rc.quorum_met, rc.outcome) == (False, tally.NO_QUORUM)


def test_open_ballot_results_name_the_voters_and_secret_ones_do_not():
    open_mode = voting_honors(dossiers=("eligible",), council=3, ballot_mode="open")
    dossier = open_mode.eligible()[0]
    ballot = closed_ballot(open_mode, {dossier.id: ["agree", "disagree", "agree"]})
    named = readers.results(ballot).named[dossier.id]
    assert sorted((n.member_name, n.choice) for n in named) == [
        ("Thành viên Hội đồng 1", "agree"),
        ("Thành viên Hội đồng 2", "disagree"),
        ("Thành viên Hội đồng 3", "agree"),
    ]


def test_secret_ballot_audit_log_never_says_what_a_member_chose():
    honors = voting_honors(dossiers=("eligible",), council=3, ballot_mode="secret")
    dossier = honors.eligible()[0]
    ballot = open_ballot(honors)
    service.cast_vote(ballot, dossier, honors.council[1], "disagree", "Lý do riêng")
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ballot.vote")))
    assert len(entries) == 1
    assert "choice" not in entries[0].after and "disagree" not in str(entries[0].after)
    assert entries[0].actor_id == honors.council[1].id


def test_progress_counts_votes_per_member_without_choices():
    honors = voting_honors(dossiers=("eligible", "eligible"), council=3)
    a, b = honors.eligible()
    ballot = open_ballot(honors)
    vote_all(ballot, honors, {a.id: ["agree", "disagree"], b.id: ["agree"]})
    progress = readers.progress(ballot)
    assert [n for _m, n in progress.members] == [2, 1, 0] and progress.done == 1 and progress.nominees == 2


def test_the_same_vote_sent_twice_at_once_stores_one_vote(monkeypatch):
    honors = voting_honors(dossiers=("eligible",), council=3)
    ballot = open_ballot(honors)
    ids = (ballot.id, honors.eligible()[0].id, honors.council[1].id)
    db.session.remove()

    barrier = threading.Barrier(2, timeout=30)
    real_existing = service._existing

    def existing_together(ballot_, dossier_, member_):  # both requests look for the vote before either inserts
        found = real_existing(ballot_, dossier_, member_)
        if found is None and not getattr(threading.current_thread(), "looked", False):
            threading.current_thread().looked = True
            db.session.commit()  # release the read lock before waiting for the other thread (SQLite)
            barrier.wait()
        return found

    monkeypatch.setattr(service, "_existing", existing_together)

    def worker(choice: str) -> None:
        b = db.session.get(Ballot, ids[0])
        service.cast_vote(b, db.session.get(Dossier, ids[1]), db.session.get(User, ids[2]), choice)

    run_at_once([lambda: worker("agree"), lambda: worker("disagree")])
    votes = list(db.session.scalars(select(Vote)))
    assert len(votes) == 1 and votes[0].choice in ("agree", "disagree")
    assert _votes() == 1
