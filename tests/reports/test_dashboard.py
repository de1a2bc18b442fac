"""The organizers' dashboard: running editions only, entries by field and status and judging progress against
independent counts, divergent entries (sent for re-scoring or not), links to the pages behind the figures, the
organizers' scope, and a bounded number of queries whatever the data size."""

from __future__ import annotations

import random
import re

from sqlalchemy import text

from app.extensions import db
from app.timefmt import utcnow
from judging.models import RoundEntry
from reports.dashboard import dashboard
from tests.judging.factories import score
from tests.reports.factories import add_entries, make_world
from tests.results.factories import make_judged

#: Entry 1's judges disagree (94 against 30: more than 20 apart); entry 2's agree; entry 3 has one sheet only.
SHEETS = {1: [[28, 28, 38], [10, 10, 10]], 2: [[20, 20, 30], [21, 20, 30]], 3: [[15, 15, 15]]}


def test_running_editions_with_entries_by_field_and_status(app, make_user):
    world = make_world()
    rng = random.Random(4)
    for key, n in (("innovation", 12), ("youth", 9), ("district", 4), ("earlier", 3)):
        add_entries(world, key, n, rng)
    world.contests["earlier"].status = "archived"
    db.session.commit()
    with app.test_request_context():
        data = dashboard(make_user("organizer"))
    cards = {c.contest.id: c for c in data.contests}
    assert world.contests["earlier"].id not in cards
    for key in ("innovation", "youth", "district"):
        contest = world.contests[key]
        expected = {
            (field_id, status): n
            for field_id, status, n in db.session.execute(
                text("SELECT field_id, status, COUNT(*) FROM entries WHERE contest_id = :c GROUP BY field_id, status"),
                {"c": contest.id},
            )
        }
        card = cards[contest.id]
        assert {k: v for k, v in card.entries.items() if v} == expected
        assert card.count() == sum(expected.values())
        assert card.statuses == [
            s
            for s in ("draft", "submitted", "returned", "eligible", "ineligible", "withdrawn")
            if any(st == s for _f, st in expected)
        ]


def test_judging_progress_and_divergent_entries(app, make_user):
    judging = make_judged(SHEETS)
    with app.test_request_context():
        data = dashboard(make_user("organizer"))
    (card,) = data.rounds
    expected, submitted, drafted = db.session.execute(
        text(
            "SELECT COUNT(a.id), SUM(CASE WHEN s.status = 'submitted' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN s.status = 'draft' THEN 1 ELSE 0 END) FROM judging_assignments a "
            "LEFT JOIN score_sheets s ON s.assignment_id = a.id WHERE a.round_id = :r"
        ),
        {"r": judging.round.id},
    ).one()
    assert (card.expected, card.submitted, card.draft) == (expected, submitted, drafted or 0) == (6, 5, 0)
    assert card.percent(card.submitted) == 83
    assert card.divergent == 1 and card.rescoring == 0
    assert [d.entry_id for d in data.divergent] == [judging.entries[0].id]
    assert data.divergent[0].spread == 64 and data.divergent[0].sheets == 2

    # Sent for re-scoring: still divergent until the sheets agree, now counted as sent.
    place = db.session.scalar(
        db.select(RoundEntry).where(
            RoundEntry.round_id == judging.round.id, RoundEntry.entry_id == judging.entries[0].id
        )
    )
    place.rescore_requested_at = utcnow()
    db.session.commit()
    with app.test_request_context():
        again = dashboard(make_user("organizer", email="btc2@example.vn"))
    assert again.rounds[0].rescoring == 1 and again.divergent[0].rescore_requested_at is not None


def test_the_page_links_every_figure_to_its_page(client, login_as, make_user):
    judging = make_judged(SHEETS)
    login_as(make_user("organizer"))
    html = client.get("/reports/").get_data(as_text=True)
    contest_id, round_id = judging.contest.id, judging.round.id
    field_id = judging.contest.fields[0].id
    assert f"/contests/manage/{contest_id}/entries?field={field_id}&amp;status=eligible" in html
    assert f"/contests/manage/{contest_id}/entries?status=all" in html
    assert f"/judging/manage/rounds/{round_id}/progress" in html
    assert f"/judging/manage/rounds/{round_id}/results?divergent=1" in html
    assert 'data-testid="divergent-alert" data-count="1"' in html
    assert re.search(r'data-testid="round-progress"[^>]*data-expected="6" data-submitted="5" data-divergent="1"', html)
    assert "/reports/annual/" in html


def test_an_organizer_sees_only_the_editions_of_their_body(app, client, login_as, make_user):
    world = make_world()
    district = make_user("organizer", email="btc.huyen@example.vn", scope=("organisation", world.district.id))
    province = make_user("organizer", email="btc.tinh@example.vn", scope=("organisation", world.province.id))
    with app.test_request_context():
        assert [c.contest.id for c in dashboard(district).contests] == [world.contests["district"].id]
        seen = {c.contest.id for c in dashboard(province).contests}
    assert world.contests["district"].id in seen and world.contests["innovation"].id in seen
    login_as(district)
    html = client.get("/reports/").get_data(as_text=True)
    assert world.contests["district"].name in html and world.contests["innovation"].name not in html


def test_nothing_running_says_so(client, login_as, make_user):
    login_as(make_user("organizer"))
    assert 'data-testid="no-contests"' in client.get("/reports/").get_data(as_text=True)


def test_the_dashboard_costs_the_same_queries_whatever_the_data_size(client, login_as, make_user, count_queries):
    first = make_judged(SHEETS)
    world = make_world()
    rng = random.Random(5)
    add_entries(world, "innovation", 4, rng)
    login_as(make_user("organizer"))
    with count_queries() as small:
        assert client.get("/reports/").status_code == 200
    # More of everything: entries, a second judged contest with more sheets, drafts and divergence.
    add_entries(world, "innovation", 12, rng)
    add_entries(world, "youth", 8, rng)
    sheets = {n: [[25, 25, 35], [10, 12, 10], [26, 26, 36]] for n in range(1, 6)} | {6: [[20, 20, 30]] * 2}
    second = make_judged(sheets)
    score(second, second.judges[2], second.entries[5], [20, 20, 20], submit=False)  # a draft
    assert first.round.id != second.round.id
    with count_queries() as large:
        assert client.get("/reports/").status_code == 200
    assert large.n == small.n, (small.n, large.n)
    assert small.n <= 14
