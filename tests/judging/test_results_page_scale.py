"""The organizers' results page of a large round: one field at a time, entries and judges paged with the filters
kept, each entry's judges listed in one cell when a field has many judges, re-scoring forms only for the divergent
entries shown, the round's figures for the whole round; and the standings remembered by the worker (PostgreSQL)
never shown stale. The page's limits are lowered here so that a few entries stand for a national round."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from judging import services
from judging.services import standings_cache
from judging.views import manage_results
from tests.conftest import _empty_tables
from tests.judging.factories import make_judging, score
from tests.judging.test_manage_results import diverging, html
from tests.judging.test_standings import second_field


@pytest.fixture()
def small_limits(monkeypatch):
    """A round of more than 4 entries counts as large; 2 entries and 1 judge a page; columns for 1 judge."""
    monkeypatch.setattr(manage_results, "ALL_FIELDS_UP_TO", 4)
    monkeypatch.setattr(manage_results, "ENTRIES_PER_PAGE", 2)
    monkeypatch.setattr(manage_results, "JUDGES_PER_PAGE", 1)
    monkeypatch.setattr(manage_results, "JUDGE_COLUMNS_UP_TO", 1)


def two_fields():
    """Field 1: 3 entries (the first divergent) judged by 2 judges; field 2: 2 entries judged by 3 other judges."""
    judging = make_judging(entries=3, judges=2)
    a, b, c = diverging(judging)
    made, people = second_field(judging, entries=2, judges=3)
    score(judging, people[0], made[0], [10, 10, 10])
    score(judging, people[1], made[0], [30, 30, 40])  # 30 and 100: divergent
    score(judging, people[2], made[1], [20, 20, 20], submit=False)
    return judging, (a, b, c), made, people


def entry_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="entry-\d+" data-entry-id="(\d+)"', page)]


def links(page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]*results\?[^"]*)"', page)]


def test_a_large_round_shows_its_first_field_paged_with_the_round_figures(client, login_as, small_limits):
    judging, (a, b, c), made, _people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"
    first, second = judging.contest.fields[0].id, judging.contest.fields[1].id

    page = html(client.get(url))

    assert page.count('data-testid="field-results"') == 1 and f'data-field="{first}"' in page
    assert entry_ids(page) == [c.id, a.id]  # by rank; b (rank 2 with a) on page 2
    assert 'data-testid="entries-shown" data-first="1" data-last="2" data-total="3"' in page
    # the round's figures: every field
    assert 'data-testid="divergent-count" data-count="2"' in page
    assert 'data-testid="entry-count"' in page and "5 " in page
    assert 'data-testid="missing-sheets" data-count="4"' in page  # field 2: 1 of 3 sheets missing, then 3 of 3
    pages = [link for link in links(page) if "page=2" in link and "judges_page" not in link]
    assert pages and all(f"field={first}" in link for link in pages)

    second_page = html(client.get(url, query_string={"field": first, "page": 2}))
    assert entry_ids(second_page) == [b.id]
    everything = html(client.get(url, query_string={"field": "all"}))
    assert entry_ids(everything) == [c.id, a.id]
    assert 'data-total="5"' in everything
    last = html(client.get(url, query_string={"field": "all", "page": 3}))
    assert entry_ids(last) == [made[1].id]
    assert f'data-field="{second}"' in last
    beyond = html(client.get(url, query_string={"field": "all", "page": 99}))
    assert entry_ids(beyond) == [made[1].id]  # out of range: the last page


def test_the_divergent_filter_is_kept_in_the_page_links(client, login_as, small_limits):
    judging, (a, _b, _c), made, _people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    page = html(client.get(url, query_string={"field": "all", "divergent": 1}))

    assert entry_ids(page) == [a.id, made[0].id]
    assert page.count('data-testid="rescore-form"') == 2
    assert 'data-testid="entries-pager"' not in page  # one page
    assert all("divergent=1" in link for link in links(page) if "page=" in link)


def test_rescore_forms_only_for_the_divergent_entries_shown(client, login_as, small_limits):
    judging, (a, _b, _c), made, _people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    page = html(client.get(url, query_string={"field": judging.contest.fields[1].id}))

    assert page.count('data-testid="rescore-form"') == 1
    assert f"/entries/{made[0].id}/rescore" in page and f"/entries/{a.id}/rescore" not in page


def test_many_judges_are_listed_in_one_cell_with_their_totals_and_drafts(client, login_as, small_limits):
    judging, _entries, made, people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    page = html(client.get(url, query_string={"field": judging.contest.fields[1].id}))

    assert 'data-testid="judges-heading"' in page
    assert f'<th scope="col" class="text-end" data-judge="{people[0].id}">' not in page  # no column per judge
    row = page[page.index(f'data-entry-id="{made[0].id}"') : page.index(f'data-entry-id="{made[1].id}"')]
    assert f'data-judge="{people[0].id}" data-total="30.00">' in row and people[0].full_name in row
    assert f'data-judge="{people[1].id}" data-total="100.00">' in row
    assert f'data-judge="{people[2].id}" data-sheet-status="none">' in row  # assigned, not opened
    rest = page[page.index(f'data-entry-id="{made[1].id}"') :]
    assert f'data-judge="{people[2].id}" data-sheet-status="draft">' in rest


def test_the_judges_statistics_show_the_judges_of_the_field_paged(client, login_as, small_limits):
    judging, _entries, _made, people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"
    second = judging.contest.fields[1].id

    shown = []
    for number in (1, 2, 3):
        page = html(client.get(url, query_string={"field": second, "judges_page": number}))
        rows = re.findall(r'<tr data-judge-id="(\d+)"', page)
        assert len(rows) == 1
        shown += [int(r) for r in rows]
        assert 'data-testid="judges-shown" data-total="3"' in page
        judge_links = [link for link in links(page) if "judges_page" in link]
        assert judge_links and all(f"field={second}" in link for link in judge_links)
    assert sorted(shown) == sorted(p.id for p in people)
    everyone = html(client.get(url, query_string={"field": "all"}))
    assert 'data-testid="judges-shown" data-total="5"' in everyone


def test_a_small_round_shows_every_field_with_a_column_per_judge(client, login_as):
    judging, (a, b, c), made, people = two_fields()
    login_as(judging.organizer)

    page = html(client.get(f"/judging/manage/rounds/{judging.round.id}/results"))

    assert page.count('data-testid="field-results"') == 2
    assert sorted(entry_ids(page)) == sorted([a.id, b.id, c.id, *(m.id for m in made)])
    assert f'<th scope="col" class="text-end" data-judge="{people[0].id}">' in page
    assert 'data-testid="judges-heading"' not in page and 'data-testid="entries-pager"' not in page


def test_a_rescore_opens_the_page_of_the_entry(client, login_as, small_limits):
    judging, (_a, b, _c), made, _people = two_fields()
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    opened = html(client.get(url, query_string={"entry": made[0].id}))  # not in the default field
    assert made[0].id in entry_ids(opened)
    assert html(client.get(url, query_string={"entry": b.id})).count(f'data-entry-id="{b.id}"') == 1  # page 2

    refused = client.post(f"{url[: -len('/results')]}/entries/{made[0].id}/rescore", data={})
    assert refused.status_code == 400
    assert made[0].id in entry_ids(html(refused)) and "is-invalid" in html(refused)

    sent = client.post(
        f"{url[: -len('/results')]}/entries/{made[0].id}/rescore", data={f"rescore-{made[0].id}-reason": "Lệch"}
    )
    assert sent.status_code == 302 and f"entry={made[0].id}" in sent.headers["Location"]
    after = html(client.get(sent.headers["Location"]))
    row = after[after.index(f'data-entry-id="{made[0].id}"') :]
    assert 'data-testid="rescore-sent"' in row


def test_queries_and_rows_shown_do_not_grow_with_the_round(client, login_as, count_queries, monkeypatch):
    monkeypatch.setattr(manage_results, "ALL_FIELDS_UP_TO", 2)
    monkeypatch.setattr(manage_results, "ENTRIES_PER_PAGE", 3)
    monkeypatch.setattr(manage_results, "JUDGES_PER_PAGE", 2)

    def measure(entries: int) -> tuple[int, int, int]:
        db.session.remove()
        _empty_tables()
        judging = make_judging(entries=entries, judges=4)
        for i, entry in enumerate(judging.entries):
            for j, judge in enumerate(judging.judges):
                score(judging, judge, entry, [10 + i % 5, 10 + j * 5, 20 + (i * j) % 7], submit=(i + j) % 4 != 0)
        login_as(judging.organizer)
        url = f"/judging/manage/rounds/{judging.round.id}/results"
        client.get(url)  # warm up
        with count_queries() as counted:
            response = client.get(url, query_string={"page": 2, "divergent": 0})
        page = html(response)
        return counted.n, len(entry_ids(page)), len(re.findall(r"<tr data-judge-id=", page))

    (small_queries, small_rows, small_judges), (large_queries, large_rows, large_judges) = measure(4), measure(30)
    assert small_queries == large_queries
    assert (small_rows, large_rows) == (1, 3)  # page 2 of 4 entries: 1; of 30: a full page
    assert small_judges == large_judges == 2


# --- the standings remembered ---------------------------------------------------------------------------------------


@pytest.fixture()
def computations(monkeypatch):
    """How many times the standings are worked out."""
    standings_cache.forget()
    calls = []
    real = standings_cache.round_standings

    def counting(round_):
        calls.append(round_.id)
        return real(round_)

    monkeypatch.setattr(standings_cache, "round_standings", counting)
    yield calls
    standings_cache.forget()


def remembers() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def test_the_standings_are_remembered_until_a_sheet_changes(client, login_as, computations):
    judging = make_judging(entries=3, judges=2)
    _a, b, _c = diverging(judging)
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"

    client.get(url)
    client.get(url, query_string={"divergent": 1})
    assert len(computations) == (1 if remembers() else 2)

    sheet = judging.assignment(judging.judges[0], b).sheet
    services.reopen_sheet(sheet, "Xem lại", by=judging.organizer)
    db.session.commit()
    reopened = html(client.get(url))
    assert f'data-judge="{judging.judges[0].id}" data-sheet-status="draft"' in reopened
    assert f'data-entry-id="{b.id}" data-rank="2" data-raw="70.00"' in reopened

    services.submit_sheet(sheet, by=judging.judges[0])
    db.session.commit()
    submitted = html(client.get(url))
    assert f'data-entry-id="{b.id}" data-rank="2" data-raw="65.00"' in submitted
    assert len(computations) == (3 if remembers() else 4)


def test_a_rescore_and_a_renamed_judge_show_at_once(client, login_as, computations):
    judging = make_judging(entries=3, judges=2)
    a, _b, _c = diverging(judging)
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/results"
    assert 'data-testid="rescore-sent"' not in html(client.get(url))

    rescore = f"/judging/manage/rounds/{judging.round.id}/entries/{a.id}/rescore"
    assert client.post(rescore, data={}).status_code == 400
    sent = client.post(rescore, data={f"rescore-{a.id}-reason": "Lệch"})
    assert sent.status_code == 302
    page = html(client.get(url))
    assert 'data-testid="rescore-sent"' in page
    assert f'data-judge="{judging.judges[0].id}" data-sheet-status="draft"' in page  # its sheets reopened

    judging.judges[1].set_name("Giám Khảo Đổi Tên")
    db.session.commit()
    assert "Giám Khảo Đổi Tên" in html(client.get(url))

    judging.round.divergence_threshold = 50
    db.session.commit()
    assert 'data-testid="divergent-count" data-count="0"' in html(client.get(url))
