"""The award review's state changes: the plan, storing the proposal (manual changes kept), changes, gifts and
removals with a reason, the Board's tie decisions, special prizes by rule, the team ranking, the decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from competitions.models import AgeGroup
from results.models import Award, AwardDecision, AwardExclusion, AwardTier, TieDecision
from results.ranking import BOARD
from results.services import awards as service
from results.services.awards import AwardError, PlanError
from results.services.plans import criterion_key, plan_for
from results.services.review import review
from results.services.scores import propose
from tests.results.factories import make_judged

D = Decimal


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def awards_of(contest) -> dict[tuple[int, str], Award]:
    rows = db.session.scalars(select(Award).where(Award.contest_id == contest.id))
    return {(a.entry_id, a.tier_code): a for a in rows}


def plan_values(plan, **overrides) -> dict:
    """The plan as it stands, in update_plan's shape, with `overrides`."""
    values = {
        "round_id": plan.round_id,
        "scope": plan.scope,
        "tiers": [
            {"id": t.id, "name": t.name, "quota": t.quota, "min_score": t.min_score, "points": None}
            for t in plan.tiers
            if not t.special
        ],
        "specials": [{"id": t.id, "name": t.name, "rule": t.rule} for t in plan.tiers if t.special],
        "tie_break": [link for link in plan.tie_break if link != BOARD],
        "show_feedback": plan.show_feedback,
    }
    return values | overrides


@pytest.fixture
def five():
    """Five entries of one field with distinct totals: 94, 84, 74, 64, 30 (criteria 30/30/40)."""
    return make_judged({1: [[28, 28, 38]], 2: [[25, 25, 34]], 3: [[22, 22, 30]], 4: [[19, 19, 26]], 5: [[10, 10, 10]]})


# --- the plan ---------------------------------------------------------------------------------------------------------


def test_update_plan_changes_every_setting_and_is_audited(five):
    contest = five.contest
    plan = plan_for(contest)
    db.session.commit()
    first, second, third, encouragement = plan.tiers
    novelty = criterion_key(five.round.criteria[0].id)
    values = plan_values(
        plan,
        round_id=five.round.id,
        scope="overall",
        tiers=[
            {"id": first.id, "name": "Giải Nhất", "quota": 1, "min_score": D("90"), "points": None},
            {"id": second.id, "name": "Giải Nhì (đặc biệt)", "quota": None, "min_score": None, "points": None},
            {"id": None, "name": "Giải Triển vọng", "quota": 3, "min_score": D("50.5"), "points": None},
        ],
        specials=[{"id": None, "name": "Giải Tác giả trẻ nhất", "rule": "youngest_author"}],
        tie_break=[novelty],
        show_feedback=True,
    )
    assert service.update_plan(plan, values, by=five.organizer) is True
    db.session.commit()
    plan = plan_for(contest)
    assert (plan.round_id, plan.scope, plan.show_feedback) == (five.round.id, "overall", True)
    assert plan.tie_break == [novelty, BOARD]
    assert [(t.code, t.name, t.quota, t.min_score, t.special) for t in plan.tiers] == [
        ("first", "Giải Nhất", 1, D("90.00"), False),
        ("second", "Giải Nhì (đặc biệt)", None, None, False),
        ("giai-trien-vong", "Giải Triển vọng", 3, D("50.50"), False),
        ("giai-tac-gia-tre-nhat", "Giải Tác giả trẻ nhất", None, None, True),
    ]
    assert plan.tiers[3].rule == "youngest_author"
    assert db.session.get(AwardTier, third.id) is None and db.session.get(AwardTier, encouragement.id) is None
    [entry] = audit("award_plan.update")
    assert entry.object_type == "award_plans" and entry.after["scope"] == "overall"
    assert len(entry.before["tiers"]) == 4 and entry.after["tiers"][2]["name"] == "Giải Triển vọng"
    # saving the same values again changes nothing and records nothing
    assert service.update_plan(plan, plan_values(plan), by=five.organizer) is False
    assert len(audit("award_plan.update")) == 1


