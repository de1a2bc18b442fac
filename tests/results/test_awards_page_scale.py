"""The organizers' awards page at any size: the summary of the whole edition, one field at a time, the proposal's
rows and the stored awards a page at a time with their filters kept in the page links, the forms sent back with
their errors whatever the page, and the same number of queries and of rows shown for 3 and 30 entries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from results.models import Award
from results.services import awards as service
from results.services import awards_page
from results.services.plans import plan_for
from results.services.review import review
from results.views.manage_awards import awards as view
from tests.results.factories import make_judged
from tests.results.test_manage_awards import as_user, block

ROWS = 10
STORED = 5


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    """Pages of 10 rows and 5 stored awards, so that 30 entries need several."""
    monkeypatch.setattr(view, "ROWS_PER_PAGE", ROWS)
    monkeypatch.setattr(view, "STORED_PER_PAGE", STORED)


def _sheets(n: int) -> dict[int, list[list]]:
    """Entry i scores 100 - i (entries 2 and 3 tie on every criterion, just as entries 4 and 5)."""
    out = {}
    for i in range(1, n + 1):
        total = 100 - i + (1 if i in (3, 5) else 0)
        out[i] = [[30, total - 70, 40]]
    return out


def _edition(n: int, *, store: bool = True):
    judging = make_judged(_sheets(n))
    plan_for(judging.contest)
    if store:
        service.generate_awards(judging.contest, by=None)
    db.session.commit()
    return judging


def _codes(page: str) -> list[str]:
    return re.findall(r'data-testid="row-([^"]+)"', page)


def _awards(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-testid="award-(\d+)"', page)]


def _shown(client, login_as, count_queries, n: int) -> tuple[int, int, int, int]:
    judging = _edition(n)
    client = as_user(client, login_as, judging.organizer)
    url = f"/results/manage/{judging.contest.id}/awards"
    client.get(url)  # warm-up
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return counted.n, len(_codes(page)), len(_awards(page)), len(page)


def test_the_queries_and_the_rows_shown_do_not_grow_with_the_entries(client, login_as, count_queries):
    from tests.conftest import _empty_tables

    small = _shown(client, login_as, count_queries, 3)
    db.session.remove()
    _empty_tables()
    large = _shown(client, login_as, count_queries, 30)
    assert small[0] == large[0], (small, large)
    assert small[1:3] == (3, 3)  # every row, every award (first, second twice: entries 2 and 3 tie)
    assert large[1:3] == (ROWS, STORED)
    assert large[3] < small[3] * 3  # the page's size is bounded too


def test_the_proposal_is_paged_with_its_filters_kept(client, login_as):
    judging = _edition(30, store=False)
    contest = judging.contest
    client = as_user(client, login_as, judging.organizer)
    url = f"/results/manage/{contest.id}/awards"
    first = client.get(url).get_data(as_text=True)
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    codes = [e.code for e in judging.entries]
    assert _codes(first) == codes[:ROWS]  # best first
    assert _codes(second) == codes[ROWS : 2 * ROWS]
    assert "30 entries shown" in block(first, "rows-total") and "page 1 of 3" in block(first, "rows-total")
    assert f'href="/results/manage/{contest.id}/awards?group=' in block(first, "rows-pager")
    # with an award: the plan proposes 1 + 2 + 4 + 8 per field (the tie of entries 2 and 3 fits the Second's 2)
    data = review(contest)
    awarded = [r.score.code for g in data.groups for r in g.rows if r.proposed]
    assert len(awarded) == 15
    page = client.get(f"{url}?show=awarded").get_data(as_text=True)
    assert _codes(page) == awarded[:ROWS] and "15 entries shown" in page
    pager = block(page, "rows-pager")
    assert "show=awarded" in pager and "page=2" in pager
    page = client.get(f"{url}?show=awarded&page=2").get_data(as_text=True)
    assert _codes(page) == awarded[ROWS:]
    page = client.get(f"{url}?show=unawarded").get_data(as_text=True)
    assert _codes(page) == codes[15:25] and 'data-testid="rows-pager"' in page
    page = client.get(f"{url}?show=ties").get_data(as_text=True)
    assert _codes(page) == codes[1:5]
    # a search by code, with the filters' form showing what was asked
    page = client.get(f"{url}?q={codes[20].lower()}").get_data(as_text=True)
    assert _codes(page) == [codes[20]] and f'value="{codes[20].lower()}"' in block(page, "proposal-filters")
    page = client.get(f"{url}?q=nothing-like-this").get_data(as_text=True)
    assert _codes(page) == [] and 'data-testid="no-rows"' in page
    # a page past the end: the last one
    assert _codes(client.get(f"{url}?page=99").get_data(as_text=True)) == codes[2 * ROWS :]


def test_one_field_at_a_time_with_the_summary_of_the_whole_edition(client, login_as):
    judging = _edition(30, store=False)
    contest = judging.contest
    assert len(contest.fields) >= 2
    other = contest.fields[1]
    for entry in judging.entries[20:]:
        entry.field_id = other.id
    service.generate_awards(contest, by=None)
    db.session.commit()
    first_field = contest.fields[0]
    client = as_user(client, login_as, judging.organizer)
    url = f"/results/manage/{contest.id}/awards"
    page = client.get(url).get_data(as_text=True)
    codes = [e.code for e in judging.entries]
    # more entries than a page: the first field alone
    assert f'data-testid="group-{first_field.id}"' in page and f'data-testid="group-{other.id}"' not in page
    assert _codes(page) == codes[:ROWS] and "20 entries shown" in page
    summary = block(page, "summary")
    first_row = block(summary, f"count-{first_field.id}")
    assert ">20<" in first_row and "1 / 1" in first_row and "8 / 8" in first_row
    other_row = block(summary, f"count-{other.id}")
    assert ">10<" in other_row and "4 / 4" in other_row
    assert "25 awards stored in all" in summary
    total = block(summary, "count-total")
    assert ">30<" in total and "2 / 2" in total and "11 / 11" in total
    # the other field, its stored awards only (the rest by the link to all of them)
    page = client.get(f"{url}?group={other.id}").get_data(as_text=True)
    assert _codes(page) == codes[20:] and f'data-testid="group-{first_field.id}"' not in page
    stored_other = {a.id for a in db.session.scalars(select(Award)) if a.entry.field_id == other.id}
    assert set(_awards(page)) <= stored_other and len(_awards(page)) == STORED
    assert "10 awards in this list" in block(page, "stored-total")
    # every field at once, a page across them
    page = client.get(f"{url}?group=all&page=3").get_data(as_text=True)
    assert _codes(page) == codes[20:] and f'data-testid="group-{other.id}"' in page
    assert "25 awards in this list" in block(page, "stored-total")
    # the stored awards' pages keep the field chosen
    pager = block(page, "stored-pager")
    assert "group=all" in pager and "spage=2" in pager
    # an unknown field: the default
    assert _codes(client.get(f"{url}?group=999999").get_data(as_text=True)) == codes[:ROWS]


def test_a_form_sent_back_is_shown_whatever_the_page(client, login_as):
    judging = _edition(30)
    contest = judging.contest
    client = as_user(client, login_as, judging.organizer)
    page = client.get(f"/results/manage/{contest.id}/awards").get_data(as_text=True)
    last = awards_page.stored_order(review(contest))[-1].id
    assert last not in _awards(page)
    response = client.post(f"/results/manage/awards/{last}/change", data={f"award-{last}-remove": "1"})
    assert response.status_code == 400
    form = block(response.get_data(as_text=True), f"change-{last}")
    assert "Please fill in this field." in form
    assert db.session.get(Award, last) is not None
    # removing it with a reason from the stored awards' last page: back there, with the place kept
    page = client.get(f"/results/manage/{contest.id}/awards?group=all&spage=3").get_data(as_text=True)
    action = f'action="/results/manage/awards/{last}/change?group=all&amp;spage=3"'
    assert last in _awards(page) and action in block(page, f"change-{last}")
    response = client.post(
        f"/results/manage/awards/{last}/change?group=all&spage=3",
        data={f"award-{last}-remove": "1", f"award-{last}-reason": "Trùng giải"},
    )
    assert response.status_code == 302 and db.session.get(Award, last) is None
    assert response.location.endswith(f"/results/manage/{contest.id}/awards?group=all&spage=3#stored")
    page = client.get(response.location).get_data(as_text=True)
    assert len(_awards(page)) == 14 - 2 * STORED and "14 awards in this list" in page


def test_group_counts_of_a_review():
    judging = _edition(12)
    data = review(judging.contest)
    counts, total = awards_page.group_counts(data)
    assert [c.entries for c in counts] == [12] and total.entries == 12 and total.scored == 12
    assert counts[0].proposed == {"first": 1, "second": 2, "third": 4, "encouragement": 5}
    assert counts[0].stored == total.stored == counts[0].proposed
    assert (counts[0].ties, counts[0].boundary_ties) == (2, 0)
    assert Decimal(99) == data.groups[0].rows[0].score.score


def test_ties_at_a_quota_on_every_page_the_others_with_their_rows(client, login_as):
    sheets = _sheets(30)
    sheets[2] = sheets[1]  # 1 and 2 straddle the First's quota of 1
    sheets[26] = sheets[25]  # a tie far down, on the third page
    judging = make_judged(sheets)
    contest = judging.contest
    e = judging.entries
    plan_for(contest)
    db.session.commit()
    client = as_user(client, login_as, judging.organizer)
    url = f"/results/manage/{contest.id}/awards"
    for page_number in (1, 3):
        page = client.get(f"{url}?page={page_number}").get_data(as_text=True)
        board = block(page, "board-ties")
        assert f'data-testid="tie-{e[0].id}"' in board and "Tie at a quota boundary" in board
        assert page.count(f'data-testid="tie-{e[0].id}"') == 1
        assert "1 tie straddles a quota" in block(page, "boundary-alert")
        assert (f'data-testid="tie-{e[24].id}"' in page) == (page_number == 3)
    # the far tie sent back without a reason from the first page: shown with its error
    data = {"tie": str(e[24].id), f"tie-{e[24].id}-reason": ""}
    for i, entry in enumerate((e[24], e[25])):
        data |= {f"tie-{e[24].id}-rows-{i}-entry_id": str(entry.id), f"tie-{e[24].id}-rows-{i}-position": str(i + 1)}
    response = client.post(f"/results/manage/{contest.id}/ties", data=data)
    assert response.status_code == 400
    assert "Please fill in this field." in block(response.get_data(as_text=True), f"tie-{e[24].id}")
