"""Organizers' assignment page (judging/views/manage_assign.py): the preview of the automatic assignment writes
nothing, saving stores exactly what was previewed (and nothing if the plan changed meanwhile), the report of
entries that cannot get their judges, assignment by hand and taking back, with their refusals."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from judging import services
from judging.messages import ERROR_MESSAGES
from judging.models import Assignment, Conflict, Panel
from judging.views.manage_assign import UNMET_REASONS, plan_fingerprint
from tests.judging.factories import make_eligible_entry, make_judge, make_judging, score

# --- helpers -----------------------------------------------------------------------------------------------


def page_url(judging) -> str:
    return f"/judging/manage/rounds/{judging.round.id}/assignment"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def in_request(app, function):
    """Translations as a request of the default language (Vietnamese) sees them."""
    with app.test_request_context():
        return function()


def stored_pairs(round_) -> set[tuple[int, int]]:
    return set(
        db.session.execute(select(Assignment.judge_id, Assignment.entry_id).where(Assignment.round_id == round_.id))
    )


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def fingerprint(page: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)


def preview_pairs(page: str) -> set[tuple[int, int]]:
    """(judge, entry) pairs the preview marks + on the entries."""
    pairs = set()
    rows = re.findall(r'data-testid="entry-row" data-entry="(\d+)" data-judges="[\d,]*" data-adding="([\d,]*)"', page)
    for entry_id, judges in rows:
        pairs |= {(int(j), int(entry_id)) for j in judges.split(",") if j}
    return pairs


def judge_loads(page: str) -> dict[int, tuple[int, int, int]]:
    """judge -> (load now, load after, entries added) as the sub-panel's judges table says."""
    found = re.findall(
        r'data-testid="judge-load" data-judge="(\d+)" data-now="(\d+)" data-after="(\d+)" data-adding="(\d+)"', page
    )
    return {int(j): (int(n), int(a), int(adding)) for j, n, a, adding in found}


def unmet_rows(page: str) -> dict[int, tuple[str, int, int]]:
    found = re.findall(
        r'data-testid="unmet" data-entry="(\d+)" data-reason="(\w+)" data-needed="(\d+)" data-assigned="(\d+)"', page
    )
    return {int(e): (reason, int(n), int(a)) for e, reason, n, a in found}


def add_entry(judging, field_index: int, n: int, *, in_round: bool = True):
    """One more eligible entry, in the round unless told (registration reopened for a moment: the contest is in
    judging)."""
    contest = judging.contest
    contest.status = "open"
    entry = make_eligible_entry(contest, judging.owner, field_index, n)
    contest.status = "judging"
    if in_round:
        services.add_eligible_entries(judging.round, by=judging.organizer)
    db.session.commit()
    return entry


@pytest.fixture
def unassigned():
    """Six entries, a sub-panel of four judges, two judges wanted per entry, nothing assigned yet."""
    judging = make_judging(entries=6, judges=4, assign=False)
    assert judging.round.judges_per_entry == 2
    return judging


# --- preview and save ----------------------------------------------------------------------------------------


def test_the_preview_writes_nothing_and_shows_balanced_loads(client, login_as, unassigned):
    login_as(unassigned.organizer)
    response = client.get(page_url(unassigned))
    assert response.status_code == 200
    page = text(response)

    assert stored_pairs(unassigned.round) == set()
    assert audit("round.assign") == []
    pairs = preview_pairs(page)
    assert len(pairs) == 12 and {e for _j, e in pairs} == {e.id for e in unassigned.entries}
    loads = judge_loads(page)
    assert set(loads) == {j.id for j in unassigned.judges}
    assert all(now == 0 for now, _after, _added in loads.values())
    assert sorted(after for _now, after, _added in loads.values()) == [3, 3, 3, 3]
    # per judge and per entry, the preview says the same
    assert {j: added for j, (_n, _a, added) in loads.items()} == Counter(j for j, _e in pairs)
    assert 'data-testid="all-met"' in page
    assert re.search(r'data-testid="preview" data-adding="12"', page)