def test_update_plan_reports_every_problem_and_changes_nothing(five):
    plan = plan_for(five.contest)
    db.session.commit()
    other = make_judged({1: [[1, 1, 1]]})
    foreign = criterion_key(other.round.criteria[0].id)
    tiers = plan_values(plan)["tiers"]
    tiers[0] |= {"name": " "}
    tiers[1] |= {"quota": -1}
    tiers[2] |= {"min_score": D("12.345")}
    tiers[3] |= {"name": "giải nhì"}  # the same name as the second tier, folded
    values = plan_values(
        plan,
        round_id=other.round.id,
        scope="age_group",  # an innovation contest has no age groups
        tiers=tiers,
        specials=[
            {"id": None, "name": "Trẻ nhất", "rule": "youngest_author"},
            {"id": None, "name": "Trẻ nhất 2", "rule": "youngest_author"},
            {"id": None, "name": "Khác", "rule": "lottery"},
        ],
        tie_break=[foreign],
    )
    with pytest.raises(PlanError) as raised:
        service.update_plan(plan, values, by=five.organizer)
    found = {(p.field, p.code, p.row, p.column) for p in raised.value.problems}
    assert found == {
        ("round_id", "round_not_in_contest", None, None),
        ("scope", "scope_invalid", None, None),
        ("tiers", "name_required", 0, "name"),
        ("tiers", "quota_invalid", 1, "quota"),
        ("tiers", "min_score_invalid", 2, "min_score"),
        ("tiers", "name_taken", 3, "name"),
        ("specials", "rule_taken", 1, "rule"),
        ("specials", "rule_invalid", 2, "rule"),
        ("tie_break", "chain_unknown", None, None),
    }
    db.session.rollback()
    plan = plan_for(five.contest)
    assert [t.name for t in plan.tiers] == ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
    assert plan.scope == "field" and audit("award_plan.update") == []


def test_update_plan_needs_a_tier_and_a_chain_without_repeats(five):
    plan = plan_for(five.contest)
    effectiveness = criterion_key(five.round.criteria[2].id)
    with pytest.raises(PlanError) as raised:
        service.update_plan(plan, plan_values(plan, tiers=[], tie_break=[effectiveness, effectiveness]), by=None)
    assert {p.code for p in raised.value.problems} == {"no_tiers", "chain_repeated"}


def test_a_tier_with_stored_awards_cannot_be_removed_and_a_rename_reaches_its_awards(five):
    contest = five.contest
    plan = plan_for(contest)
    service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    values = plan_values(plan)
    values["tiers"] = values["tiers"][1:]  # remove First, which entry 1 holds
    with pytest.raises(PlanError) as raised:
        service.update_plan(plan, values, by=five.organizer)
    [problem] = raised.value.problems
    assert (problem.code, problem.name, problem.count) == ("tier_in_use", "Giải Nhất", 1)
    db.session.rollback()
    plan = plan_for(contest)
    values = plan_values(plan)
    values["tiers"][0]["name"] = "Giải Nhất (Vàng)"
    service.update_plan(plan, values, by=five.organizer)
    db.session.commit()
    award = awards_of(contest)[(five.entries[0].id, "first")]
    assert award.tier_name == "Giải Nhất (Vàng)"


def test_a_new_ranking_round_resets_the_chain_to_its_default(five):
    plan = plan_for(five.contest)
    novelty = criterion_key(five.round.criteria[0].id)
    service.update_plan(plan, plan_values(plan, tie_break=[novelty]), by=None)
    assert plan.tie_break == [novelty, BOARD]
    service.update_plan(plan, plan_values(plan, tie_break=None), by=None)
    assert plan.tie_break == []
    effectiveness = criterion_key(five.round.criteria[2].id)
    assert propose(five.contest).chain == [effectiveness, novelty, BOARD]


# --- storing the proposal ---------------------------------------------------------------------------------------------


