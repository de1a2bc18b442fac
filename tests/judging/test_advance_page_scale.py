"""The advancement page of a large round: a summary per field, one field's entries around its cut-off (or a page of
its ranking) with checkboxes, the proposal adjusted by entry code (the form carries the adjustments, never the
whole list), the warnings capped; and the pure helpers behind it. The page's limits are lowered here so that a few
entries stand for a national round."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from judging import services
from judging.models import Round, RoundEntry
from judging.services.advancement import adjusted_choice, field_summaries, read_codes
from judging.views import manage_results
from tests.conftest import _empty_tables
from tests.judging.factories import make_judging, score
from tests.judging.test_manage_results import advancing_round, html
from tests.judging.test_standings import second_field

D = Decimal


@pytest.fixture()
def small_limits(monkeypatch):
    """A round of more than 2 entries counts as large; 1 entry each side of the cut-off; 2 entries a page."""
    monkeypatch.setattr(manage_results, "LARGE_ROUND", 2)
    monkeypatch.setattr(manage_results, "NEAR_CUTOFF", 1)
    monkeypatch.setattr(manage_results, "ADVANCE_PER_PAGE", 2)


def shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-entry-id="(\d+)"', page)]


def ranked(entries: int):
    """One field of `entries` entries scored 2 judges, the first best; the rule: top 2."""
    judging = make_judging(entries=entries, judges=2)
    judging.round.advance_top_n = 2
    db.session.commit()
    for i, entry in enumerate(judging.entries):
        for judge in judging.judges:
            score(judging, judge, entry, [max(30 - i, 0), 10, 10])
    return judging


def final_entries(judging) -> list[int]:
    final = db.session.scalar(select(Round).where(Round.contest_id == judging.contest.id, Round.kind == "final"))
    return sorted(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == final.id)))


def test_a_large_round_shows_the_field_summary_and_the_entries_around_the_cut_off(client, login_as, small_limits):
    judging = ranked(6)
    e = judging.entries
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"

    page = html(client.get(url))

    assert 'data-testid="advance-summary"' in page and page.count('data-testid="field-summary"') == 1
    # the cut-off is the 2nd entry: one above it, one below
    assert shown(page) == [e[0].id, e[1].id, e[2].id]
    assert f'value="{e[1].id}" id="advance-{e[1].id}" checked' in page
    assert f'value="{e[2].id}" id="advance-{e[2].id}">' in page
    assert f'name="shown" type="hidden" value="{e[0].id},{e[1].id},{e[2].id}"' in page
    assert 'id="add_codes"' in page and 'id="remove_codes"' in page
    # the pages list the whole field, the field kept in their links
    third = html(client.get(url, query_string={"field": judging.contest.fields[0].id, "page": 3}))
    assert shown(third) == [e[4].id, e[5].id]
    assert f"field={judging.contest.fields[0].id}" in third.replace("&amp;", "&")
    assert f'action="{url}?field={judging.contest.fields[0].id}&amp;page=3"' in third  # the form keeps the page
    odd = client.get(url, query_string={"round_id": 99, "page": "x"})
    assert odd.status_code == 200 and shown(html(odd)) == [e[0].id, e[1].id, e[2].id]


def test_the_field_summary_counts_and_one_field_at_a_time(client, login_as, small_limits):
    judging, (a, _b, c) = advancing_round(top_n=1)
    made, people = second_field(judging, entries=2, judges=2)
    for judge in people:
        score(judging, judge, made[0], [20, 20, 20])
        score(judging, judge, made[1], [20, 20, 20])  # a tie at the cut-off of field 2
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"
    second = judging.contest.fields[1].id

    page = html(client.get(url, query_string={"field": second}))

    assert sorted(shown(page)) == sorted([made[0].id, made[1].id])
    row = re.search(rf'data-testid="field-summary" data-field="{second}".*?</tr>', page, re.S).group(0)
    cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', row)
    assert cells == ["2", "2", "60", "2", "0", "0"]  # entries, proposed, cut-off, at it (a tie), missing, divergent
    first = html(client.get(url))
    assert shown(first) == [c.id, a.id]  # field 1 (the first): its cut-off is c, the first; one entry below it


def test_adjusting_by_code_needs_a_reason_and_writes_the_final_list(client, login_as, small_limits):
    judging = ranked(6)
    e = judging.entries
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"
    window = f"{e[0].id},{e[1].id},{e[2].id}"
    data = {
        "shown": window,
        "entry_ids": [str(e[0].id), str(e[1].id)],
        "add_codes": f"{e[5].code.lower()}, {e[4].code}",
    }

    refused = client.post(url, data={**data, "remove_codes": e[0].code, "reason": ""})

    assert refused.status_code == 400
    page = html(refused)
    assert 'id="reason"' in page and "is-invalid" in page
    assert e[5].code.lower() in page and e[4].code in page  # nothing typed is lost
    assert db.session.scalar(select(Round).where(Round.kind == "final")) is None

    done = client.post(
        url, data={**data, "entry_ids": [str(e[1].id), str(e[2].id)], "remove_codes": "", "reason": "Hội đồng quyết"}
    )
    assert done.status_code == 302
    assert final_entries(judging) == sorted([e[1].id, e[2].id, e[4].id, e[5].id])
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.advance"))
    assert audit.after["proposed"] == [e[0].id, e[1].id] and audit.after["reason"] == "Hội đồng quyết"


def test_unknown_codes_are_refused_beside_their_field(client, login_as, small_limits):
    judging = ranked(4)
    e = judging.entries
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"

    refused = client.post(
        url,
        data={
            "shown": f"{e[0].id},{e[1].id}",
            "entry_ids": [str(e[0].id)],
            "add_codes": f"{e[3].code} KHONG-CO-1",
            "remove_codes": f"{e[3].code}",
            "reason": "lý do",
        },
    )

    assert refused.status_code == 400
    page = html(refused)
    add = re.search(r'id="add_codes".*?</div>', page, re.S).group(0)
    assert "KHONG-CO-1" in add and "invalid-feedback" in add
    remove = re.search(r'id="remove_codes".*?</div>', page, re.S).group(0)
    assert e[3].code in remove and "invalid-feedback" in remove  # listed both ways
    assert f'value="{e[0].id}" id="advance-{e[0].id}" checked' in page
    assert f'value="{e[1].id}" id="advance-{e[1].id}">' in page  # the ticks are kept too
    assert db.session.scalar(select(Round).where(Round.kind == "final")) is None


def test_the_proposal_unchanged_advances_without_a_reason(client, login_as, small_limits):
    judging = ranked(5)
    e = judging.entries
    login_as(judging.organizer)
    url = f"/judging/manage/rounds/{judging.round.id}/advance"

    done = client.post(url, data={"shown": f"{e[1].id},{e[2].id}", "entry_ids": [str(e[1].id)]})

    assert done.status_code == 302
    assert final_entries(judging) == sorted([e[0].id, e[1].id])  # e[0], not shown, keeps the proposal


def test_the_warnings_list_the_first_codes_and_count_the_others(client, login_as, small_limits, monkeypatch):
    monkeypatch.setattr(manage_results, "WARNING_CODES", 1)
    judging = make_judging(entries=3, judges=2)
    for entry in judging.entries:
        score(judging, judging.judges[0], entry, [10, 10, 10])
        score(judging, judging.judges[1], entry, [30, 30, 40])
    login_as(judging.organizer)

    page = html(client.get(f"/judging/manage/rounds/{judging.round.id}/advance"))

    divergent = re.search(r'data-testid="warning-divergent">(.*?)</div>', page, re.S).group(1)
    assert "3 " in divergent and judging.entries[0].code in divergent and judging.entries[2].code not in divergent
    assert "2 " in divergent.split(judging.entries[0].code)[1]


def test_a_large_page_costs_the_same_queries_and_rows_for_3_and_30_entries(
    client, login_as, small_limits, count_queries
):
    def measure(entries: int) -> tuple[int, int, int]:
        db.session.remove()
        _empty_tables()
        judging = make_judging(entries=entries, judges=2)
        judging.round.advance_top_n = 2
        db.session.commit()
        for i, entry in enumerate(judging.entries):
            for j, judge in enumerate(judging.judges):
                score(judging, judge, entry, [10 + i % 7, 10 + j * 5, 20], submit=(i + j) % 5 != 0)
        login_as(judging.organizer)
        url = f"/judging/manage/rounds/{judging.round.id}/advance"
        client.get(url)  # warm up
        with count_queries() as counted:
            page = html(client.get(url))
        with count_queries() as paged:
            other = html(client.get(url, query_string={"page": 2}))
        return counted.n, paged.n, len(shown(page)), len(shown(other))

    small, large = measure(3), measure(30)
    assert small[:2] == large[:2] and max(small[:2]) <= 12
    assert large[2] <= 3 and large[3] == 2


def test_proposing_and_advancing_only_read_the_standings():
    judging, (a, _b, c) = advancing_round(top_n=2)
    standings = services.round_standings(judging.round)
    before = copy.deepcopy(standings)

    services.proposed_advancing(judging.round, standings)
    services.advance_entries(judging.round, [a.id, c.id], "lý do", by=judging.organizer, standings=standings)
    field_summaries(standings, [a.id, c.id])

    assert standings == before


def test_field_summaries_read_codes_and_adjusted_choice():
    judging, (a, b, c) = advancing_round(top_n=2)  # raw: c 87.50, a and b 65.00 (tied at the cut-off)
    standings = services.round_standings(judging.round)
    proposed = services.proposed_advancing(judging.round, standings)
    assert proposed == [c.id, a.id, b.id]

    (summary,) = field_summaries(standings, proposed)

    assert (summary.entries, summary.proposed, summary.cutoff, summary.at_cutoff) == (3, 3, D("65.00"), 2)
    assert summary.divergent == 1 and summary.incomplete == 0 and summary.cutoff_at == 2
    codes = {"ST-1": 1, "ST-2": 2}
    assert read_codes("st-2, ST-1;\nst-2  nope", codes) == ([2, 1], ["nope"])
    assert read_codes("", codes) == ([], [])
    assert adjusted_choice([1, 2, 3], shown=[2, 4], ticked=[4], added=[5], removed=[1]) == [3, 4, 5]
