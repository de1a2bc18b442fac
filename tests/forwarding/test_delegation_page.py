"""The delegation page at any size (forwarding/views/delegation.py, forwarding/services/delegation_page.py): the
whole edition's figures per field above, one page of its entries through the filters (field, in the delegation or
not, search, choice by award), page links keeping the filters, the choice by award batch after batch, the refusal of
a withdrawal beside its row; the same number of queries and at most a page of rows whatever the number of entries;
the edition's results remembered while nothing they are worked out from changes (PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from forwarding import services
from forwarding.models import Forward
from forwarding.services import delegation_page
from forwarding.views import delegation as view
from tests.forwarding.factories import judge_child, make_levels
from tests.forwarding.test_child_page import login, text
from tests.judging.factories import make_eligible_entry

LEVEL = "Hội thi Sáng tạo kỹ thuật toàn quốc"


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    """Pages of 4 rows, so that a few entries make several pages."""
    monkeypatch.setattr(view, "PER_PAGE", 4)
    delegation_page.forget_results()
    yield
    delegation_page.forget_results()


def make_edition(n: int, *, delegated: int = 0, judged: bool = True):
    """An edition without a parent holding `n` eligible entries (fields alternating, codes in creation order),
    judged and awarded when `judged`, the first `delegated` of them in its delegation."""
    levels = make_levels(children=0)
    entries = [make_eligible_entry(levels.parent, levels.owner, i % 2, 300 + i) for i in range(n)]
    if judged:
        judge_child(levels.parent, entries, [95 - (i * 37) % 50 for i in range(n)], by=levels.province_organizer)
    if delegated:
        services.add_to_delegation(levels.parent, entries[:delegated], LEVEL, "manual", by=None)
        db.session.commit()
    return levels, entries


def shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-entry-id="(\d+)"', page)]


def checked(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'name="entry_ids" value="(\d+)" checked', page)}


def counts(page: str, field: str) -> dict[str, int]:
    row = re.search(rf'<tr[^>]*data-field="{field}">(.*?)</tr>', page, re.S).group(1)
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', row)}


def test_the_page_costs_the_same_queries_and_rows_for_3_and_30_entries(client, count_queries):
    def measure(n: int) -> tuple[int, int, int]:
        levels, _entries = make_edition(n, delegated=2)
        login(client, levels.province_organizer)
        url = f"/forwarding/{levels.parent.id}/delegation"
        client.get(url)
        with count_queries() as counted:
            response = client.get(url)
        assert response.status_code == 200
        with count_queries() as award:
            assert client.get(url + "?by=award&tier=&q=giai&page=2").status_code == 200
        return counted.n, award.n, len(shown(text(response)))

    small, large = measure(3), measure(30)
    assert small[:2] == large[:2]
    assert small[2] == 3 and large[2] == 4  # a page at most


def test_the_figures_per_field_and_the_filters(client):
    levels, entries = make_edition(11, delegated=3)
    parent = levels.parent
    first, second = parent.fields[0], parent.fields[1]
    results = services.lower_results(parent)
    page = text(login(client, levels.province_organizer).get(f"/forwarding/{parent.id}/delegation"))
    in_first = [e for e in entries if e.field_id == first.id]
    assert counts(page, str(first.id)) == {
        "entries": len(in_first),
        "awarded": sum(1 for e in in_first if results.get(e.id) and results[e.id].awarded),
        "delegated": sum(1 for e in entries[:3] if e.field_id == first.id),
    }
    assert counts(page, "all")["entries"] == 11 and counts(page, "all")["delegated"] == 3
    assert "11 in all" in page and len(shown(page)) == 4

    # One field: its entries only, every page of them, the links keeping the field.
    url = f"/forwarding/{parent.id}/delegation"
    page = text(client.get(f"{url}?field={second.id}"))
    second_ids = {e.id for e in entries if e.field_id == second.id}
    assert set(shown(page)) <= second_ids and f"{len(second_ids)} in all" in page
    assert len(second_ids) == 5 and f'href="{url}?field={second.id}&page=2"' in page
    rest = text(client.get(f"{url}?field={second.id}&page=2"))
    assert set(shown(page)) | set(shown(rest)) == second_ids
    assert shown(text(client.get(f"{url}?field={second.id}&page=99"))) == shown(rest)  # the last page

    # In the delegation, not in it yet; a search by code.
    delegated = text(client.get(f"{url}?show=delegated"))
    assert set(shown(delegated)) == {e.id for e in entries[:3]}
    assert 'data-testid="remove-' in delegated and "No. 1" in delegated and not checked(delegated)
    candidates = text(client.get(f"{url}?show=candidates&page=1"))
    assert not set(shown(candidates)) & {e.id for e in entries[:3]} and "8 in all" in candidates
    assert shown(text(client.get(f"{url}?q={entries[5].code.lower()}"))) == [entries[5].id]
    assert 'data-testid="no-match"' in text(client.get(f"{url}?q=khongcobaithinao"))


def test_choosing_by_award_page_after_page_keeps_the_filters(client):
    levels, entries = make_edition(12)
    parent = levels.parent
    awarded = [e for e in entries if (r := services.lower_results(parent).get(e.id)) and r.awarded]
    assert len(awarded) > 4  # more than a page
    url = f"/forwarding/{parent.id}/delegation"
    page = text(login(client, levels.province_organizer).get(f"{url}?by=award&tier="))
    first_batch = checked(page)
    assert len(first_batch) == 4 and first_batch <= {e.id for e in awarded}
    assert set(shown(page)) == first_batch and 'data-testid="award-batches"' in page
    assert 'name="basis" type="hidden" value="award"' in page
    assert f'action="{url}?by=award"' in page  # the add keeps the choice

    data = {"external_level": LEVEL, "basis": "award", "entry_ids": sorted(first_batch)}
    response = client.post(f"{url}?by=award", data=data)
    assert response.status_code == 302 and response.headers["Location"].startswith(f"{url}?by=award")
    forwards = db.session.scalars(select(Forward).where(Forward.to_contest_id.is_(None))).all()
    assert {f.entry_id for f in forwards} == first_batch and {f.basis for f in forwards} == {"award"}
    page = text(client.get(f"{url}?by=award"))
    assert checked(page) and not checked(page) & first_batch  # the next ones
    assert checked(page) <= {e.id for e in awarded}


def test_a_refused_withdrawal_is_said_beside_its_row(client):
    levels, entries = make_edition(10, delegated=10, judged=False)
    parent = levels.parent
    last = services.delegation(parent)[-1]
    login(client, levels.province_organizer)
    response = client.post(f"/forwarding/forwards/{last.id}/withdraw", data={f"f{last.id}-reason": ""})
    page = text(response)
    assert response.status_code == 200 and shown(page) == [last.entry_id]
    assert re.search(rf'data-testid="remove-{last.id}".*?Please fill in this field\.', page, re.S)
    assert "<details open>" in page
    assert f"No. {len(entries)}" in page  # its number in the whole delegation


def test_the_results_are_remembered_while_nothing_changes(app, monkeypatch):
    levels, entries = make_edition(3)
    parent = levels.parent
    calls = []
    real = delegation_page.lower_results

    def counting(contest):
        calls.append(contest.id)
        return real(contest)

    monkeypatch.setattr(delegation_page, "lower_results", counting)
    first = delegation_page.remembered_results(parent)
    assert first == real(parent)
    delegation_page.remembered_results(parent)
    postgres = db.session.get_bind().dialect.name == "postgresql"
    assert len(calls) == (1 if postgres else 2)
    entries[0].title = "Giải pháp đổi tên"
    db.session.commit()
    delegation_page.remembered_results(parent)
    assert len(calls) == (2 if postgres else 3)  # worked out again once anything it reads changed
