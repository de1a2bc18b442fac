"""The public results page and its JSON (same data, no private details, bounded queries, documented in the OpenAPI
document), the link from the contest page, and the result on the contestant's entry page (feedback by judge
number, only when the edition allows it and only once published)."""

from __future__ import annotations

import hashlib
import html
import re

from openapi_schema_validator import OAS31Validator
from sqlalchemy import delete, select

from app.extensions import db
from app.templating import decimal_text
from results.models import Award
from results.services import publication as service
from results.services.plans import plan_for
from results.views import public as public_views
from tests.app.test_api import _resolve
from tests.judging.factories import make_account
from tests.results.factories import make_judged
from tests.results.test_publication import PRIVATE, SHEETS, _entries, published, ready


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_nothing_published_is_404_as_a_page_and_as_json(client):
    judging = make_judged(SHEETS)
    ready(judging)
    contest_id = judging.contest.id
    assert client.get(f"/results/{contest_id}").status_code == 404
    assert client.get(f"/results/{contest_id}/v/1").status_code == 404
    response = client.get(f"/api/results/{contest_id}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
    assert client.get(f"/api/results/{contest_id}/versions").get_json() == []
    assert client.get("/results/999999").status_code == 404


def test_the_page_shows_awards_by_field_and_tier_the_decision_the_hash_and_the_chain(client):
    judging = published()
    publication = service.latest_publication(judging.contest)
    page = page_text(client.get(f"/results/{judging.contest.id}"))
    first, second, third = judging.entries
    field = judging.contest.fields[0]
    assert f'data-testid="field-{field.id}"' in page and field.name in page
    tiers = dict(re.findall(r'data-testid="award-([^"]+)" data-tier="([^"]+)"', page))
    assert tiers == {first.code: "first", second.code: "second", third.code: "second"}
    assert first.title in page and "Tác giả 1" in page and "Đơn vị số 1" in page
    assert "125/QĐ-LHH" in page and "15/05/2026" in page and "Phạm Văn Ký" in page
    assert publication.content_hash in page
    chain = re.search(r'data-testid="tie-break">(.*?)</ol>', page, re.S).group(1)
    assert re.findall(r'data-key="([^"]+)"', chain) == [
        link["key"] for link in service.snapshot_of(publication)["ranking"]["tie_break"]
    ]
    assert "Hiệu quả" in chain and "Tính mới" in chain
    for judge in judging.judges:
        assert judge.full_name not in page and judge.email not in page


def test_no_birth_date_id_number_phone_email_nor_address_is_shown(client):
    judging = published()
    for url in (f"/results/{judging.contest.id}", f"/api/results/{judging.contest.id}"):
        text = page_text(client.get(url))
        assert "Tác giả 1" in text
        for value in (*PRIVATE.values(), "03/02/1979", "1979-02-03"):
            assert str(value) not in text, (url, value)


def test_the_json_is_the_published_payload_and_holds_what_the_page_shows(client):
    judging = published()
    publication = service.latest_publication(judging.contest)
    response = client.get(f"/api/results/{judging.contest.id}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() == publication.content_hash
    assert response.headers["ETag"] == f'"{publication.content_hash}"'
    assert (
        client.get(
            f"/api/results/{judging.contest.id}", headers={"If-None-Match": response.headers["ETag"]}
        ).status_code
        == 304
    )
    data = response.get_json()
    page = page_text(client.get(f"/results/{judging.contest.id}"))
    assert data["contest"]["name"] in page and data["decision"]["number"] in page
    for entry in data["entries"]:
        assert entry["code"] in page and entry["title"] in page
        score = re.search(rf'data-testid="score-{re.escape(entry["code"])}">([^<]*)<', page).group(1)
        assert score == decimal_text(entry["score"])
        for author in entry["authors"]:
            assert author["name"] in page and author["unit"] in page
    shown = dict(re.findall(r'data-testid="award-([^"]+)" data-tier="([^"]+)"', page))
    assert shown == {a["code"]: a["tier"] for a in data["awards"] if not a["special"]}


def test_a_correction_keeps_the_old_version_readable_with_the_change_note_on_the_new(client):
    judging = published()
    first = service.latest_publication(judging.contest)
    award = db.session.scalar(select(Award).where(Award.entry_id == judging.entries[2].id))
    award.tier_code, award.tier_name, award.source = "third", "Giải Ba", "manual"
    db.session.commit()
    service.publish(judging.contest, "Bài số 3 xếp lại giải Ba theo biên bản phúc khảo", by=judging.organizer)
    db.session.commit()
    contest_id = judging.contest.id

    current = page_text(client.get(f"/results/{contest_id}"))
    assert 'data-testid="change-note"' in current and "Bài số 3 xếp lại giải Ba theo biên bản phúc khảo" in current
    assert 'data-testid="older-version"' not in current
    assert f'data-testid="award-{judging.entries[2].code}" data-tier="third"' in current

    old = page_text(client.get(f"/results/{contest_id}/v/1"))
    assert 'data-testid="older-version"' in old and 'data-testid="change-note"' not in old
    assert f'data-testid="award-{judging.entries[2].code}" data-tier="second"' in old
    assert first.content_hash in old
    assert f"/results/{contest_id}/v/2" in old and f"/results/{contest_id}/v/1" in current  # the version selector

    assert client.get(f"/api/results/{contest_id}/v/1").get_data(as_text=True) == first.payload
    listed = client.get(f"/api/results/{contest_id}/versions").get_json()
    assert [(v["version"], v["change_note"]) for v in listed] == [
        (2, "Bài số 3 xếp lại giải Ba theo biên bản phúc khảo"),
        (1, ""),
    ]
    assert listed[1]["content_hash"] == first.content_hash
    assert client.get(f"/results/{contest_id}/v/3").status_code == 404
    assert client.get(f"/api/results/{contest_id}/v/3").status_code == 404


def test_a_view_costs_the_same_queries_for_3_and_for_12_entries(client, count_queries, monkeypatch):
    monkeypatch.setattr(public_views, "RANKING_PER_PAGE", 2)
    postgres = db.engine.dialect.name == "postgresql"
    counts = []
    for n in (3, 12):
        judging = published(_entries(n))
        contest_id, field_id = judging.contest.id, judging.contest.fields[0].id
        urls = (
            f"/results/{contest_id}",
            f"/results/{contest_id}?field={field_id}&page=2",
            f"/results/{contest_id}/v/1?field={field_id}",
        )
        for url in urls:  # the first views check and parse the version, and render the column shown
            assert client.get(url).status_code == 200
        per_url = []
        for url in urls:
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            statements = [s for s in counted.statements if "result_publications" in s]
            # The versions with the one shown, in one query; without PostgreSQL's row stamp, its payload to hash it.
            assert len(statements) == (1 if postgres else 2), statements
            per_url.append(counted.n)
        counts.append(per_url)
    assert counts[0] == counts[1], counts


def test_a_version_is_checked_once_and_again_when_its_stored_row_changes(client, monkeypatch):
    from sqlalchemy import update

    from results import snapshot
    from results.models import Publication

    judging = published()
    publication = service.latest_publication(judging.contest)
    first = judging.entries[0]
    checked = []
    verify = snapshot.verify
    monkeypatch.setattr(snapshot, "verify", lambda *args, **kw: checked.append(1) or verify(*args, **kw))
    url = f"/results/{judging.contest.id}"
    for _ in range(3):
        page = page_text(client.get(url))
        assert 'data-testid="not-intact"' not in page and f'data-testid="score-{first.code}">92,5<' in page
    assert len(checked) == 1  # checked against its hash once, then remembered

    table = Publication.__table__
    original = publication.payload
    tampered = original.replace("92.50", "99.50")  # the same length: only the content tells
    assert len(tampered) == len(original) and tampered != original
    db.session.execute(update(table).where(table.c.id == publication.id).values(payload=tampered))
    db.session.commit()
    for address in (url, f"{url}/v/1"):
        page = page_text(client.get(address))
        assert 'data-testid="not-intact"' in page and f'data-testid="score-{first.code}">99,5<' in page
    assert len(checked) == 2

    db.session.execute(update(table).where(table.c.id == publication.id).values(payload=original))
    db.session.commit()
    page = page_text(client.get(url))
    assert 'data-testid="not-intact"' not in page and f'data-testid="score-{first.code}">92,5<' in page


def test_the_winners_come_first_and_each_fields_ranking_is_paged(client, monkeypatch):
    monkeypatch.setattr(public_views, "RANKING_PER_PAGE", 2)
    judging = make_judged(_entries(5))
    ready(judging)
    unawarded = [e.id for e in judging.entries[3:]]
    db.session.execute(delete(Award).where(Award.entry_id.in_(unawarded)))
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    contest_id, field_id = judging.contest.id, judging.contest.fields[0].id
    data = service.snapshot_of(service.latest_publication(judging.contest))
    ranked = [e["code"] for e in data["entries"] if e["field_id"] == field_id]
    awarded = [a["code"] for a in data["awards"] if not a["special"]]
    assert len(ranked) == 5 and len(awarded) == 3

    def ranked_on(page: str) -> list[str]:
        return re.findall(r'data-testid="ranked-([^"]+)"', page)

    main = page_text(client.get(f"/results/{contest_id}"))
    assert re.findall(r'data-testid="award-([^"]+)"', main) == awarded and ranked_on(main) == []
    assert re.search(rf'href="/results/{contest_id}\?field={field_id}" data-testid="ranking-link-{field_id}"', main)
    assert re.search(rf'data-testid="pick-field-{field_id}">[^<]*<span[^>]*>5</span>', main)  # with its entries

    first = page_text(client.get(f"/results/{contest_id}?field={field_id}"))
    assert ranked_on(first) == ranked[:2] and re.findall(r'data-testid="award-([^"]+)"', first) == awarded
    assert f'href="/results/{contest_id}?field={field_id}&page=2"' in first
    last = page_text(client.get(f"/results/{contest_id}?field={field_id}&page=3"))
    assert ranked_on(last) == ranked[4:] and 'data-testid="award-' not in last  # the awards on the first page only
    assert ranked_on(page_text(client.get(f"/results/{contest_id}?field={field_id}&page=99"))) == ranked[4:]

    old = page_text(client.get(f"/results/{contest_id}/v/1?field={field_id}&page=2"))
    assert ranked_on(old) == ranked[2:4] and f'href="/results/{contest_id}/v/1?field={field_id}&page=3"' in old
    # The column is rendered once and shown to every reader: nothing of one request's other arguments is kept.
    tagged = page_text(client.get(f"/results/{contest_id}?field={field_id}&page=2&utm_source=zalo"))
    links = re.findall(r'href="([^"]*[?&]page=[^"]*)"', tagged)
    assert ranked_on(tagged) == ranked[2:4] and links and not any("utm_source" in link for link in links)
    assert client.get(f"/results/{contest_id}?field=999999").status_code == 404
    assert client.get(f"/results/{contest_id}?field=none").status_code == 404  # every entry has a field


def test_the_column_is_kept_per_language(client):
    judging = published()
    url = f"/results/{judging.contest.id}"
    assert "Cách xếp hạng bài dự thi" in page_text(client.get(url))
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = page_text(client.get(url))
    assert "How entries were ranked" in english and "Cách xếp hạng bài dự thi" not in english


def test_the_api_is_documented_and_answers_as_documented(client):
    judging = published()
    doc = client.get("/api/openapi.json").get_json()
    contest_id = judging.contest.id
    for path, url in (
        ("/api/results/{contest_id}", f"/api/results/{contest_id}"),
        ("/api/results/{contest_id}/v/{version}", f"/api/results/{contest_id}/v/1"),
        ("/api/results/{contest_id}/versions", f"/api/results/{contest_id}/versions"),
    ):
        operation = doc["paths"][path]["get"]
        assert operation["security"] == []  # public: no token
        schema = _resolve(operation["responses"]["200"]["content"]["application/json"]["schema"], doc)
        OAS31Validator(schema).validate(client.get(url).get_json())


def test_the_contest_page_links_the_results_once_published(client):
    judging = make_judged(SHEETS)
    ready(judging)
    judging.contest.status = "results"
    db.session.commit()
    url = f"/contests/{judging.contest.id}"
    assert 'data-testid="contest-link-results"' not in client.get(url).get_data(as_text=True)
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="contest-link-results"' in page and f'href="/results/{judging.contest.id}"' in page


# --- The contestant's entry page -------------------------------------------------------------------------------


def comment_sheets(judging):
    """Every judge's sheet of entry 1 carries a comment."""
    from judging.models import Assignment, ScoreSheet

    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.entry_id == judging.entries[0].id)
        .order_by(Assignment.id)
    ).all()
    for n, sheet in enumerate(sheets, start=1):
        sheet.comment = f"Nhận xét riêng số {n}: giải pháp có tính mới"
    db.session.commit()