def test_saving_stores_exactly_what_was_previewed(client, login_as, unassigned):
    login_as(unassigned.organizer)
    first = unassigned.judges[0]
    services.assign_manually(unassigned.round, unassigned.entries[0], first, by=unassigned.organizer)
    db.session.commit()
    page = text(client.get(page_url(unassigned)))
    previewed = preview_pairs(page)
    assert (first.id, unassigned.entries[0].id) not in previewed and len(previewed) == 11

    response = client.post(page_url(unassigned), data={"fingerprint": fingerprint(page)})
    assert response.status_code == 302 and response.headers["Location"].endswith(page_url(unassigned))
    assert stored_pairs(unassigned.round) == previewed | {(first.id, unassigned.entries[0].id)}
    sources = dict(db.session.execute(select(Assignment.source, func.count()).group_by(Assignment.source)).all())
    assert sources == {"auto": 11, "manual": 1}
    (entry,) = audit("round.assign")
    assert entry.after == {"added": 11, "unmet": []} and entry.actor_id == unassigned.organizer.id

    again = text(client.get(page_url(unassigned)))
    assert 'data-testid="nothing-to-add"' in again
    assert sorted(after for _n, after, _a in judge_loads(again).values()) == [3, 3, 3, 3]


def test_a_stale_preview_is_not_saved_and_the_new_one_is_shown(client, login_as, unassigned, app):
    login_as(unassigned.organizer)
    page = text(client.get(page_url(unassigned)))
    old = fingerprint(page)
    # meanwhile, another organizer gives an entry to a judge by hand
    services.assign_manually(unassigned.round, unassigned.entries[2], unassigned.judges[3], by=unassigned.organizer)
    db.session.commit()

    response = client.post(page_url(unassigned), data={"fingerprint": old})
    assert response.status_code == 200  # shown again, with what changed
    again = text(response)
    assert 'data-testid="stale-preview"' in again
    assert stored_pairs(unassigned.round) == {(unassigned.judges[3].id, unassigned.entries[2].id)}
    assert audit("round.assign") == []
    new = fingerprint(again)
    assert new != old and new == plan_fingerprint(unassigned.round, services.plan_assignment(unassigned.round))

    # the preview shown is the one saved
    assert client.post(page_url(unassigned), data={"fingerprint": new}).status_code == 302
    assert len(stored_pairs(unassigned.round)) == 12


def test_a_save_without_a_preview_is_refused(client, login_as, unassigned, app):
    login_as(unassigned.organizer)
    response = client.post(page_url(unassigned), data={})
    assert response.status_code == 200
    said = in_request(app, lambda: gettext("Nothing was saved: look at the preview and save it again."))
    assert said in text(response) and 'data-testid="preview"' in text(response)
    response = client.post(page_url(unassigned), data={"fingerprint": "0" * 32})
    assert 'data-testid="stale-preview"' in text(response)
    assert stored_pairs(unassigned.round) == set() and audit("round.assign") == []


def test_nothing_to_add_is_said_and_not_audited(client, login_as):
    judging = make_judging(entries=2, judges=2)  # every entry judged by both judges already
    login_as(judging.organizer)
    page = text(client.get(page_url(judging)))
    assert 'data-testid="nothing-to-add"' in page and 'data-testid="save-plan"' not in page
    current = plan_fingerprint(judging.round, services.plan_assignment(judging.round))
    response = client.post(page_url(judging), data={"fingerprint": current})
    assert response.status_code == 302
    assert audit("round.assign") == []


# --- the report of unmet entries -----------------------------------------------------------------------------


def test_entries_that_cannot_get_their_judges_are_reported_with_reasons(client, login_as, app):
    """Field 1: a sub-panel of two judges, one of them in conflict with entry 1. Field 2: a sub-panel of one
    judge (two wanted). Field 3: no sub-panel."""
    judging = make_judging(entries=2, judges=2, assign=False)
    contest, organizer = judging.contest, judging.organizer
    in_conflict, free = judging.judges
    crossed = judging.entries[0]
    db.session.add(Conflict(contest_id=contest.id, judge_id=in_conflict.id, entry_id=crossed.id, kind="family"))
    lonely = make_judge(contest, 3)
    small = services.save_panel(
        contest, "Tiểu ban Nông nghiệp", [contest.fields[1].id], [lonely.id], None, by=organizer
    )
    in_small = add_entry(judging, 1, 3)
    orphan = add_entry(judging, 2, 4)
    db.session.commit()

    login_as(organizer)
    page = text(client.get(page_url(judging) + "?panel=all"))
    unmet = unmet_rows(page)
    assert unmet == {
        crossed.id: ("conflicts", 2, 1),
        in_small.id: ("panel_too_small", 2, 1),
        orphan.id: ("no_panel", 2, 0),
    }
    reasons = in_request(app, lambda: {k: str(v) for k, v in UNMET_REASONS.items()})
    for reason in ("conflicts", "panel_too_small", "no_panel"):
        assert reasons[reason] in page
    row = re.search(rf'data-testid="unmet" data-entry="{crossed.id}".*?</tr>', page, re.S).group(0)
    assert in_conflict.full_name in row and crossed.code in row and crossed.title in row
    assert small.name in re.search(rf'data-testid="unmet" data-entry="{in_small.id}".*?</tr>', page, re.S).group(0)
    # what can be done is still offered: the free judge takes the crossed entry, the lonely one his entry
    pairs = preview_pairs(page)
    assert (in_conflict.id, crossed.id) not in pairs
    assert {(free.id, crossed.id), (lonely.id, in_small.id)} <= pairs
    assert not any(e == orphan.id for _j, e in pairs)

    client.post(page_url(judging), data={"fingerprint": fingerprint(page)})
    assert (in_conflict.id, crossed.id) not in stored_pairs(judging.round)
    assert audit("round.assign")[0].after["unmet"] == sorted([crossed.id, in_small.id, orphan.id])