def test_generate_stores_the_proposal_as_rule_awards(five):
    contest = five.contest
    e = [x.id for x in five.entries]
    result = service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    stored = awards_of(contest)
    assert set(stored) == {(e[0], "first"), (e[1], "second"), (e[2], "second"), (e[3], "third"), (e[4], "third")}
    first = stored[(e[0], "first")]
    assert (first.rank, first.score, first.source, first.tier_name, first.special) == (
        1,
        D("94.00"),
        "rule",
        "Giải Nhất",
        False,
    )
    assert (result.created, result.updated, result.removed) == (5, 0, 0)
    [entry] = audit("awards.generate")
    assert entry.object_type == "contests" and len(entry.after["created"]) == 5
    # again: nothing changes, the rows stay the same
    ids = {key: a.id for key, a in stored.items()}
    again = service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    assert (again.created, again.updated, again.removed, again.unchanged) == (0, 0, 0, 5)
    assert {key: a.id for key, a in awards_of(contest).items()} == ids


def test_generate_updates_in_place_removes_what_is_no_longer_proposed_and_keeps_manual_changes(five):
    contest = five.contest
    e = [x.id for x in five.entries]
    service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    stored = awards_of(contest)
    fourth_id = stored[(e[3], "third")].id
    # by hand: entry 5 goes up from Third to Second
    service.change_award(
        stored[(e[4], "third")], "second", "Hội đồng xét lại: giải pháp đã áp dụng rộng", by=five.organizer
    )
    db.session.commit()
    # storing again: the proposal still gives entry 5 a Third, but its Second by hand stays its only award
    again = service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    assert [k[1] for k in awards_of(contest) if k[0] == e[4]] == ["second"]
    assert (again.created, again.removed, again.kept_manual) == (0, 0, 1)
    # the plan now has First 1, Second 1, Third 1 and nothing else
    plan = plan_for(contest)
    values = plan_values(plan)
    for row, quota in zip(values["tiers"], (1, 1, 1, 0), strict=True):
        row["quota"] = quota
    service.update_plan(plan, values, by=five.organizer)
    result = service.generate_awards(contest, by=five.organizer)
    db.session.commit()
    stored = awards_of(contest)
    # entry 5's manual Second is kept and the rule leaves entry 5 alone; the others follow the new quotas
    assert {key: a.source for key, a in stored.items()} == {
        (e[0], "first"): "rule",
        (e[1], "second"): "rule",
        (e[2], "third"): "rule",
        (e[4], "second"): "manual",
    }
    assert stored[(e[4], "second")].reason == "Hội đồng xét lại: giải pháp đã áp dụng rộng"
    assert (result.removed, result.updated, result.kept_manual) == (1, 1, 1)
    assert db.session.get(Award, fourth_id) is None  # entry 4 no longer gets an award
    [_first, _again, second] = audit("awards.generate")
    assert [r["entry_id"] for r in second.after["removed"]] == [e[3]]
    assert second.after["updated"][0]["before"]["tier_code"] == "second"
    assert second.after["updated"][0]["after"]["tier_code"] == "third"


def test_an_award_keeps_its_row_when_its_tier_changes(five):
    contest = five.contest
    service.generate_awards(contest, by=None)
    db.session.commit()
    third = awards_of(contest)[(five.entries[2].id, "second")]
    plan = plan_for(contest)
    values = plan_values(plan)
    values["tiers"][1]["quota"] = 1  # Second: only entry 2 now; entry 3 goes to Third
    service.update_plan(plan, values, by=None)
    service.generate_awards(contest, by=None)
    db.session.commit()
    db.session.refresh(third)
    assert (third.tier_code, third.tier_name, third.source) == ("third", "Giải Ba", "rule")


# --- changes by hand --------------------------------------------------------------------------------------------------


def test_a_change_needs_a_reason_and_another_ranked_tier(five):
    contest = five.contest
    service.generate_awards(contest, by=None)
    plan = plan_for(contest)
    service.update_plan(
        plan,
        plan_values(plan, specials=[{"id": None, "name": "Giải Sáng kiến", "rule": "manual"}]),
        by=None,
    )
    db.session.commit()
    award = awards_of(contest)[(five.entries[1].id, "second")]
    for tier, reason, code in [
        ("first", "", "reason_required"),
        ("first", "   ", "reason_required"),
        ("first", "x" * (service.REASON_MAX + 1), "reason_too_long"),
        ("second", "Lý do", "tier_unchanged"),
        ("gold", "Lý do", "tier_unknown"),
        ("giai-sang-kien", "Lý do", "tier_not_ranked"),
    ]:
        with pytest.raises(AwardError) as raised:
            service.change_award(award, tier, reason, by=five.organizer)
        assert raised.value.code == code
    assert (award.tier_code, award.source) == ("second", "rule")
    service.change_award(award, "first", "  Biên bản họp Ban Tổ chức ngày 12/5  ", by=five.organizer)
    db.session.commit()
    db.session.refresh(award)
    assert (award.tier_code, award.tier_name, award.source, award.reason) == (
        "first",
        "Giải Nhất",
        "manual",
        "Biên bản họp Ban Tổ chức ngày 12/5",
    )
    [entry] = audit("award.change")
    assert entry.before["tier_code"] == "second" and entry.after["tier_code"] == "first"
    assert entry.after["reason"] == "Biên bản họp Ban Tổ chức ngày 12/5"


