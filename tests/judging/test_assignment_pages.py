"""The assignment and progress pages at any scale (judging/services/assignment_pages.py,
judging/views/manage_assign.py): the plan the page makes is the service's plan, one sub-panel and one page of
entries or judges at a time whatever the round's size, filters (sub-panel, status, search, judge) kept by the page
links, counts for the whole round above, and the same number of queries for few or many entries."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from competitions.models import Entry
from judging import services
from judging.models import Assignment, Conflict, Panel
from judging.services import assignment_pages as pages
from judging.views import manage_assign
from tests.judging.factories import make_eligible_entry, make_judge, make_judging, score

# --- helpers -----------------------------------------------------------------------------------------------


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def board(judging, query: str = "") -> str:
    return f"/judging/manage/rounds/{judging.round.id}/assignment{query}"


def progress(judging, query: str = "") -> str:
    return f"/judging/manage/rounds/{judging.round.id}/progress{query}"


def entry_rows(page: str) -> list[int]:
    return [int(e) for e in re.findall(r'data-testid="entry-row" data-entry="(\d+)"', page)]


def judge_rows(page: str, testid: str = "judge-progress") -> list[int]:
    return [int(j) for j in re.findall(rf'data-testid="{testid}" data-judge="(\d+)"', page)]


def count(page: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}" data-count="(\d+)"', page).group(1))


def page_links(page: str) -> list[dict[str, list[str]]]:
    """The query arguments of the pager's links."""
    hrefs = re.findall(r'<a class="page-link" href="([^"]+)"', page)
    return [parse_qs(urlsplit(h).query) for h in hrefs]


def add_entries(judging, field_index: int, numbers) -> list:
    judging.contest.status = "open"
    made = [make_eligible_entry(judging.contest, judging.owner, field_index, n) for n in numbers]
    judging.contest.status = "judging"
    services.add_eligible_entries(judging.round, by=judging.organizer)
    db.session.commit()
    return made


def second_panel(judging, judges=(11, 12)):
    """A second sub-panel judging the contest's second field, with its own judges."""
    people = [make_judge(judging.contest, n) for n in judges]
    panel = services.save_panel(
        judging.contest,
        "Tiểu ban Y dược",
        [judging.contest.fields[1].id],
        [j.id for j in people],
        None,
        by=judging.organizer,
    )
    db.session.commit()
    return panel, people


def same_plan(round_) -> None:
    """The page's plan is the service's (the pairs aside: the page leaves them out when nothing is planned)."""
    try:
        expected = services.plan_assignment(round_)
    except ValueError:
        with pytest.raises(ValueError):
            pages.plan(round_, pages.round_data(round_))
        return
    got = pages.plan(round_, pages.round_data(round_))
    assert (got.added, got.unmet, got.unbalanced, got.loads) == (
        expected.added,
        expected.unmet,
        expected.unbalanced,
        expected.loads,
    )
    assert manage_assign.plan_fingerprint(round_, got) == manage_assign.plan_fingerprint(round_, expected)


# --- the plan ------------------------------------------------------------------------------------------------


def test_the_page_plans_as_the_service_in_every_state():
    judging = make_judging(entries=5, judges=3, assign=False)
    round_ = judging.round
    same_plan(round_)  # nothing assigned
    second_panel(judging, judges=(11,))  # a sub-panel too small for two judges an entry
    add_entries(judging, 1, [20, 21])
    add_entries(judging, 2, [30])  # a field no sub-panel judges
    db.session.add(
        Conflict(
            contest_id=judging.contest.id, judge_id=judging.judges[0].id, entry_id=judging.entries[0].id, kind="family"
        )
    )
    db.session.commit()
    same_plan(round_)
    services.save_assignment(round_, services.plan_assignment(round_), by=judging.organizer)
    db.session.commit()
    same_plan(round_)  # what is left: the entries that cannot get their judges

    full = make_judging(entries=4, judges=3, assign=False)
    services.save_assignment(full.round, services.plan_assignment(full.round), by=full.organizer)
    db.session.commit()
    same_plan(full.round)  # nothing to plan: made without planning
    extra = add_entries(full, 0, [40, 41, 42])  # given by hand to the first two judges: loads now unbalanced
    for entry in extra:
        for judge in full.judges[:2]:
            db.session.add(Assignment(round_id=full.round.id, entry_id=entry.id, judge_id=judge.id, source="manual"))
    db.session.commit()
    same_plan(full.round)  # unbalanced, nothing to plan
    db.session.add(
        Conflict(contest_id=full.contest.id, judge_id=full.judges[0].id, entry_id=extra[0].id, kind="family")
    )
    db.session.commit()
    same_plan(full.round)  # an assignment crosses a conflict: no plan


