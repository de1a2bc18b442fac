"""The demo holds both contests with entries in several fields and every screening status."""

from sqlalchemy import func, select

from app.extensions import db
from competitions.models import Contest, Entry


def test_demo_has_both_contests_with_entries_in_several_fields(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    contests = {c.kind: c for c in db.session.scalars(select(Contest).where(Contest.level == "provincial"))}
    assert set(contests) == {"innovation", "youth"}
    for contest in contests.values():
        fields = db.session.scalar(
            select(func.count(func.distinct(Entry.field_id))).where(Entry.contest_id == contest.id)
        )
        assert fields >= 4
        statuses = set(db.session.scalars(select(Entry.status).where(Entry.contest_id == contest.id)))
        assert {"submitted", "eligible", "returned", "ineligible", "draft"} <= statuses
    codes = db.session.scalars(select(Entry.code).where(Entry.code.is_not(None))).all()
    assert len(codes) == len(set(codes))
    district = db.session.scalar(select(Contest).where(Contest.level == "school"))
    assert district.organisation.short_name == "LHH Bù Đăng"
