"""The annual report remembered by each worker (`app.remembered`): a second view counts nothing again and costs a
bounded number of queries, and whatever the report reads changing (a new published version, an entry submitted,
withdrawn, moved or deleted, a unit renamed, a check-in at an event) shows at the next view."""

from __future__ import annotations

import random

from sqlalchemy import text

from app.extensions import db
from app.remembered import Remembered, rows_stamp
from competitions.models import Entry
from reports.sources import contests
from reports.sources import events as events_source
from tests.events.factories import make_invitee
from tests.reports.factories import add_entries, publish_random
from tests.reports.test_annual import SUBMITTED, latest_payloads, sql_rows, tables_for
from tests.reports.test_honors_events import check_in, events_world, midyear  # noqa: F401
from tests.reports.test_honors_events import tables as source_tables


def submitted_count(contest) -> int:
    return sql_rows(f"SELECT COUNT(*) FROM entries e WHERE e.contest_id = :cid AND {SUBMITTED}", cid=contest.id)[0][0]


def contest_row(app, user, contest):
    return next(r for r in tables_for(app, user)["contests"].rows if r[0] == contest.name)


def test_remembered_keeps_the_latest_keys():
    memory: Remembered[int] = Remembered(2)
    calls = []
    for key in ("a", "b", "a", "c", "a", "b"):
        memory.get(key, lambda key=key: calls.append(key) or len(calls))
    assert calls == ["a", "b", "c", "b"]  # "a" used again before "c" came, so "b" went first
    assert len(memory) == 2


def test_a_second_view_counts_nothing_again(client, login_as, world, make_user, count_queries):
    login_as(make_user("organizer"))
    with count_queries() as first:
        html = client.get("/reports/annual/2025").get_data(as_text=True)
    with count_queries() as second:
        assert client.get("/reports/annual/2025").get_data(as_text=True) == html
    counted = [s for s in second.statements if "payload" in s or "count(entries.id)" in s.lower()]
    assert counted == [], counted  # no snapshot read, no entry counted
    assert second.n < first.n
    rng = random.Random(5)
    for key in ("innovation", "youth", "district"):
        add_entries(world, key, 10, rng)
    client.get("/reports/annual/2025")
    with count_queries() as larger:
        assert client.get("/reports/annual/2025").status_code == 200
    assert larger.n == second.n <= 20, (second.n, larger.n)


def test_a_new_published_version_shows_at_the_next_view(app, world, make_user):
    organizer = make_user("organizer")
    innovation = world.contests["innovation"]
    assert contest_row(app, organizer, innovation)[4] == "Version 2"
    publish_random(world, "innovation", random.Random(11))
    row = contest_row(app, organizer, innovation)
    payload = latest_payloads(2025)[innovation.id]
    assert payload["version"] == 3 and row[4] == "Version 3"
    finalists = sum(1 for e in payload["entries"] if e["score"] is not None)
    prizes = sum(1 for a in payload["awards"] if not a["special"])
    assert row[-4:] == (submitted_count(innovation), finalists, prizes, sum(1 for a in payload["awards"]) - prizes)


def test_entries_submitted_withdrawn_moved_or_deleted_show_at_the_next_view(app, world, make_user):
    organizer = make_user("organizer")
    youth, district = world.contests["youth"], world.contests["district"]
    assert contest_row(app, organizer, youth)[-4] == submitted_count(youth)

    counted = next(e for e in world.entries["youth"] if e.status == "eligible")
    counted.status = "withdrawn"  # through the ORM: its updated_at changes
    db.session.commit()
    assert contest_row(app, organizer, youth)[-4] == submitted_count(youth)

    # By hand in SQL, without touching updated_at (PostgreSQL sees the row's new version; SQLite the new count).
    other = next(e for e in world.entries["youth"] if e.status == "eligible")
    db.session.execute(
        text("UPDATE entries SET contest_id = :d, seq = NULL WHERE id = :e"), {"d": district.id, "e": other.id}
    )
    db.session.execute(text("DELETE FROM entries WHERE id = :e"), {"e": counted.id})
    db.session.commit()
    db.session.expire_all()
    assert contest_row(app, organizer, youth)[-4] == submitted_count(youth)
    assert contest_row(app, organizer, district)[-4] == submitted_count(district)

    add_entries(world, "youth", 6, random.Random(2))
    assert contest_row(app, organizer, youth)[-4] == submitted_count(youth)


def test_a_unit_renamed_shows_at_the_next_view(app, world, make_user):
    organizer = make_user("organizer")
    plain = world.units["plain"]
    assert plain.label in {row[0] for row in tables_for(app, organizer)["localities"].rows}
    db.session.execute(text("UPDATE administrative_units SET name = 'Tân Phú' WHERE id = :u"), {"u": plain.id})
    db.session.commit()
    db.session.expire_all()
    labels = {row[0] for row in tables_for(app, organizer)["localities"].rows}
    assert db.session.get(type(plain), plain.id).label in labels and "Phường Đồng Xoài" not in labels


def test_a_check_in_shows_at_the_next_view(app, make_user, midyear):  # noqa: F811
    ceremony, _exhibition, _coming = events_world()
    organizer = make_user("organizer")

    def present() -> int:
        rows = source_tables(app, events_source, organizer, midyear.year)["events"].rows
        return next(row[4] for row in rows if row[0] == ceremony.title)

    assert present() == 3
    check_in(make_invitee(ceremony))
    assert present() == 4


def test_the_entries_stamp_changes_with_any_change(app, world):
    before = rows_stamp(Entry)
    entry = world.entries["innovation"][0]
    entry.title = entry.title + " (sửa)"
    db.session.commit()
    assert rows_stamp(Entry) != before
    assert contests.rows_stamp(Entry) == rows_stamp(Entry)  # nothing changed since: the same stamp