def test_an_assignment_crossing_a_conflict_is_named_and_blocks_the_plan(client, login_as):
    judging = make_judging(entries=2, judges=2)
    judge, entry = judging.judges[1], judging.entries[1]
    db.session.add(Conflict(contest_id=judging.contest.id, judge_id=judge.id, entry_id=entry.id, kind="same_unit"))
    db.session.commit()
    login_as(judging.organizer)
    page = text(client.get(page_url(judging)))
    assert 'data-testid="preview"' not in page
    crossed = re.findall(r'data-testid="crossed" data-judge="(\d+)" data-entry="(\d+)"', page)
    assert crossed == [(str(judge.id), str(entry.id))]
    block = re.search(r'data-testid="crossed-conflicts".*?</div>', page, re.S).group(0)
    assert judge.full_name in block and entry.code in block
    response = client.post(page_url(judging), data={"fingerprint": "0" * 32})
    assert response.status_code == 200 and 'data-testid="crossed"' in text(response)
    assert stored_pairs(judging.round) == {(j.id, e.id) for j in judging.judges for e in judging.entries}

    # taking the entry back settles it
    assignment = judging.assignment(judge, entry)
    assert client.post(f"/judging/manage/assignments/{assignment.id}/delete").status_code == 302
    assert 'data-testid="preview"' in text(client.get(page_url(judging)))


def test_blind_rounds_hide_nothing_from_organizers(client, login_as):
    judging = make_judging(entries=2, judges=2, blind=True)
    login_as(judging.organizer)
    page = text(client.get(page_url(judging)))
    entry = judging.entries[0]
    assert entry.lead_name and entry.lead_name in page and entry.unit_name in page


# --- by hand -------------------------------------------------------------------------------------------------


def manual(client, judging, **data):
    return client.post(f"/judging/manage/rounds/{judging.round.id}/assignment/manual", data=data)