def test_the_contestant_sees_the_result_only_once_published(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging)
    plan_for(judging.contest).show_feedback = True
    db.session.commit()
    comment_sheets(judging)
    entry = judging.entries[0]
    login_as(judging.owner)
    before = page_text(client.get(f"/contests/entries/{entry.id}"))
    assert 'data-testid="entry-result"' not in before and "Nhận xét riêng" not in before
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    after = page_text(client.get(f"/contests/entries/{entry.id}"))
    assert 'data-testid="entry-result"' in after
    assert re.search(r'data-testid="entry-award">.*Giải Nhất', after, re.S)
    assert re.search(r'data-testid="entry-score">92,5<', after)


def test_feedback_by_judge_number_only_when_the_edition_allows_it(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging)
    comment_sheets(judging)
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    entry = judging.entries[0]
    login_as(judging.owner)
    hidden = page_text(client.get(f"/contests/entries/{entry.id}"))
    assert 'data-testid="entry-result"' in hidden and 'data-testid="feedback"' not in hidden
    assert "Nhận xét riêng" not in hidden

    plan_for(judging.contest).show_feedback = True
    db.session.commit()
    shown = page_text(client.get(f"/contests/entries/{entry.id}"))
    feedback = re.search(r'data-testid="feedback">(.*?)</ul>', shown, re.S).group(1)
    assert "Nhận xét riêng số 1" in feedback and "Nhận xét riêng số 2" in feedback
    assert "94" in feedback and "91" in feedback  # each judge's total
    for judge in judging.judges:
        assert judge.full_name not in shown and judge.email not in shown


