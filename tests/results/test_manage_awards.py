"""The organizers' award pages: the plan, the proposal with its ties, storing it, changes with reasons, awards given
by hand, the approving decision; refusals beside the fields with nothing typed lost; bounded queries; access."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from competitions.models import AgeGroup
from judging import services as judging_services
from results.models import Award, AwardDecision, AwardPlan, TieDecision
from results.ranking import BOARD
from results.services import awards as service
from results.services.plans import criterion_key, plan_for
from tests.competitions.factories import make_organisation
from tests.judging.factories import make_account
from tests.results.factories import make_judged

D = Decimal


def as_user(client, login_as, user):
    login_as(user)
    with client.session_transaction() as session:
        session["lang"] = "en"  # the messages the tests read, whatever the Vietnamese catalogue says
    return client


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def awards_of(contest) -> dict[tuple[int, str], Award]:
    db.session.expire_all()
    return {
        (a.entry_id, a.tier_code): a for a in db.session.scalars(select(Award).where(Award.contest_id == contest.id))
    }


def block(page: str, testid: str) -> str:
    """The HTML of the element with `data-testid` (up to its matching closing tag)."""
    at = page.index(f'data-testid="{testid}"')
    start = page.rindex("<", 0, at)
    tag = re.match(r"<([a-z0-9]+)", page[start:]).group(1)
    depth = 0
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", page[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[start : start + match.end()]
    return page[start:]


def field_block(page: str, name: str) -> str:
    """The form group of the input named `name`: from its label to the group's end."""
    start = page.index(f'for="{name}"')
    end = page.find('<div class="mb-3', start)
    return page[start : end if end > 0 else None]


@pytest.fixture
def judged():
    """Three entries of one field: 94, 70 and 70 (the last two equal on every criterion, straddling nothing with
    the default quotas), judged by one judge."""
    return make_judged({1: [[28, 28, 38]], 2: [[20, 20, 30]], 3: [[20, 20, 30]]})


@pytest.fixture
def organizer(client, login_as, judged):
    return as_user(client, login_as, judged.organizer)


def plan_data(plan, action: str = "save", **overrides) -> dict:
    """What the plan page sends for `plan` as it stands."""
    data = {"action": action, "round_id": str(plan.round_id or ""), "scope": plan.scope}
    ranked = [t for t in plan.tiers if not t.special]
    for i, t in enumerate(ranked):
        data |= {
            f"tiers-{i}-id": str(t.id),
            f"tiers-{i}-name": t.name,
            f"tiers-{i}-quota": "" if t.quota is None else str(t.quota),
            f"tiers-{i}-min_score": "" if t.min_score is None else str(t.min_score).replace(".", ","),
        }
    for i, t in enumerate(t for t in plan.tiers if t.special):
        data |= {f"specials-{i}-id": str(t.id), f"specials-{i}-name": t.name, f"specials-{i}-rule": t.rule}
    if plan.show_feedback:
        data["show_feedback"] = "y"
    return data | overrides


# --- the plan ---------------------------------------------------------------------------------------------------------


def test_the_plan_page_shows_the_defaults(organizer, judged):
    page = organizer.get(f"/results/manage/{judged.contest.id}/plan").get_data(as_text=True)
    assert "The last round (now: Vòng sơ khảo)" in page
    assert re.findall(r'name="tiers-\d-name"[^>]*value="([^"]*)"', page) == [
        "Giải Nhất",
        "Giải Nhì",
        "Giải Ba",
        "Giải Khuyến khích",
    ]
    assert 'name="tiers-3-quota"' in page and 'value="8"' in block(page, "tiers-3")
    assert "Default: Hiệu quả kinh tế - kỹ thuật - xã hội, then Tính mới, tính sáng tạo." in page
    effectiveness = criterion_key(judged.round.criteria[2].id)
    assert f'<option selected value="{effectiveness}">' in block(page, "chain")
    assert "Team points" not in page and "Per age group" not in page  # youth contests only
    assert db.session.scalar(select(AwardPlan.id).where(AwardPlan.contest_id == judged.contest.id)) is not None