# --- the assignment page -------------------------------------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(manage_assign, "ENTRIES_PER_PAGE", 4)
    monkeypatch.setattr(manage_assign, "JUDGES_PER_PAGE", 2)
    monkeypatch.setattr(manage_assign, "UNMET_LISTED", 3)


def test_the_board_shows_one_page_and_costs_the_same_for_few_or_many_entries(
    client, login_as, count_queries, small_pages
):
    judging = make_judging(entries=3, judges=3, assign=False)
    login_as(judging.organizer)

    def measure(query: str = "") -> tuple[int, str]:
        db.session.expire_all()
        with count_queries() as counted:
            response = client.get(board(judging, query))
            assert response.status_code == 200
        return counted.n, text(response)

    few, page = measure()
    assert len(entry_rows(page)) == 3 and count(page, "entries-count") == 3
    add_entries(judging, 0, range(10, 37))
    many, page = measure()
    assert few == many, (few, many)
    rows = entry_rows(page)
    assert len(rows) == 4 and count(page, "entries-count") == 30
    # the whole round is counted above the page
    assert 'data-entries="30"' in page and re.search(r'data-testid="preview" data-adding="60"', page)
    # page after page, every entry once, in code order
    seen = []
    for number in range(1, 9):
        seen += entry_rows(text(client.get(board(judging, f"?page={number}"))))
    codes = {e.id: e.code for e in judging.entries}
    codes.update({e.id: e.code for e in db.session.scalars(select(Entry).where(Entry.id.in_(seen)))})
    assert len(seen) == 30 and len(set(seen)) == 30 and seen == sorted(seen, key=lambda e: (codes[e], e))
    # saved, the round costs the same to show
    services.save_assignment(judging.round, services.plan_assignment(judging.round), by=judging.organizer)
    db.session.commit()
    saved, page = measure()
    assert saved <= many + 1, (saved, many)
    assert 'data-testid="nothing-to-add"' in page and len(entry_rows(page)) == 4


def test_the_board_filters_keep_their_entries_and_the_page_links_keep_the_filters(client, login_as, small_pages):
    judging = make_judging(entries=9, judges=2, assign=False)
    _panel, people = second_panel(judging)
    other = add_entries(judging, 1, range(50, 56))
    first = judging.entries[0]
    services.assign_manually(judging.round, first, judging.judges[0], by=judging.organizer)
    db.session.commit()
    login_as(judging.organizer)

    # the first sub-panel by default, its judges' loads beside
    page = text(client.get(board(judging)))
    assert count(page, "entries-count") == 9
    assert set(judge_rows(page, "judge-load")) == {j.id for j in judging.judges}
    # the second one, asked for
    panel_b = db.session.scalar(select(Panel).where(Panel.name == "Tiểu ban Y dược"))
    page = text(client.get(board(judging, f"?panel={panel_b.id}")))
    assert count(page, "entries-count") == 6 and set(entry_rows(page)) <= {e.id for e in other}
    assert set(judge_rows(page, "judge-load")) == {j.id for j in people}
    # all of them
    page = text(client.get(board(judging, "?panel=all")))
    assert count(page, "entries-count") == 15 and judge_rows(page, "judge-load") == []

    # by code (any case), by title word, by a judge's name
    page = text(client.get(board(judging, f"?panel=all&q={first.code.lower()}")))
    assert entry_rows(page) == [first.id]
    name = judging.judges[0].full_name
    page = text(client.get(board(judging, f"?q={name}")))
    assert first.id in entry_rows(page)  # the entry the judge has now, and those the preview gives them
    # by judge: what they have now and what the preview adds
    page = text(client.get(board(judging, f"?judge={judging.judges[0].id}")))
    assert first.id in entry_rows(page) and 'data-testid="judge-filter"' in page
    # by status
    page = text(client.get(board(judging, "?status=short")))
    assert count(page, "entries-count") == 9
    page = text(client.get(board(judging, "?panel=all&status=complete")))
    assert count(page, "entries-count") == 0

    # the pager keeps the filters
    page = text(client.get(board(judging, "?panel=all&status=short")))
    assert count(page, "entries-count") == 15 and len(entry_rows(page)) == 4
    links = page_links(page)
    assert links and all(a["panel"] == ["all"] and a["status"] == ["short"] for a in links)
    assert {a["page"][0] for a in links} >= {"2", "3", "4"}
    last = text(client.get(board(judging, "?panel=all&status=short&page=4")))
    assert len(entry_rows(last)) == 3


