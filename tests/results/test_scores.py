"""The ranking round's scores, per-criterion means, and the awards the default plan proposes."""

from __future__ import annotations

from decimal import Decimal

from app.extensions import db
from results.models import TieDecision
from results.ranking import BOARD
from results.services.plans import criterion_key, plan_for
from results.services.scores import entry_scores, propose
from tests.results.factories import make_judged

D = Decimal


def test_entry_scores_carry_the_mean_per_criterion():
    judging = make_judged({1: [[20, 20, 30], [25, 24, 35]], 2: [[10, 10, 10], [12, 10, 10]]})
    scores = {s.entry_id: s for s in entry_scores(judging.round)}
    first = scores[judging.entries[0].id]
    novelty, applicability, effectiveness = (criterion_key(c.id) for c in judging.round.criteria)
    assert first.score == D("77.00") and first.judges == 2
    assert first.criteria == {novelty: D("22.50"), applicability: D("22.00"), effectiveness: D("32.50")}
    assert scores[judging.entries[1].id].score == D("31.00")


def test_the_default_plan_ranks_by_score_then_effectiveness_then_novelty_and_allocates_per_field():
    # entries 2 and 3 have the same total (75); 3 has more on effectiveness: 3 ranks above 2
    judging = make_judged(
        {1: [[28, 28, 38]], 2: [[25, 20, 30]], 3: [[15, 20, 40]], 4: [[10, 10, 10]]},
    )
    contest = judging.contest
    e1, e2, e3, e4 = (e.id for e in judging.entries)
    proposal = propose(contest)
    assert [(r.entry_id, r.rank) for r in proposal.ranked] == [(e1, 1), (e3, 2), (e2, 3), (e4, 4)]
    effectiveness = criterion_key(judging.round.criteria[2].id)
    novelty = criterion_key(judging.round.criteria[0].id)
    assert proposal.chain == [effectiveness, novelty, BOARD]
    assert proposal.ranked[2].decided_by == effectiveness
    # default quotas per field: First 1, Second 2, Third 4, Encouragement 8
    assert proposal.allocation.awards == {e1: "first", e3: "second", e2: "second", e4: "third"}


def test_a_tie_the_board_decides():
    judging = make_judged({1: [[20, 20, 30]], 2: [[20, 20, 30]]})
    e1, e2 = (e.id for e in judging.entries)
    plan = plan_for(judging.contest)
    db.session.commit()
    proposal = propose(judging.contest)
    assert {r.rank for r in proposal.ranked} == {1} and proposal.allocation.boundary_ties == ((e1, e2),)
    assert proposal.allocation.awards == {e1: "second", e2: "second"}
    db.session.add(TieDecision(contest_id=judging.contest.id, entry_ids=[e2, e1], reason="Biên bản họp BTC số 3"))
    db.session.commit()
    decided = propose(judging.contest)
    assert [(r.entry_id, r.rank, r.decided_by) for r in decided.ranked] == [(e2, 1, None), (e1, 2, BOARD)]
    assert decided.allocation.awards == {e2: "first", e1: "second"}
    assert plan.tiers[0].name == "Giải Nhất"
