"""The honoring and events parts of the reports: people honored by category and nominating body from published
lists of closed ballots, events held with the people invited and present from the check-in log, each against an
independent count; their dashboard sections; the organizers' scope; bounded queries."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import text

from app.extensions import db
from app.timefmt import to_local, utcnow
from events.models.checkin import CheckIn
from reports.sources import AnnualContext
from reports.sources import events as events_source
from reports.sources import honors as honors_source
from tests.events import factories as event_factories
from tests.events.factories import make_event, make_invitee
from tests.honors.ballot_factories import published_honors
from tests.honors.factories import make_honors

YEAR = to_local(utcnow()).year
#: A time of day in the middle of a year (10:00 in Vietnam): events that started hours before it started that year,
#: which the first hours of January would not give.
MIDYEAR = datetime(2025, 6, 14, 3, 0)


@pytest.fixture
def midyear(monkeypatch) -> datetime:
    """Now is `MIDYEAR` for the events source (which events have started) and the event factories (when events
    start)."""
    monkeypatch.setattr(events_source, "utcnow", lambda: MIDYEAR)
    monkeypatch.setattr(event_factories, "utcnow", lambda: MIDYEAR)
    return MIDYEAR


def tables(app, module, user, year=YEAR):
    with app.test_request_context(), force_locale("en"):
        return {t.key: t for t in module.annual(AnnualContext(user, year))}


def check_in(invitee, *, undone: bool = False) -> None:
    db.session.add(
        CheckIn(
            event_id=invitee.event_id,
            invitee_id=invitee.id,
            pass_id=invitee.current_pass.id,
            by_name="Lễ tân",
            undone_at=utcnow() if undone else None,
        )
    )
    db.session.commit()


# --- honors ------------------------------------------------------------------------------------------------------


def honored_world():
    """Two published campaigns (one with honorees in two categories) and one still voting (not counted)."""
    first, _cert, _file = published_honors(("eligible", "eligible", "eligible", "ineligible", "withdrawn"))
    second, _cert, _file = published_honors(("eligible", "eligible"), name="Tôn vinh trí thức trẻ")
    voting = make_honors(("eligible",), status="voting", name="Đợt đang bỏ phiếu")
    return first, second, voting


def test_people_honored_by_category_and_body_match_the_published_lists(app, make_user):
    first, second, _voting = honored_world()
    got = tables(app, honors_source, make_user("organizer"))
    for key, column in (("honored_by_category", "category"), ("honored_by_body", "body_name")):
        expected = dict(
            db.session.execute(text(f"SELECT {column}, COUNT(*) FROM honor_honorees GROUP BY {column}")).all()
        )
        assert {row[0]: row[1] for row in got[key].rows} == expected
        assert got[key].total[1] == sum(expected.values())
    campaigns = {row[0]: row for row in got["campaigns"].rows}
    assert set(campaigns) == {first.campaign.name, second.campaign.name}
    nominated = db.session.execute(
        text(
            "SELECT COUNT(*) FROM honor_dossiers WHERE campaign_id = :c AND status IN ('submitted', 'eligible', "
            "'ineligible')"
        ),
        {"c": first.campaign.id},
    ).scalar()
    honored = db.session.execute(
        text("SELECT COUNT(*) FROM honor_honorees WHERE campaign_id = :c"), {"c": first.campaign.id}
    ).scalar()
    assert campaigns[first.campaign.name][3:] == (nominated, honored) == (4, 3)
    assert [row[0] for row in got["honors_trend"].rows] == [str(YEAR)]
    assert got["honors_trend"].rows[0][1:] == (2, honored + 2)


def test_honors_scope_and_other_years(app, make_user):
    first, _second, _voting = honored_world()
    scoped = make_user("organizer", email="btc.dot1@example.vn", scope=("organisation", first.campaign.organisation_id))
    got = tables(app, honors_source, scoped)
    assert [row[0] for row in got["campaigns"].rows] == [first.campaign.name]
    assert tables(app, honors_source, scoped, year=YEAR - 1)["campaigns"].rows == ()
    assert honors_source.years(scoped) == {YEAR}


def test_the_campaigns_dashboard_section(app, make_user):
    _first, _second, voting = honored_world()
    with app.test_request_context(), force_locale("en"):
        section = honors_source.dashboard(make_user("organizer"), utcnow())
    assert [c.title for c in section.cards] == [voting.campaign.name]  # published campaigns are done
    figures = {f.label: f.value for f in section.cards[0].figures}
    assert figures["Eligible for the council"] == 1


# --- events ------------------------------------------------------------------------------------------------------


def events_world():
    """A ceremony that started a couple of hours ago (4 invited, 1 registered, 1 cancelled, 1 waitlisted; 3
    present, one check-in undone), an exhibition started earlier today (2 invited, none present), a draft and a
    cancelled event (not held), and a dialogue coming next week."""
    ceremony = make_event(starts_in_days=-0.1)
    people = [make_invitee(ceremony) for _ in range(4)]
    registered = make_invitee(ceremony, status="registered")
    make_invitee(ceremony, status="cancelled")
    make_invitee(ceremony, status="waitlisted", waitlist_position=1)
    for person in [*people[:2], registered]:
        check_in(person)
    check_in(people[3], undone=True)
    exhibition = make_event(title="Triển lãm sản phẩm sáng tạo", kind="exhibition", starts_in_days=-0.2)
    make_invitee(exhibition)
    make_invitee(exhibition)
    make_event(title="Sự kiện nháp", status="draft", starts_in_days=-1)
    make_event(title="Sự kiện đã hủy", status="cancelled", starts_in_days=-1)
    coming = make_event(title="Gặp mặt trí thức", kind="dialogue", starts_in_days=7)
    make_invitee(coming, status="registered")
    return ceremony, exhibition, coming


def test_events_held_with_invited_and_present_match_the_check_in_log(app, make_user, midyear):
    ceremony, exhibition, _coming = events_world()
    year = to_local(midyear).year
    assert to_local(exhibition.starts_at).year == year
    got = tables(app, events_source, make_user("organizer"), year=year)
    rows = {row[0]: row for row in got["events"].rows}
    assert set(rows) == {ceremony.title, exhibition.title}
    for event in (ceremony, exhibition):
        invited = db.session.execute(
            text("SELECT COUNT(*) FROM event_invitees WHERE event_id = :e AND status IN ('invited', 'registered')"),
            {"e": event.id},
        ).scalar()
        present = db.session.execute(
            text("SELECT COUNT(DISTINCT invitee_id) FROM event_check_ins WHERE event_id = :e AND undone_at IS NULL"),
            {"e": event.id},
        ).scalar()
        assert rows[event.title][3:5] == (invited, present)
    assert rows[ceremony.title][3:] == (5, 3, 60)
    assert got["events"].total[3:] == (7, 3, 43)
    kinds = {row[0]: row[1:] for row in got["event_kinds"].rows}
    assert kinds == {"Award ceremony": (1, 5, 3), "Exhibition": (1, 2, 0)}
    assert got["events_trend"].rows == ((str(year), 2, 7, 3),)


def test_the_coming_events_dashboard_section(app, make_user):
    ceremony, _exhibition, coming = events_world()
    with app.test_request_context(), force_locale("en"):
        section = events_source.dashboard(make_user("organizer"), utcnow())
    titles = [c.title for c in section.cards]
    assert coming.title in titles and ceremony.title in titles  # the ceremony runs for three hours
    over = make_event(title="Lễ đã xong", starts_in_days=-1)  # ended 21 hours ago
    with app.test_request_context(), force_locale("en"):
        assert over.title not in [
            c.title for c in events_source.dashboard(make_user("organizer", email="o2@example.vn"), utcnow()).cards
        ]
    card = next(c for c in section.cards if c.title == coming.title)
    assert {f.label: f.value for f in card.figures} == {"Registered": 1, "People checked in": 0}
    assert any(when == coming.starts_at for _what, when in card.deadlines)


def test_events_scope(app, make_user):
    ceremony, _exhibition, _coming = events_world()
    scoped = make_user("organizer", email="btc.le@example.vn", scope=("organisation", ceremony.organisation_id))
    got = tables(app, events_source, scoped, year=to_local(ceremony.starts_at).year)
    assert [row[0] for row in got["events"].rows] == [ceremony.title]


def test_honors_and_events_cost_bounded_queries(app, make_user, count_queries):
    honored_world()
    events_world()
    user = make_user("organizer")
    with app.test_request_context(), count_queries() as small:
        honors_source.annual(AnnualContext(user, YEAR))
        events_source.annual(AnnualContext(user, YEAR))
        honors_source.dashboard(user, utcnow())
        events_source.dashboard(user, utcnow())
    honored_world()
    events_world()
    with app.test_request_context(), count_queries() as large:
        honors_source.annual(AnnualContext(user, YEAR))
        events_source.annual(AnnualContext(user, YEAR))
        honors_source.dashboard(user, utcnow())
        events_source.dashboard(user, utcnow())
    assert large.n == small.n, (small.n, large.n)


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_pages_show_the_honoring_and_events_parts(client, login_as, make_user):
    first, _second, voting = honored_world()
    ceremony, _exhibition, coming = events_world()
    login_as(make_user("organizer"))
    annual = client.get(f"/reports/annual/{YEAR}").get_data(as_text=True)
    for key in ("campaigns", "honored_by_category", "honored_by_body", "honors_trend", "events", "event_kinds"):
        assert f'data-testid="table-{key}"' in annual
    assert first.campaign.name in annual and ceremony.title in annual
    assert f"/events/{ceremony.id}/attendance" in annual  # an event held links to its attendance
    dashboard = client.get("/reports/").get_data(as_text=True)
    assert 'data-testid="section-campaigns"' in dashboard and 'data-testid="section-events"' in dashboard
    assert voting.campaign.name in dashboard and coming.title in dashboard
    assert first.campaign.name not in dashboard  # published: done


def test_the_pages_cost_the_same_queries_whatever_the_data_size(client, login_as, make_user, count_queries):
    honored_world()
    events_world()
    login_as(make_user("organizer"))
    client.get(f"/reports/annual/{YEAR}")  # the contests' tables counted once, as a worker has (they do not change)
    with count_queries() as small:
        assert client.get("/reports/").status_code == 200
        assert client.get(f"/reports/annual/{YEAR}").status_code == 200
    honored_world()
    events_world()
    with count_queries() as large:
        assert client.get("/reports/").status_code == 200
        assert client.get(f"/reports/annual/{YEAR}").status_code == 200
    assert large.n == small.n, (small.n, large.n)