def test_a_removal_needs_a_reason_and_is_audited(five):
    contest = five.contest
    service.generate_awards(contest, by=None)
    db.session.commit()
    award = awards_of(contest)[(five.entries[4].id, "third")]
    with pytest.raises(AwardError) as raised:
        service.remove_award(award, "", by=five.organizer)
    assert raised.value.code == "reason_required" and db.session.get(Award, award.id) is not None
    award_id = award.id
    service.remove_award(award, "Giải pháp đã đoạt giải ở kỳ trước", by=five.organizer)
    db.session.commit()
    assert db.session.get(Award, award_id) is None
    [entry] = audit("award.delete")
    assert entry.object_id == str(award_id) and entry.before["tier_code"] == "third"
    [exclusion] = db.session.scalars(select(AwardExclusion)).all()
    assert entry.after == {"reason": "Giải pháp đã đoạt giải ở kỳ trước", "exclusion_id": exclusion.id}
    assert (exclusion.entry_id, exclusion.tier_code, exclusion.reason) == (
        five.entries[4].id,
        "third",
        "Giải pháp đã đoạt giải ở kỳ trước",
    )


def test_giving_an_award_by_hand(five):
    contest = five.contest
    plan = plan_for(contest)
    service.update_plan(
        plan,
        plan_values(plan, specials=[{"id": None, "name": "Giải Sáng kiến", "rule": "manual"}]),
        by=None,
    )
    service.generate_awards(contest, by=None)
    db.session.commit()
    e1, _e2, _e3, _e4, e5 = five.entries
    refusals = [
        (("STKT-0000-9999", "first", "Lý do"), {}, "entry_unknown"),
        ((e1.code, "gold", "Lý do"), {}, "tier_unknown"),
        ((e1.code, "first", "Lý do"), {}, "tier_taken"),
        ((e1.code, "second", "Lý do"), {}, "entry_has_ranked_award"),
        ((e1.code, "giai-sang-kien", ""), {}, "reason_required"),
        ((e1.code, "giai-sang-kien", "Lý do"), {"person_name": "Người Lạ"}, "person_unknown"),
    ]
    for args, options, code in refusals:
        with pytest.raises(AwardError) as raised:
            service.give_award(contest, *args, by=five.organizer, **options)
        assert raised.value.code == code, args
    # a ranked tier cannot go to one author
    service.remove_award(awards_of(contest)[(e5.id, "third")], "Xét lại", by=None)
    with pytest.raises(AwardError) as raised:
        service.give_award(contest, e5.code, "third", "Lý do", person_name="Tác giả 5", by=None)
    assert raised.value.code == "person_for_special_only"
    # a person prize, the author's name typed without diacritics, the entry code in lower case
    award = service.give_award(
        contest,
        e1.code.lower(),
        "giai-sang-kien",
        "Sáng kiến được áp dụng toàn tỉnh",
        person_name="tac gia 1",
        by=five.organizer,
    )
    ranked = service.give_award(contest, e5.code, "second", "Hội đồng đề nghị", by=five.organizer)
    db.session.commit()
    assert (award.special, award.source, award.person.full_name, award.tier_name) == (
        True,
        "manual",
        "Tác giả 1",
        "Giải Sáng kiến",
    )
    assert (ranked.rank, ranked.score, ranked.special) == (5, D("30.00"), False)
    assert [a.after["tier_code"] for a in audit("award.create")] == ["giai-sang-kien", "second"]


# --- the Board's decision on a tie ------------------------------------------------------------------------------------


