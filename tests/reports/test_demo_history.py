"""The demo's earlier editions: finished and published, so that the annual report shows a trend over three years
and more; seeding them again changes nothing; they go along with `results.demo`'s finished edition."""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import func, select

from app import demo
from app.cli import DOMAIN_SEEDERS
from app.extensions import db
from app.timefmt import utcnow
from competitions.models import Contest
from reports.sources import AnnualContext, annual_tables
from results import demo_history
from results.models import Publication


def seed_everything() -> dict:
    context = demo.seed()
    for path in DOMAIN_SEEDERS:
        if path != "results.demo_history":
            context = import_module(path).seed(context) or context
    return context


def test_seeded_history_gives_the_report_three_years_and_more(app, make_user):
    context = seed_everything()
    published_before = db.session.scalar(select(func.count(Publication.contest_id.distinct())))
    demo_history.seed(context)  # its time is `make run`'s first start: no timing here (timings live in bench/)
    db.session.commit()
    this_year = utcnow().year
    earlier = {this_year - spec[0] for spec in demo_history.EDITIONS}
    history = list(db.session.scalars(select(Contest).where(Contest.year.in_(earlier), Contest.status == "archived")))
    assert len(history) == len(demo_history.EDITIONS)
    published_now = db.session.scalar(select(func.count(Publication.contest_id.distinct())))
    assert published_now == published_before + len(demo_history.EDITIONS)

    organizer = make_user("organizer", email="bao.cao@example.vn")
    with app.test_request_context():
        tables = {t.key: t for t in annual_tables(AnnualContext(organizer, this_year))}
    years = [int(row[0]) for row in tables["trend"].rows]
    assert len(years) >= 3 and years[-1] == this_year and earlier <= set(years)
    by_year = {int(row[0]): row for row in tables["trend"].rows}
    for year in earlier:
        assert by_year[year][2] > 0 and by_year[year][4] > 0  # entries, and prizes from published results
    youth = next(c for c in history if c.kind == "youth" and c.year == this_year - 1)
    with app.test_request_context():
        localities = {t.key: t for t in annual_tables(AnnualContext(organizer, youth.year, successors=False))}[
            "localities"
        ]
    assert localities.rows  # the localities of the time


def test_seeding_history_twice_changes_nothing():
    context = demo.seed()
    demo_history.seed(context)
    db.session.commit()
    before = db.session.scalar(select(func.count(Contest.id)))
    demo_history.seed(context)
    assert db.session.scalar(select(func.count(Contest.id))) == before