def test_assign_by_code_or_from_the_list(client, login_as, unassigned):
    login_as(unassigned.organizer)
    first, second = unassigned.entries[:2]
    judge = unassigned.judges[0]
    response = manual(client, unassigned, entry_code=first.code.lower(), judge_id=judge.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#entry-{first.id}")
    response = manual(client, unassigned, entry_id=second.id, judge_id=judge.id)
    assert response.status_code == 302
    assert stored_pairs(unassigned.round) == {(judge.id, first.id), (judge.id, second.id)}
    assert [a.source for a in db.session.scalars(select(Assignment))] == ["manual", "manual"]
    assert len(audit("assignment.create")) == 2
    # the entry chosen from a row's link is preselected
    page = text(client.get(page_url(unassigned) + f"?entry={second.id}"))
    assert re.search(rf'<option selected value="{second.id}">', page)


def test_manual_refusals_come_back_beside_their_field(client, login_as, app):
    judging = make_judging(entries=2, judges=2, assign=False)
    contest, organizer = judging.contest, judging.organizer
    judge, other = judging.judges
    entry = judging.entries[0]
    db.session.add(Conflict(contest_id=contest.id, judge_id=other.id, entry_id=entry.id, kind="author"))
    outsider = make_judge(contest, 9)  # a judge on no sub-panel
    services.save_panel(contest, "Tiểu ban Y dược", [contest.fields[1].id], [outsider.id], None, by=organizer)
    db.session.commit()
    login_as(organizer)
    messages = in_request(app, lambda: {k: str(v) for k, v in ERROR_MESSAGES.items()})

    def refused(expected_code: str, **data):
        response = manual(client, judging, **data)
        assert response.status_code == 200
        page = text(response)
        assert messages[expected_code] in page, expected_code
        return page

    page = refused("conflict", entry_id=entry.id, judge_id=other.id)
    assert re.search(r'<select class="form-select is-invalid" id="judge_id"', page)
    refused("not_on_panel", entry_id=entry.id, judge_id=outsider.id)
    manual(client, judging, entry_id=entry.id, judge_id=judge.id)
    refused("already_assigned", entry_code=entry.code, judge_id=judge.id)
    page = text(manual(client, judging, entry_code="KHONG-CO", judge_id=judge.id))
    assert "KHONG-CO" in page and 'id="entry_code"' in page and "is-invalid" in page
    page = text(manual(client, judging, judge_id=judge.id))
    assert re.search(r'<select class="form-select is-invalid" id="entry_id"', page)
    page = text(manual(client, judging, entry_id=entry.id))
    assert re.search(r'<select class="form-select is-invalid" id="judge_id"', page)

    # an entry of the contest that is not in the round
    not_in_round = add_entry(judging, 0, 7, in_round=False)
    refused("not_in_round", entry_id=not_in_round.id, judge_id=judge.id)
    # an entry of the round whose field no sub-panel judges
    orphan = add_entry(judging, 2, 8)
    refused("no_panel", entry_code=orphan.code, judge_id=judge.id)
    assert stored_pairs(judging.round) == {(judge.id, entry.id)}


# --- taking back ---------------------------------------------------------------------------------------------


def test_taking_back_is_refused_once_the_sheet_is_submitted(client, login_as, app):
    judging = make_judging(entries=2, judges=2)
    judge = judging.judges[0]
    submitted, drafted = judging.entries
    score(judging, judge, submitted, [20, 20, 30])
    score(judging, judge, drafted, [10, 10, 10], submit=False)
    login_as(judging.organizer)

    done = judging.assignment(judge, submitted)
    response = client.post(f"/judging/manage/assignments/{done.id}/delete", follow_redirects=True)
    message = in_request(app, lambda: str(ERROR_MESSAGES["sheet_submitted"]))
    assert message in text(response)
    assert db.session.get(Assignment, done.id) is not None

    draft = judging.assignment(judge, drafted)
    page = text(client.get(page_url(judging)))
    assert f"/judging/manage/assignments/{draft.id}/delete" in page
    assert f"/judging/manage/assignments/{done.id}/delete" not in page  # no button for a submitted sheet
    draft_id = draft.id
    assert client.post(f"/judging/manage/assignments/{draft_id}/delete").status_code == 302
    assert db.session.get(Assignment, draft_id) is None
    (deleted,) = audit("assignment.delete")
    assert deleted.object_type == "judging_assignments" and deleted.object_id == str(draft_id)


def test_an_organizer_of_another_contest_is_refused(client, login_as, make_user):
    judging = make_judging(entries=1, judges=1)
    other = make_judging(entries=1, judges=1)
    scoped = make_user("organizer", email="khac@example.vn", scope=("contest", other.contest.id))
    login_as(scoped)
    assert client.get(page_url(judging)).status_code == 403
    assert client.get(page_url(other)).status_code == 200


# --- cost ----------------------------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_few_or_many_entries(client, login_as, count_queries):
    judging = make_judging(entries=3, judges=3, assign=False)
    login_as(judging.organizer)
    panel = db.session.scalar(select(Panel))
    services.assign_manually(judging.round, judging.entries[1], judging.judges[1], by=judging.organizer)
    db.session.commit()

    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(page_url(judging)).status_code == 200
        return counted.n

    few = measure()
    for n in range(4, 16):
        add_entry(judging, 0, n)
    extra = [make_judge(judging.contest, n) for n in (21, 22)]
    members = panel.member_ids + [j.id for j in extra]
    services.save_panel(
        judging.contest, panel.name, panel.field_ids, members, panel.head_id, by=judging.organizer, panel=panel
    )
    services.assign_manually(judging.round, judging.entries[0], judging.judges[0], by=judging.organizer)
    db.session.commit()
    many = measure()
    assert few == many, (few, many)
    assert many <= 20, many