def test_a_tie_decision_changes_the_ranking_and_the_allocation():
    # entries 1 and 2 are equal on the score and every criterion, and straddle First (quota 1)
    judging = make_judged({1: [[20, 20, 30]], 2: [[20, 20, 30]], 3: [[10, 10, 10]]})
    contest = judging.contest
    e1, e2, e3 = (e.id for e in judging.entries)
    service.generate_awards(contest, by=None)
    db.session.commit()
    before = review(contest)
    [group] = before.groups
    [tie] = group.ties
    assert tie.boundary and {r.score.entry_id for r in tie.rows} == {e1, e2}
    assert {k[0]: k[1] for k in awards_of(contest)} == {e1: "second", e2: "second", e3: "third"}
    with pytest.raises(AwardError) as raised:
        service.decide_tie(contest, [e2, e1], "", by=judging.organizer)
    assert raised.value.code == "reason_required"
    for ids, code in [([e2], "tie_too_small"), ([e2, e2], "tie_repeated")]:
        with pytest.raises(AwardError) as raised:
            service.decide_tie(contest, ids, "Lý do", by=judging.organizer)
        assert raised.value.code == code
    other = make_judged({1: [[1, 1, 1]]})
    with pytest.raises(AwardError) as raised:
        service.decide_tie(contest, [e2, other.entries[0].id], "Lý do", by=judging.organizer)
    assert raised.value.code == "tie_foreign_entry"
    decision = service.decide_tie(contest, [e2, e1], "Biên bản họp Ban Tổ chức số 3", by=judging.organizer)
    db.session.commit()
    assert db.session.get(TieDecision, decision.id).entry_ids == [e2, e1]
    proposal = propose(contest)
    assert [(r.entry_id, r.rank, r.decided_by) for r in proposal.ranked] == [
        (e2, 1, None),
        (e1, 2, BOARD),
        (e3, 3, None),
    ]
    assert proposal.allocation.awards == {e2: "first", e1: "second", e3: "second"}
    assert proposal.allocation.boundary_ties == ()
    service.generate_awards(contest, by=None)
    db.session.commit()
    assert {k[0]: k[1] for k in awards_of(contest)} == {e2: "first", e1: "second", e3: "second"}
    [entry] = audit("tie.decide")
    assert entry.object_type == "tie_decisions" and entry.after["entry_ids"] == [e2, e1]
    # a later decision about the same entries wins
    service.decide_tie(contest, [e1, e2], "Biên bản họp số 4: đính chính", by=judging.organizer)
    db.session.commit()
    assert propose(contest).allocation.awards[e1] == "first"


# --- special prizes ---------------------------------------------------------------------------------------------------


def _with_specials(judging, *rules):
    plan = plan_for(judging.contest)
    names = {"youngest_author": "Tác giả nhỏ tuổi nhất", "oldest_author": "Tác giả cao tuổi nhất"}
    names |= {"unit_most_finalists": "Đơn vị có nhiều giải pháp nhất", "manual": "Giải Sáng kiến"}
    specials = [{"id": None, "name": names[r], "rule": r} for r in rules]
    service.update_plan(plan, plan_values(plan, specials=specials), by=None)
    db.session.commit()
    return {t.rule: t for t in plan.tiers if t.special}


def _born(entry, *dates):
    for person, born in zip(sorted(entry.authors, key=lambda p: p.position), dates, strict=True):
        person.birth_date = born
    db.session.commit()