def test_a_co_author_sees_the_result_and_another_contestant_does_not(client, login_as):
    judging = make_judged(SHEETS)
    ready(judging)
    entry = judging.entries[0]
    co_author = make_account("contestant", name="Tác giả 1", email="dongtacgia@example.vn")
    entry.authors[0].email = "dongtacgia@example.vn"
    db.session.commit()
    service.publish(judging.contest, "", by=judging.organizer)
    db.session.commit()
    login_as(co_author)
    assert 'data-testid="entry-result"' in page_text(client.get(f"/contests/entries/{entry.id}"))
    login_as(make_account("contestant", name="Người khác"))
    assert client.get(f"/contests/entries/{entry.id}").status_code == 404
    login_as(judging.organizer)  # the organizers read results on their own pages
    assert 'data-testid="entry-result"' not in page_text(client.get(f"/contests/entries/{entry.id}"))


def test_a_tampered_version_is_flagged_and_a_foreign_payload_is_not_shown(client, login_as):
    from sqlalchemy import update

    from results.models import Publication

    judging = published()
    publication = service.latest_publication(judging.contest)
    url = f"/results/{judging.contest.id}"
    assert 'data-testid="not-intact"' not in page_text(client.get(url))
    table = Publication.__table__
    db.session.execute(
        update(table).where(table.c.id == publication.id).values(payload=publication.payload.replace("92.50", "99.50"))
    )
    db.session.commit()
    assert 'data-testid="not-intact"' in page_text(client.get(url))
    db.session.execute(update(table).where(table.c.id == publication.id).values(payload="not json"))
    db.session.commit()
    assert client.get(url).status_code == 404
    login_as(judging.owner)
    page = client.get(f"/contests/entries/{judging.entries[0].id}")
    assert page.status_code == 200 and 'data-testid="entry-result"' not in page.get_data(as_text=True)
    login_as(judging.organizer)
    assert client.get(f"/results/manage/{judging.contest.id}/publish").status_code == 200