def test_the_unmet_report_is_bounded_and_counted_by_reason(client, login_as, small_pages):
    judging = make_judging(entries=2, judges=2, assign=False)
    add_entries(judging, 2, range(60, 66))  # six entries no sub-panel judges
    login_as(judging.organizer)
    page = text(client.get(board(judging)))
    assert count(page, "unmet-summary") == 6
    assert len(re.findall(r'data-testid="unmet" ', page)) == 3
    assert 'data-testid="unmet-reason" data-reason="no_panel" data-count="6"' in page
    page = text(client.get(board(judging, "?panel=all&status=unmet")))
    assert count(page, "entries-count") == 6 and 'data-testid="entry-unmet"' in page


def test_actions_bring_back_the_entry_they_touched(client, login_as, small_pages):
    judging = make_judging(entries=9, judges=2, assign=False)
    last = max(judging.entries, key=lambda e: e.code)
    judge = judging.judges[1]
    login_as(judging.organizer)
    response = client.post(
        f"/judging/manage/rounds/{judging.round.id}/assignment/manual",
        data={"entry_code": last.code, "judge_id": judge.id},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(f"#entry-{last.id}") and f"q={last.code}" in location
    page = text(client.get(location.split("#")[0]))
    assert entry_rows(page) == [last.id]
    assignment = db.session.scalar(select(Assignment).where(Assignment.entry_id == last.id))
    assert f"/judging/manage/assignments/{assignment.id}/delete" in page
    # the "add by hand" link of a row preselects its entry, even when it is not on the first page
    page = text(client.get(board(judging, f"?entry={last.id}")))
    assert re.search(rf'<option selected value="{last.id}">', page)

    assignment_id = assignment.id
    response = client.post(f"/judging/manage/assignments/{assignment_id}/delete")
    assert response.status_code == 302 and f"q={last.code}" in response.headers["Location"]
    assert db.session.get(Assignment, assignment_id) is None


# --- the progress board ----------------------------------------------------------------------------------------


def test_the_progress_board_shows_one_sub_panel_a_page_at_a_time(client, login_as, count_queries, small_pages):
    judging = make_judging(entries=3, judges=3)
    _panel, people = second_panel(judging, judges=(31, 33, 34))
    score(judging, judging.judges[0], judging.entries[0], [20, 20, 30])
    login_as(judging.organizer)

    def measure(query: str = "") -> tuple[int, str]:
        db.session.expire_all()
        with count_queries() as counted:
            response = client.get(progress(judging, query))
            assert response.status_code == 200
        return counted.n, text(response)

    few, page = measure()
    # every sub-panel counted, the first one's judges listed, two a page
    assert len(re.findall(r'data-testid="panel-progress"', page)) == 2
    assert count(page, "judges-count") == 3 and len(judge_rows(page)) == 2
    links = page_links(page)
    assert links and all("page" in a for a in links)
    page = text(client.get(progress(judging, "?page=2")))
    assert len(judge_rows(page)) == 1

    more = add_entries(judging, 0, range(10, 40))
    for entry in more:
        for judge in judging.judges:
            db.session.add(Assignment(round_id=judging.round.id, entry_id=entry.id, judge_id=judge.id, source="manual"))
    db.session.commit()
    many, page = measure()
    assert few == many, (few, many)
    assert len(judge_rows(page)) == 2
    assert len(re.findall(r'data-testid="missing-entry"', page)) <= manage_assign.MISSING_LISTED

    # filters: the sub-panel, a judge's name, their state; the pager keeps them
    panel_b = db.session.scalar(select(Panel).where(Panel.name == "Tiểu ban Y dược"))
    page = text(client.get(progress(judging, f"?panel={panel_b.id}&status=idle")))
    assert set(judge_rows(page)) <= {p.id for p in people} and count(page, "judges-count") == 3
    assert all(a["panel"] == [str(panel_b.id)] and a["status"] == ["idle"] for a in page_links(page))
    page = text(client.get(progress(judging, "?panel=all&q=khao so 2")))  # "Giám khảo Số 2", no other
    assert judge_rows(page) == [judging.judges[1].id]
    page = text(client.get(progress(judging, "?panel=all&status=behind")))
    assert count(page, "judges-count") == 3 and set(judge_rows(page)) <= {j.id for j in judging.judges}