def test_youngest_and_oldest_author_are_chosen_among_the_awarded_entries_and_stored(five):
    contest = five.contest
    tiers = _with_specials(five, "youngest_author", "oldest_author")
    plan = plan_for(contest)
    values = plan_values(plan)
    for row, quota in zip(values["tiers"], (1, 1, 1, 1), strict=True):
        row["quota"] = quota  # four awards: entry 5 gets none
    service.update_plan(plan, values, by=None)
    e1, e2, e3, e4, e5 = five.entries
    _born(e1, date(1990, 1, 1))
    _born(e2, date(1960, 3, 3))
    _born(e3, date(2001, 6, 30))
    e4.authors[0].birth_date = None  # not counted
    _born(e5, date(2010, 1, 1))  # younger, but entry 5 is not awarded
    youngest, oldest = tiers["youngest_author"], tiers["oldest_author"]
    prizes = {p.tier.code: p for p in review(contest).specials}
    assert [a.name for a in prizes[youngest.code].authors] == ["Tác giả 3"]
    assert [a.name for a in prizes[oldest.code].authors] == ["Tác giả 2"]
    result = service.generate_awards(contest, by=None)
    db.session.commit()
    stored = awards_of(contest)
    young = stored[(e3.id, youngest.code)]
    old = stored[(e2.id, oldest.code)]
    assert (young.special, young.source, young.person_id) == (True, "rule", e3.authors[0].id)
    assert old.person.full_name == "Tác giả 2" and result.undecided == []
    assert (e5.id, youngest.code) not in stored


def test_a_special_prize_shared_by_birth_date_or_given_by_hand_is_not_given_by_rule(five):
    contest = five.contest
    tiers = _with_specials(five, "youngest_author")
    youngest = tiers["youngest_author"]
    e1, e2, *_rest = five.entries
    _born(e1, date(2005, 5, 5))
    _born(e2, date(2005, 5, 5))
    result = service.generate_awards(contest, by=None)
    db.session.commit()
    assert result.undecided == ["Tác giả nhỏ tuổi nhất"]
    assert not [a for a in awards_of(contest).values() if a.special]
    # the Board gives it by hand; storing again leaves it alone
    service.give_award(contest, e2.code, youngest.code, "Bốc thăm công khai", person_name="Tác giả 2", by=None)
    _born(e2, date(2006, 1, 1))  # now the rule alone would choose Tác giả 2 as well
    _born(e1, date(2007, 1, 1))  # ...or rather Tác giả 1
    service.generate_awards(contest, by=None)
    db.session.commit()
    specials = [a for a in awards_of(contest).values() if a.special]
    assert [(a.entry_id, a.source) for a in specials] == [(e2.id, "manual")]


def test_a_rule_special_prize_follows_the_awarded_authors(five):
    contest = five.contest
    tiers = _with_specials(five, "oldest_author")
    oldest = tiers["oldest_author"]
    e1, e2, *_rest = five.entries
    _born(e1, date(1950, 1, 1))
    service.generate_awards(contest, by=None)
    db.session.commit()
    assert (e1.id, oldest.code) in awards_of(contest)
    _born(e2, date(1940, 1, 1))
    service.generate_awards(contest, by=None)
    db.session.commit()
    specials = {k for k, a in awards_of(contest).items() if a.special}
    assert specials == {(e2.id, oldest.code)}


def test_the_unit_with_most_finalists_counts_the_entries_of_the_ranking_round(five):
    tiers = _with_specials(five, "unit_most_finalists", "manual")
    for entry, unit in zip(
        five.entries,
        ["Trường THPT Đồng Xoài", "Trường THPT Bình Long", "Trường THPT Đồng Xoài", "", "Trường THPT Bình Long"],
        strict=True,
    ):
        entry.unit_name = unit
    db.session.commit()
    prizes = {p.rule: p for p in review(five.contest).specials}
    assert prizes["unit_most_finalists"].units == [("Trường THPT Bình Long", 2), ("Trường THPT Đồng Xoài", 2)]
    assert prizes["manual"].authors == [] and prizes["manual"].units == []
    service.generate_awards(five.contest, by=None)
    db.session.commit()
    assert not [a for a in awards_of(five.contest).values() if a.tier_code == tiers["unit_most_finalists"].code]


# --- youth: age groups and the team ranking ---------------------------------------------------------------------------


def _as_youth(judging, groups: list[int]):
    """The judged contest as a youth contest with two age groups, entry n in age group groups[n-1]."""
    contest = judging.contest
    contest.kind = "youth"
    made = [AgeGroup(contest_id=contest.id, name=name, position=i) for i, name in enumerate(["Tiểu học", "THCS"])]
    db.session.add_all(made)
    db.session.flush()
    for entry, g in zip(judging.entries, groups, strict=True):
        entry.age_group_id = made[g].id
    db.session.commit()
    return made