def test_saving_the_plan(organizer, judged):
    contest = judged.contest
    plan = plan_for(contest)
    db.session.commit()
    novelty = criterion_key(judged.round.criteria[0].id)
    data = plan_data(
        plan,
        scope="overall",
        show_feedback="y",
        **{
            "tiers-0-min_score": "85,5",
            "tiers-3-quota": "",
            "specials-0-name": "Giải Tác giả cao tuổi nhất",
            "specials-0-rule": "oldest_author",
            "chain-0": novelty,
            "chain-1": "",
            "chain-2": "",
        },
    )
    response = organizer.post(f"/results/manage/{contest.id}/plan", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    plan = plan_for(contest)
    assert (plan.scope, plan.show_feedback, plan.tie_break) == ("overall", True, [novelty, BOARD])
    assert [(t.name, t.quota, t.min_score, t.rule) for t in plan.tiers] == [
        ("Giải Nhất", 1, D("85.50"), None),
        ("Giải Nhì", 2, None, None),
        ("Giải Ba", 4, None, None),
        ("Giải Khuyến khích", None, None, None),
        ("Giải Tác giả cao tuổi nhất", None, None, "oldest_author"),
    ]
    assert len(audit("award_plan.update")) == 1
    page = organizer.get(response.headers["Location"]).get_data(as_text=True)
    assert "The award plan has been saved." in page and 'value="85,5"' in page


def test_plan_refusals_are_shown_beside_the_fields_and_nothing_typed_is_lost(organizer, judged):
    contest = judged.contest
    plan = plan_for(contest)
    db.session.commit()
    effectiveness = criterion_key(judged.round.criteria[2].id)
    data = plan_data(
        plan,
        **{
            "tiers-0-name": "",
            "tiers-1-quota": "hai",
            "tiers-2-min_score": "12,345",
            "tiers-3-name": "Giải Nhì",
            "specials-0-name": "Giải Tác giả trẻ nhất",
            "specials-0-rule": "youngest_author",
            "specials-1-name": "Giải Tác giả nhỏ tuổi",
            "specials-1-rule": "youngest_author",
            "chain-0": effectiveness,
            "chain-1": effectiveness,
        },
    )
    response = organizer.post(f"/results/manage/{contest.id}/plan", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please fill in this field." in field_block(page, "tiers-0-name")
    assert "Not a valid integer value." in field_block(page, "tiers-1-quota") and 'value="hai"' in page
    assert "At most 2 decimals." in field_block(page, "tiers-2-min_score") and 'value="12,345"' in page
    assert "Each criterion may appear once in the chain." in block(page, "chain-error")
    assert 'value="Giải Tác giả trẻ nhất"' in page and 'value="Giải Tác giả nhỏ tuổi"' in page
    # the form's own checks pass: the service's (a name twice, a rule twice) are shown beside their fields too
    data |= {"tiers-0-name": "Giải Nhất", "tiers-1-quota": "2", "tiers-2-min_score": "", "chain-1": ""}
    response = organizer.post(f"/results/manage/{contest.id}/plan", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Another tier or special prize already has this name." in field_block(page, "tiers-3-name")
    assert "Another special prize already has this rule." in field_block(page, "specials-1-rule")
    db.session.expire_all()
    assert [t.name for t in plan_for(contest).tiers] == ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
    assert audit("award_plan.update") == []


def test_rows_are_added_and_removed_on_screen_and_stored_on_save(organizer, judged):
    contest = judged.contest
    plan = plan_for(contest)
    service.generate_awards(contest, by=None)  # First, Second and Second are stored
    db.session.commit()
    url = f"/results/manage/{contest.id}/plan"
    data = plan_data(plan, action="add-specials")
    page = organizer.post(url, data=data).get_data(as_text=True)
    assert 'name="specials-0-name"' in page and 'data-testid="specials-0"' in page
    assert len(plan_for(contest).tiers) == 4  # nothing stored yet
    # Second has stored awards: it stays, with a message on its row
    page = organizer.post(url, data=plan_data(plan, action="remove-tiers-1")).get_data(as_text=True)
    assert "“Giải Nhì” has 2 stored awards" in block(page, "row-error-tiers-1")
    assert 'value="Giải Nhì"' in page
    # Encouragement has none: it leaves the page, then the plan when saved
    response = organizer.post(url, data=plan_data(plan, action="remove-tiers-3", **{"tiers-2-name": "Giải Ba (sửa)"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="Giải Khuyến khích"' not in page and 'value="Giải Ba (sửa)"' in page
    assert len(plan_for(contest).tiers) == 4
    data = {k: v for k, v in plan_data(plan).items() if not k.startswith("tiers-3-")}
    data |= {"specials-0-id": "", "specials-0-name": "", "specials-0-rule": "manual"}  # an empty added row: ignored
    assert organizer.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert [t.name for t in plan_for(contest).tiers] == ["Giải Nhất", "Giải Nhì", "Giải Ba"]


def test_a_new_ranking_round_brings_its_default_chain(organizer, judged):
    contest = judged.contest
    final = judging_services.create_round(contest, "final", by=judged.organizer)
    plan = plan_for(contest)
    novelty = criterion_key(judged.round.criteria[0].id)
    service.update_plan(
        plan,
        {
            "round_id": judged.round.id,
            "scope": "field",
            "tiers": [{"id": t.id, "name": t.name, "quota": t.quota} for t in plan.tiers],
            "tie_break": [novelty],
        },
        by=None,
    )
    db.session.commit()
    data = plan_data(plan, round_id=str(final.id), **{"chain-0": novelty})
    response = organizer.post(f"/results/manage/{contest.id}/plan", data=data, follow_redirects=True)
    assert "the tie-break chain is now the default for its rubric" in response.get_data(as_text=True)
    db.session.expire_all()
    plan = plan_for(contest)
    assert (plan.round_id, plan.tie_break) == (final.id, [])


# --- the awards page --------------------------------------------------------------------------------------------------


def test_the_awards_page_states_the_chain_and_shows_the_proposal(organizer, judged):
    contest = judged.contest
    e1, e2, e3 = judged.entries
    plan = plan_for(contest)
    db.session.commit()
    page = organizer.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    how = block(page, "how-ranked")
    assert "Entries are ranked within each field by their score in Vòng sơ khảo, highest first." in how
    links = block(page, "tie-break")
    assert links.index("“Hiệu quả kinh tế - kỹ thuật - xã hội”") < links.index("“Tính mới, tính sáng tạo”")
    assert "the Organising Board's decision, recorded with its reason" in links
    assert "94" in block(page, f"score-{e1.code}") and "Giải Nhất" in block(page, f"proposed-{e1.code}")
    assert f'data-testid="tied-{e2.code}"' in page and f'data-testid="tied-{e3.code}"' in page
    # the tie does not straddle a quota (Second has room for both): no warning, but a form is offered
    assert 'data-testid="boundary-alert"' not in page and f'data-testid="tie-{e2.id}"' in page
    assert "No award is stored yet." in page
    assert plan.tiers[0].name == "Giải Nhất"


def test_a_decided_link_and_a_boundary_tie_are_shown(client, login_as):
    judging = make_judged({1: [[20, 20, 30]], 2: [[20, 20, 30]], 3: [[15, 20, 35]], 4: [[25, 20, 25]]})
    contest = judging.contest
    e1, e2, e3, e4 = judging.entries
    as_user(client, login_as, judging.organizer)
    plan = plan_for(contest)
    plan.tiers[0].quota = 2  # First: 2; all four total 70: entry 3 (35 effectiveness) first, entries 1 and 2 tie
    db.session.commit()
    page = client.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    assert "Hiệu quả kinh tế - kỹ thuật - xã hội" in block(page, f"decided-{e1.code}")
    assert "Giải Nhất" in block(page, f"proposed-{e3.code}")
    assert 'data-boundary="1"' in block(page, f"row-{e1.code}") and 'data-boundary="1"' in block(page, f"row-{e2.code}")
    assert "1 tie straddles a quota" in block(page, "boundary-alert")
    assert "Tie at a quota boundary: the Board must decide" in block(page, f"tie-{e1.id}")
    assert "Giải Ba" in block(page, f"proposed-{e4.code}")


def _tie_data(key: int, order: list[int], reason: str) -> dict:
    data = {"tie": str(key), f"tie-{key}-reason": reason}
    for i, entry_id in enumerate(order):
        data |= {f"tie-{key}-rows-{i}-entry_id": str(entry_id), f"tie-{key}-rows-{i}-position": str(i + 1)}
    return data


def test_recording_the_boards_decision_on_a_tie(organizer, judged):
    contest = judged.contest
    e1, e2, e3 = judged.entries
    url = f"/results/manage/{contest.id}/ties"
    # no reason: said beside the field, the positions chosen are kept
    response = organizer.post(url, data=_tie_data(e2.id, [e3.id, e2.id], ""))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    tie = block(page, f"tie-{e2.id}")
    assert "Please fill in this field." in tie
    assert re.search(rf'name="tie-{e2.id}-rows-0-entry_id" type="hidden" value="{e3.id}"', tie)
    # the same position twice
    data = _tie_data(e2.id, [e3.id, e2.id], "Biên bản họp số 2")
    data[f"tie-{e2.id}-rows-1-position"] = "1"
    response = organizer.post(url, data=data)
    assert response.status_code == 400
    assert "Give each entry its own position, from 1 to 2." in block(response.get_data(as_text=True), f"tie-{e2.id}")
    assert 'value="Biên bản họp số 2"' not in page  # (the first page had no reason typed)
    assert "Biên bản họp số 2" in response.get_data(as_text=True)
    assert db.session.scalar(select(TieDecision.id)) is None
    # the Board puts entry 3 first
    data = _tie_data(e2.id, [e2.id, e3.id], "Biên bản họp số 2")
    data |= {f"tie-{e2.id}-rows-0-position": "2", f"tie-{e2.id}-rows-1-position": "1"}
    response = organizer.post(url, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The Board&#39;s decision has been recorded" in page or "The Board's decision has been recorded" in page
    assert "Board decision" in block(page, f"decided-{e2.code}")
    assert f'data-testid="tied-{e2.code}"' not in page
    [decision] = db.session.scalars(select(TieDecision)).all()
    assert (decision.entry_ids, decision.reason, decision.decided_by_id) == (
        [e3.id, e2.id],
        "Biên bản họp số 2",
        judged.organizer.id,
    )
    assert e1.code in page
    # the tie is gone: posting it again says so
    response = organizer.post(url, data=_tie_data(e2.id, [e2.id, e3.id], "x"), follow_redirects=True)
    assert "This tie is no longer in the proposal" in response.get_data(as_text=True)


def test_storing_the_proposal_then_changing_and_removing_an_award(organizer, judged):
    contest = judged.contest
    e1, e2, e3 = judged.entries
    response = organizer.post(f"/results/manage/{contest.id}/awards/generate", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The proposal has been stored: 3 new, 0 changed, 0 removed" in page
    stored = awards_of(contest)
    assert {k: a.source for k, a in stored.items()} == {
        (e1.id, "first"): "rule",
        (e2.id, "second"): "rule",
        (e3.id, "second"): "rule",
    }
    award = stored[(e3.id, "second")]
    assert 'data-testid="stored-awards"' in page and f'data-testid="award-{award.id}"' in page
    url = f"/results/manage/awards/{award.id}/change"
    # no reason: said beside the field, the tier chosen kept
    response = organizer.post(url, data={f"award-{award.id}-tier_code": "third", f"award-{award.id}-change": "y"})
    assert response.status_code == 400
    form = block(response.get_data(as_text=True), f"change-{award.id}")
    assert "Please fill in this field." in form and '<option selected value="third">' in form
    # the same tier: said beside the tier
    data = {
        f"award-{award.id}-tier_code": "second",
        f"award-{award.id}-reason": "Hội đồng xét lại",
        f"award-{award.id}-change": "y",
    }
    response = organizer.post(url, data=data)
    assert response.status_code == 400
    form = block(response.get_data(as_text=True), f"change-{award.id}")
    assert "The award already has this tier." in form and "Hội đồng xét lại" in form
    # changed
    data[f"award-{award.id}-tier_code"] = "third"
    response = organizer.post(url, data=data, follow_redirects=True)
    assert f"The award of {e3.code} has been changed." in response.get_data(as_text=True)
    award = awards_of(contest)[(e3.id, "third")]
    assert (award.source, award.reason) == ("manual", "Hội đồng xét lại")
    page = response.get_data(as_text=True)
    assert f'data-testid="differs-{e3.code}"' in page and "By hand" in block(page, f"award-{award.id}")
    # removed, with a reason
    response = organizer.post(url, data={f"award-{award.id}-remove": "y"})
    assert response.status_code == 400 and "Please fill in this field." in block(
        response.get_data(as_text=True), f"change-{award.id}"
    )
    data = {f"award-{award.id}-reason": "Giải pháp đã đoạt giải trước đây", f"award-{award.id}-remove": "y"}
    response = organizer.post(url, data=data, follow_redirects=True)
    assert f"The award of {e3.code} has been removed." in response.get_data(as_text=True)
    assert (e3.id, "third") not in awards_of(contest)
    assert [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))][-3:] == [
        "awards.generate",
        "award.change",
        "award.delete",
    ]


def test_giving_an_award_by_hand(organizer, judged):
    contest = judged.contest
    e2 = judged.entries[1]
    plan = plan_for(contest)
    service.update_plan(
        plan,
        {
            "round_id": None,
            "scope": "field",
            "tiers": [{"id": t.id, "name": t.name, "quota": t.quota} for t in plan.tiers],
            "specials": [{"id": None, "name": "Giải Sáng kiến vì cộng đồng", "rule": "manual"}],
            "tie_break": None,
        },
        by=None,
    )
    db.session.commit()
    special = next(t for t in plan.tiers if t.special)
    url = f"/results/manage/{contest.id}/awards/new"
    data = {
        "give-entry_code": "STKT-1999-0001",
        "give-tier_code": special.code,
        "give-person": "Tác giả 2",
        "give-reason": "Sáng kiến được nhân rộng",
    }
    response = organizer.post(url, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No entry of this edition has this code." in field_block(page, "give-entry_code")
    assert 'value="Tác giả 2"' in page and "Sáng kiến được nhân rộng" in page
    data["give-entry_code"] = e2.code
    data["give-person"] = "Tác giả 9"
    page = organizer.post(url, data=data).get_data(as_text=True)
    assert "No author of this entry has this name." in field_block(page, "give-person")
    data["give-person"] = "Tác giả 2"
    response = organizer.post(url, data=data, follow_redirects=True)
    assert f"“Giải Sáng kiến vì cộng đồng” has been given to {e2.code}." in response.get_data(as_text=True)
    award = awards_of(contest)[(e2.id, special.code)]
    assert (award.special, award.source, award.person.full_name, award.reason, award.created_by_id) == (
        True,
        "manual",
        "Tác giả 2",
        "Sáng kiến được nhân rộng",
        judged.organizer.id,
    )
    assert len(audit("award.create")) == 1
    # a special prize does not move to a ranked tier: said beside the reason (its form has no tier to choose)
    data = {
        f"award-{award.id}-tier_code": "first",
        f"award-{award.id}-reason": "Nâng giải",
        f"award-{award.id}-change": "y",
    }
    response = organizer.post(f"/results/manage/awards/{award.id}/change", data=data)
    assert response.status_code == 400
    form = block(response.get_data(as_text=True), f"change-{award.id}")
    assert "A special prize cannot move to another tier" in form and "Nâng giải" in form
    assert f'name="award-{award.id}-tier_code"' not in form


def test_special_prizes_show_their_candidates_and_prefill_the_gift(organizer, judged):
    contest = judged.contest
    e1, e2, e3 = judged.entries
    plan = plan_for(contest)
    service.update_plan(
        plan,
        {
            "round_id": None,
            "scope": "field",
            "tiers": [{"id": t.id, "name": t.name, "quota": t.quota} for t in plan.tiers],
            "specials": [
                {"id": None, "name": "Tác giả nhỏ tuổi nhất", "rule": "youngest_author"},
                {"id": None, "name": "Đơn vị có nhiều giải pháp nhất", "rule": "unit_most_finalists"},
            ],
            "tie_break": None,
        },
        by=None,
    )
    for entry, born, unit in [
        (e1, date(2001, 2, 3), "Công ty Điện lực Bình Phước"),
        (e2, date(2001, 2, 3), "Trường Cao đẳng Kỹ thuật"),
        (e3, date(1980, 1, 1), "Công ty Điện lực Bình Phước"),
    ]:
        entry.authors[0].birth_date = born
        entry.unit_name = unit
    db.session.commit()
    youngest, unit_prize = (t for t in plan.tiers if t.special)
    page = organizer.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    prize = block(page, f"special-{youngest.code}")
    assert "Tác giả nhỏ tuổi nhất" in prize
    assert "Tác giả 1 · 03/02/2001" in page and "Tác giả 2 · 03/02/2001" in page
    assert f'data-testid="several-{youngest.code}"' in page
    assert f"give_entry={e1.code}" in page and f"give_tier={youngest.code}" in page
    assert "Công ty Điện lực Bình Phước · 2 entries in the ranking round" in page
    assert unit_prize.code in page
    prefilled = organizer.get(
        f"/results/manage/{contest.id}/awards?give_entry={e1.code}&give_tier={youngest.code}&give_person=Tác giả 1"
    ).get_data(as_text=True)
    give = prefilled[prefilled.index('id="give"') :]
    assert f'value="{e1.code}"' in give and 'value="Tác giả 1"' in give
    assert f'<option selected value="{youngest.code}">' in give


def test_the_team_ranking_of_a_youth_contest(organizer, judged):
    contest = judged.contest
    contest.kind = "youth"
    group = AgeGroup(contest_id=contest.id, name="THCS", position=0)
    db.session.add(group)
    for entry, unit in zip(
        judged.entries, ["Trường THCS Tân Phú", "Trường THCS Lộc Ninh", "Trường THCS Tân Phú"], strict=True
    ):
        entry.unit_name = unit
    db.session.commit()
    page = organizer.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    teams = block(page, "teams")
    # First (4) + Second (3) for Tân Phú, Second (3) for Lộc Ninh: the default points
    assert teams.index("Trường THCS Tân Phú") < teams.index("Trường THCS Lộc Ninh")
    assert "<strong>7</strong>" in block(page, "team-1") and "<strong>3</strong>" in block(page, "team-2")
    plan_page = organizer.get(f"/results/manage/{contest.id}/plan").get_data(as_text=True)
    assert "Team points" in plan_page and "Per age group" in plan_page


# --- the approving decision -------------------------------------------------------------------------------------------


def test_recording_the_approving_decision_and_a_correction(organizer, judged):
    contest = judged.contest
    url = f"/results/manage/{contest.id}/decision"
    assert "No decision is recorded yet." in organizer.get(url).get_data(as_text=True)
    data = {"number": "125/QĐ-LHH", "signed_on": "31/02/2026", "signer": "Nguyễn Văn Bình", "signer_title": "Chủ tịch"}
    response = organizer.post(url, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please enter a date as dd/mm/yyyy." in field_block(page, "signed_on")
    assert 'value="31/02/2026"' in page and 'value="125/QĐ-LHH"' in page and 'value="Chủ tịch"' in page
    response = organizer.post(url, data=data | {"number": "", "signed_on": ""})
    page = response.get_data(as_text=True)
    assert "Please fill in this field." in field_block(page, "number")
    assert "Please fill in this field." in field_block(page, "signed_on")
    response = organizer.post(url, data=data | {"signed_on": "15/05/2026"}, follow_redirects=True)
    assert "Decision 125/QĐ-LHH has been recorded." in response.get_data(as_text=True)
    organizer.post(url, data=data | {"number": "131/QĐ-LHH", "signed_on": "20/05/2026"})
    page = organizer.get(url).get_data(as_text=True)
    rows = db.session.scalars(select(AwardDecision).order_by(AwardDecision.id)).all()
    assert [(d.number, d.signed_on) for d in rows] == [
        ("125/QĐ-LHH", date(2026, 5, 15)),
        ("131/QĐ-LHH", date(2026, 5, 20)),
    ]
    assert "in force" in block(page, f"decision-{rows[1].id}") and "corrected" in block(page, f"decision-{rows[0].id}")
    assert page.index("131/QĐ-LHH") < page.index("125/QĐ-LHH") and "20/05/2026" in page
    assert len(audit("award_decision.create")) == 2
    awards_page = organizer.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    assert "Approved by decision 131/QĐ-LHH of 20/05/2026." in awards_page


# --- the edition's set-up pages, archives, access, queries ------------------------------------------------------------


def test_the_setup_pages_have_a_results_tab(organizer, judged):
    page = organizer.get(f"/contests/manage/{judged.contest.id}/settings").get_data(as_text=True)
    assert f'href="/results/manage/{judged.contest.id}/awards"' in page


def test_an_archived_edition_is_read_only(organizer, judged):
    contest = judged.contest
    contest.status = "archived"
    db.session.commit()
    response = organizer.post(f"/results/manage/{contest.id}/awards/generate", follow_redirects=True)
    assert "This edition is archived" in response.get_data(as_text=True)
    assert awards_of(contest) == {}
    data = {"number": "1/QĐ", "signed_on": "15/05/2026", "signer": "A"}
    organizer.post(f"/results/manage/{contest.id}/decision", data=data)
    assert db.session.scalar(select(AwardDecision.id)) is None
    page = organizer.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    assert 'data-testid="generate"' not in page and 'data-testid="give-form"' not in page


def test_an_organizer_of_another_organisation_is_refused(client, login_as, judged):
    contest = judged.contest
    service.generate_awards(contest, by=None)
    db.session.commit()
    award_id = db.session.scalar(select(Award.id).limit(1))
    other = make_organisation("Liên hiệp các hội KH&KT tỉnh Lạng Sơn")
    db.session.commit()
    outsider = make_account("organizer", name="Người Ngoài", scope=("organisation", other.id))
    local = make_account("organizer", name="Người Trong", scope=("organisation", contest.organisation_id))
    pages = [
        ("GET", f"/results/manage/{contest.id}/plan"),
        ("POST", f"/results/manage/{contest.id}/plan"),
        ("GET", f"/results/manage/{contest.id}/awards"),
        ("POST", f"/results/manage/{contest.id}/awards/generate"),
        ("POST", f"/results/manage/{contest.id}/awards/new"),
        ("POST", f"/results/manage/awards/{award_id}/change"),
        ("POST", f"/results/manage/{contest.id}/ties"),
        ("GET", f"/results/manage/{contest.id}/decision"),
        ("POST", f"/results/manage/{contest.id}/decision"),
    ]
    as_user(client, login_as, outsider)
    for method, url in pages:
        data = {f"award-{award_id}-reason": "x", f"award-{award_id}-remove": "y", "number": "1", "signer": "x"}
        assert client.open(url, method=method, data=data).status_code == 403, url
    assert db.session.get(Award, award_id) is not None and db.session.scalar(select(AwardDecision.id)) is None
    as_user(client, login_as, local)
    for method, url in pages:
        if method == "GET":
            assert client.get(url).status_code == 200, url


def _awards_page_queries(client, login_as, count_queries, n: int) -> int:
    """Queries of the awards page for `n` entries with stored awards, a tie, special prizes and a decision."""
    sheets = {i: [[20, 20, 30] if i in (2, 3) else [min(30, 10 + i), 20, 30]] for i in range(1, n + 1)}
    judging = make_judged(sheets)
    contest = judging.contest
    plan = plan_for(contest)
    service.update_plan(
        plan,
        {
            "round_id": None,
            "scope": "field",
            "tiers": [{"id": t.id, "name": t.name, "quota": t.quota} for t in plan.tiers],
            "specials": [
                {"id": None, "name": "Nhỏ tuổi nhất", "rule": "youngest_author"},
                {"id": None, "name": "Đơn vị", "rule": "unit_most_finalists"},
                {"id": None, "name": "Sáng kiến", "rule": "manual"},
            ],
            "tie_break": None,
        },
        by=None,
    )
    service.generate_awards(contest, by=None)
    special = next(t for t in plan.tiers if t.rule == "manual")
    service.give_award(contest, judging.entries[0].code, special.code, "Lý do", person_name="Tác giả 1", by=None)
    service.record_decision(contest, number="1/QĐ", signed_on=date(2026, 5, 15), signer="A", by=None)
    db.session.commit()
    client = as_user(client, login_as, judging.organizer)
    client.get(f"/results/manage/{contest.id}/awards")  # warm-up
    with count_queries() as counted:
        response = client.get(f"/results/manage/{contest.id}/awards")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count('data-testid="award-') >= 3 and 'data-testid="tie-' in page
    return counted.n


def test_the_awards_page_costs_the_same_queries_for_3_and_12_entries(client, login_as, count_queries):
    from tests.conftest import _empty_tables

    small = _awards_page_queries(client, login_as, count_queries, 3)
    db.session.remove()
    _empty_tables()
    large = _awards_page_queries(client, login_as, count_queries, 12)
    assert small == large, (small, large)
