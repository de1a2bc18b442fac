"""The organizers' publication page at any size: the preview is shown as the public page shows it (the winners of
every field, each field's ranking a page at a time), the changes since the last version a page at a time, and each
published version is checked against its hash once per worker and stored row; the rows shown and the queries run
do not grow with the edition."""

from __future__ import annotations

import html
import re

from sqlalchemy import delete, update

from app.extensions import db
from results import snapshot
from results.models import Award, Publication
from results.services import publication as service
from results.views import public as public_views
from tests.results.factories import make_judged
from tests.results.test_publication import _entries, ready


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def ranked_on(page: str) -> list[str]:
    return re.findall(r'data-testid="ranked-([^"]+)"', page)


def awarded_on(page: str) -> list[str]:
    return re.findall(r'data-testid="award-([^"]+)"', page)


def changed_on(page: str) -> list[str]:
    return re.findall(r'data-testid="change-([^"]+)"', page)


def corrected(n: int):
    """An edition of `n` entries published once, then every award taken back (each awarded entry a change)."""
    judging = make_judged(_entries(n))
    ready(judging)
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    db.session.execute(delete(Award).where(Award.contest_id == judging.contest.id))
    db.session.commit()
    return judging


def test_the_preview_is_shown_as_the_public_page_winners_first_and_each_ranking_paged(client, login_as, monkeypatch):
    monkeypatch.setattr(public_views, "RANKING_PER_PAGE", 2)
    judging = make_judged(_entries(5))
    ready(judging)
    login_as(judging.organizer)
    contest_id, field_id = judging.contest.id, judging.contest.fields[0].id
    url = f"/results/manage/{contest_id}/publish"
    data = service.preview(judging.contest).snapshot
    ranked = [e["code"] for e in data["entries"] if e["field_id"] == field_id]
    awarded = [a["code"] for a in data["awards"] if not a["special"]]
    assert len(ranked) == 5 and awarded

    main = page_text(client.get(url))
    assert awarded_on(main) == awarded and ranked_on(main) == []
    assert f'href="{url}?field={field_id}" data-testid="ranking-link-{field_id}"' in main
    assert re.search(rf'data-testid="pick-field-{field_id}">[^<]*<span[^>]*>5</span>', main)
    assert 'data-testid="how-ranked"' in main and 'name="change_note"' in main

    first = page_text(client.get(f"{url}?field={field_id}"))
    assert ranked_on(first) == ranked[:2] and awarded_on(first) == awarded
    assert f'href="{url}?field={field_id}&page=2"' in first
    last = page_text(client.get(f"{url}?field={field_id}&page=3"))
    assert ranked_on(last) == ranked[4:] and awarded_on(last) == []
    assert ranked_on(page_text(client.get(f"{url}?field={field_id}&page=99"))) == ranked[4:]
    assert client.get(f"{url}?field=999999").status_code == 404


def test_the_changes_are_listed_a_page_at_a_time_and_the_links_keep_the_field_shown(client, login_as, monkeypatch):
    monkeypatch.setattr(public_views, "CHANGES_PER_PAGE", 2)
    judging = corrected(5)
    login_as(judging.organizer)
    contest_id, field_id = judging.contest.id, judging.contest.fields[0].id
    url = f"/results/manage/{contest_id}/publish"
    changes = [c.code for c in service.preview(judging.contest).changes]
    assert len(changes) >= 3

    first = page_text(client.get(f"{url}?field={field_id}&page=2"))
    assert changed_on(first) == changes[:2]
    assert f'href="{url}?field={field_id}&page=2&changes=2#changes"' in first
    second = page_text(client.get(f"{url}?field={field_id}&page=2&changes=2"))
    assert changed_on(second) == changes[2:4] and ranked_on(second) == ranked_on(first)
    pages = -(-len(changes) // 2)
    beyond = page_text(client.get(f"{url}?changes=99"))
    assert changed_on(beyond) == changes[(pages - 1) * 2 :]


def test_the_rows_shown_and_the_queries_do_not_grow_with_the_edition(client, login_as, count_queries, monkeypatch):
    monkeypatch.setattr(public_views, "RANKING_PER_PAGE", 2)
    monkeypatch.setattr(public_views, "CHANGES_PER_PAGE", 2)
    counts, shown = [], []
    for n in (3, 30):
        judging = corrected(n)
        login_as(judging.organizer)
        field_id = judging.contest.fields[0].id
        url = f"/results/manage/{judging.contest.id}/publish"
        per_url, rows = [], []
        for address in (url, f"{url}?field={field_id}&page=2&changes=2"):
            with count_queries() as counted:
                page = page_text(client.get(address))
            per_url.append(counted.n)
            rows.append((len(ranked_on(page)), len(changed_on(page))))
        counts.append(per_url)
        shown.append(rows)
    assert counts[0] == counts[1], counts
    assert shown[1] == [(0, 2), (2, 2)], shown  # 30 entries: two ranked and two changes a page
    assert all(r <= 2 and c <= 2 for rows in shown for r, c in rows), shown


def test_each_version_is_checked_once_and_again_when_its_stored_row_changes(client, login_as, monkeypatch):
    judging = make_judged(_entries(3))
    ready(judging)
    for note in ("", "Sửa lỗi chính tả"):
        service.publish(judging.contest, note, by=judging.organizer)
        db.session.commit()
    first = service.publication_version(judging.contest.id, 1)
    checked = []
    verify = snapshot.verify
    monkeypatch.setattr(snapshot, "verify", lambda *args, **kw: checked.append(1) or verify(*args, **kw))
    login_as(judging.organizer)
    url = f"/results/manage/{judging.contest.id}/publish"
    for _ in range(3):
        page = page_text(client.get(url))
        assert 'data-testid="version-1"' in page and 'data-testid="version-2"' in page
        assert 'data-testid="tampered"' not in page
    assert len(checked) == 2  # each version once, then remembered
    page_text(client.get(f"/results/{judging.contest.id}"))  # the public page's reading: checked already
    assert len(checked) == 2

    table = Publication.__table__
    db.session.execute(
        update(table).where(table.c.id == first.id).values(payload=first.payload.replace("Tác giả 1", "Tác giả X"))
    )
    db.session.commit()
    rows = dict(re.findall(r'<tr data-testid="version-(\d+)">(.*?)</tr>', page_text(client.get(url)), re.S))
    assert 'data-testid="tampered"' in rows["1"] and 'data-testid="tampered"' not in rows["2"]
    assert len(checked) == 3  # the changed row only