def test_per_age_group_and_the_team_ranking(five):
    contest = five.contest
    groups = _as_youth(five, [0, 1, 0, 1, 1])
    plan = plan_for(contest)
    values = plan_values(plan, scope="age_group")
    for row, points in zip(values["tiers"], (10, 5, 2, 1), strict=True):
        row["points"] = points
    service.update_plan(plan, values, by=None)
    db.session.commit()
    assert plan.team_points == {"first": 10, "second": 5, "third": 2, "encouragement": 1}
    units = ["Trường Tiểu học Tân Phú", "Trường THCS Tân Phú", "Trường Tiểu học Tân Phú", "Trường THCS Lộc Ninh", ""]
    for entry, unit in zip(five.entries, units, strict=True):
        entry.unit_name = unit
    db.session.commit()
    data = review(contest)
    assert [g.name for g in data.groups] == ["Tiểu học", "THCS"]
    assert [g.key for g in data.groups] == [groups[0].id, groups[1].id]
    e = [x.id for x in five.entries]
    assert data.proposal.allocation.awards == {
        e[0]: "first",
        e[2]: "second",
        e[1]: "first",
        e[3]: "second",
        e[4]: "second",
    }
    # Tân Phú primary: First + Second = 15; Tân Phú secondary: First = 10; Lộc Ninh: Second = 5
    assert [(t.unit, t.rank, t.points) for t in data.teams] == [
        ("Trường Tiểu học Tân Phú", 1, 15),
        ("Trường THCS Tân Phú", 2, 10),
        ("Trường THCS Lộc Ninh", 3, 5),
    ]
    # once awards are stored, the team ranking follows them (a change by hand included)
    service.generate_awards(contest, by=None)
    service.change_award(awards_of(contest)[(e[1], "first")], "third", "Xét lại", by=None)
    db.session.commit()
    teams = {t.unit: t.points for t in review(contest).teams}
    assert teams["Trường THCS Tân Phú"] == 2 and review(contest).basis.source == "stored"


def test_the_age_group_scope_is_for_youth_contests_only(five):
    plan = plan_for(five.contest)
    with pytest.raises(PlanError) as raised:
        service.update_plan(plan, plan_values(plan, scope="age_group"), by=None)
    assert [p.code for p in raised.value.problems] == ["scope_invalid"]


# --- the approving decision -------------------------------------------------------------------------------------------


def test_the_approving_decision_and_a_correction(five):
    contest = five.contest
    for values, code in [
        ({"number": "", "signed_on": date(2026, 5, 15), "signer": "A"}, "number_required"),
        ({"number": "x" * 65, "signed_on": date(2026, 5, 15), "signer": "A"}, "number_too_long"),
        ({"number": "12/QĐ", "signed_on": None, "signer": "A"}, "date_required"),
        ({"number": "12/QĐ", "signed_on": date(2026, 5, 15), "signer": " "}, "signer_required"),
        (
            {"number": "12/QĐ", "signed_on": date(2026, 5, 15), "signer": "A", "signer_title": "x" * 161},
            "signer_title_too_long",
        ),
    ]:
        with pytest.raises(AwardError) as raised:
            service.record_decision(contest, by=None, **values)
        assert raised.value.code == code
    service.record_decision(
        contest,
        number=" 125/QĐ-LHH ",
        signed_on=date(2026, 5, 15),
        signer="Nguyễn Văn Chủ Tịch",
        signer_title="Chủ tịch",
        by=five.organizer,
    )
    service.record_decision(
        contest, number="131/QĐ-LHH", signed_on=date(2026, 5, 20), signer="Nguyễn Văn Chủ Tịch", by=five.organizer
    )
    db.session.commit()
    rows = list(
        db.session.scalars(
            select(AwardDecision).where(AwardDecision.contest_id == contest.id).order_by(AwardDecision.id)
        )
    )
    assert [(d.number, d.signed_on, d.signer_title) for d in rows] == [
        ("125/QĐ-LHH", date(2026, 5, 15), "Chủ tịch"),
        ("131/QĐ-LHH", date(2026, 5, 20), ""),
    ]
    assert [a.after["number"] for a in audit("award_decision.create")] == ["125/QĐ-LHH", "131/QĐ-LHH"]
    assert rows[0].created_by_id == five.organizer.id
