"""Judging records and their services: rounds and rubrics, panels, conflicts of interest, assignment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from judging import services
from judging.models import Assignment, Conflict, Round, RoundEntry, Score, ScoreSheet
from judging.services import JudgingError
from tests.competitions.factories import author, make_contest, make_entry, make_organisation


@pytest.fixture
def contest():
    return make_contest()


def judge(make_user, contest, n: int, **extra):
    return make_user(
        "judge", email=f"gk{n}@example.vn", full_name=f"Giám khảo Số {n}", scope=("contest", contest.id), **extra
    )


def eligible_entry(contest, owner, field, n: int, **person):
    person.setdefault("unit", f"Đơn vị số {n}")
    people = [author(f"Tác giả {n}", **person)]
    entry = make_entry(contest, owner, submit=True, field_id=field.id, title=f"Giải pháp {n}", authors=people)
    entry.status = "eligible"
    db.session.commit()
    return entry


def actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- Rounds and rubrics -----------------------------------------------------------------------------------


def test_create_round_copies_the_rubric_and_adds_eligible_entries(contest, make_user):
    organizer = make_user("organizer")
    prelim = services.create_round(contest, "preliminary", by=organizer)
    final = services.create_round(contest, "final", by=organizer)
    db.session.commit()

    assert (prelim.name, prelim.judges_per_entry, prelim.position) == ("Vòng sơ khảo", 2, 0)
    assert (final.name, final.judges_per_entry, final.position) == ("Vòng chung khảo", 3, 1)
    assert prelim.status == "setup" and prelim.method == "mean" and prelim.divergence_threshold == 20
    assert [(c.name, c.max_points) for c in prelim.criteria] == [(c.name, c.max_points) for c in contest.criteria]
    assert sum(c.max_points for c in prelim.criteria) == 100
    assert [s.max_points for s in prelim.specs()] == [c.max_points for c in contest.criteria]
    assert prelim.access_scopes() == contest.access_scopes()
    assert len(actions("round.create")) == 2

    owner = make_user("contestant")
    field = contest.fields[0]
    first, second = eligible_entry(contest, owner, field, 1), eligible_entry(contest, owner, field, 2)
    make_entry(contest, owner, submit=True, title="Chưa sơ tuyển")  # submitted, not screened: left out
    assert services.add_eligible_entries(prelim, by=organizer) == 2
    assert services.add_eligible_entries(prelim, by=organizer) == 0
    db.session.commit()
    in_round = set(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == prelim.id)))
    assert in_round == {first.id, second.id}


def _sheet(round_, entry, judge_user, status="draft") -> ScoreSheet:
    assignment = Assignment(round_id=round_.id, entry_id=entry.id, judge_id=judge_user.id, source="manual")
    sheet = ScoreSheet(assignment=assignment, status=status)
    db.session.add_all([assignment, sheet])
    db.session.flush()
    return sheet


def test_rubric_can_be_replaced_until_a_score_exists(contest, make_user):
    organizer = make_user("organizer")
    round_ = services.create_round(contest, "preliminary", by=organizer)
    assert services.rubric_editable(round_)
    rows = [
        {"name": "Tính mới", "max_points": "40", "step": "0.5"},
        {"name": "Hiệu quả", "max_points": "60", "weight": "1", "description": "Kinh tế - xã hội"},
    ]
    services.replace_rubric(round_, rows, by=organizer)
    db.session.commit()
    assert [(c.name, c.max_points, c.position) for c in round_.criteria] == [
        ("Tính mới", 40, 0),
        ("Hiệu quả", 60, 1),
    ]
    with pytest.raises(JudgingError) as bad:
        services.replace_rubric(round_, [{"name": "X", "max_points": "0"}], by=organizer)
    assert bad.value.code == "bad_criterion"

    entry = eligible_entry(contest, make_user("contestant"), contest.fields[0], 1)
    sheet = _sheet(round_, entry, judge(make_user, contest, 1))
    db.session.add(Score(sheet_id=sheet.id, criterion_id=round_.criteria[0].id, value=Decimal("30.5")))
    db.session.commit()
    assert not services.rubric_editable(round_)
    with pytest.raises(JudgingError) as locked:
        services.replace_rubric(round_, rows, by=organizer)
    assert locked.value.code == "rubric_locked"


# --- Panels -----------------------------------------------------------------------------------------------


def test_panels_are_validated(contest, make_user):
    organizer = make_user("organizer")
    a, b = judge(make_user, contest, 1), judge(make_user, contest, 2)
    everywhere = make_user("judge", email="gk-all@example.vn")
    elsewhere = make_user("judge", email="gk-other@example.vn", scope=("contest", contest.id + 1000))
    not_judge = make_user("contestant", email="ts@example.vn")
    f1, f2, f3 = contest.fields[:3]

    panel = services.save_panel(contest, "Tiểu ban 1", [f1.id, f2.id], [a.id, everywhere.id], a.id, by=organizer)
    db.session.commit()
    assert panel.field_ids == [f1.id, f2.id] and panel.member_ids == [a.id, everywhere.id]

    def refused(code, *args, **kwargs):
        with pytest.raises(JudgingError) as err:
            services.save_panel(contest, *args, by=organizer, **kwargs)
        assert err.value.code == code
        db.session.rollback()

    refused("field_taken", "Tiểu ban 2", [f2.id, f3.id], [b.id], None)
    refused("not_a_judge", "Tiểu ban 2", [f3.id], [not_judge.id], None)
    refused("not_a_judge", "Tiểu ban 2", [f3.id], [elsewhere.id], None)
    refused("member_taken", "Tiểu ban 2", [f3.id], [a.id], None)
    refused("head_not_member", "Tiểu ban 2", [f3.id], [b.id], a.id)
    refused("missing_name", "  ", [f3.id], [b.id], None)
    other = make_contest(year=contest.year + 1)
    refused("unknown_field", "Tiểu ban 2", [other.fields[0].id], [b.id], None)

    # An update keeps the fields it still has, drops the others and may take a free one.
    services.save_panel(contest, "Tiểu ban 1 (sửa)", [f2.id, f3.id], [everywhere.id], None, by=organizer, panel=panel)
    db.session.commit()
    assert sorted(panel.field_ids) == [f2.id, f3.id] and panel.member_ids == [everywhere.id]
    second = services.save_panel(contest, "Tiểu ban 2", [f1.id], [a.id, b.id], b.id, by=organizer)
    db.session.commit()
    assert second.head_id == b.id
    assert len(actions("panel.create")) == 2 and len(actions("panel.update")) == 1


# --- Conflicts --------------------------------------------------------------------------------------------


def test_conflicts_are_detected_once_and_a_lifted_one_stays_lifted(contest, make_user):
    organizer = make_user("organizer")
    school = make_organisation("Trường THPT Bù Đăng")
    author_judge = judge(make_user, contest, 1)
    unit_judge = judge(make_user, contest, 2, organisation_id=school.id)
    free_judge = judge(make_user, contest, 3)
    members = [author_judge.id, unit_judge.id, free_judge.id]
    services.save_panel(contest, "Tiểu ban 1", [contest.fields[0].id], members, None, by=organizer)
    owner = make_user("contestant")
    own = eligible_entry(contest, owner, contest.fields[0], 1, email="GK1@example.vn")
    same_unit = eligible_entry(contest, owner, contest.fields[0], 2, unit="Trường THPT Bù Đăng")
    eligible_entry(contest, owner, contest.fields[0], 3)
    db.session.commit()

    assert services.detect_conflicts(contest, by=organizer) == 2
    db.session.commit()
    found = {(c.judge_id, c.entry_id, c.kind, c.source) for c in db.session.scalars(select(Conflict))}
    assert found == {(author_judge.id, own.id, "author", "auto"), (unit_judge.id, same_unit.id, "same_unit", "auto")}
    assert services.detect_conflicts(contest, by=organizer) == 0

    conflict = db.session.scalar(select(Conflict).where(Conflict.judge_id == unit_judge.id))
    with pytest.raises(JudgingError) as blank:
        services.lift_conflict(conflict, "   ", by=organizer)
    assert blank.value.code == "missing_reason"
    services.lift_conflict(conflict, "Khác phân hiệu, không quen biết tác giả", by=organizer)
    db.session.commit()
    assert services.detect_conflicts(contest, by=organizer) == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Conflict)) == 2
    db.session.refresh(conflict)
    assert conflict.lifted_at is not None and not conflict.active
    assert actions("conflict.lift")[0].summary == "Khác phân hiệu, không quen biết tác giả"
    assert services.active_conflicts(contest.id) == {(author_judge.id, own.id)}

    declared = services.declare_conflict(free_judge, own, "family", "Em họ của tác giả", source="judge")
    db.session.commit()
    assert declared.source == "judge" and declared.created_by_id == free_judge.id
    assert (free_judge.id, own.id) in services.active_conflicts(contest.id)


# --- Assignment -------------------------------------------------------------------------------------------


def test_plan_and_save_assignment(contest, make_user):
    organizer = make_user("organizer")
    owner = make_user("contestant")
    f1, f2, f3 = contest.fields[:3]
    p1 = [judge(make_user, contest, n) for n in range(1, 4)]
    p2 = [judge(make_user, contest, n) for n in range(4, 6)]
    services.save_panel(contest, "Tiểu ban 1", [f1.id], [j.id for j in p1], None, by=organizer)
    services.save_panel(contest, "Tiểu ban 2", [f2.id], [j.id for j in p2], None, by=organizer)
    field1 = [eligible_entry(contest, owner, f1, n) for n in range(1, 8)]
    field2 = [eligible_entry(contest, owner, f2, n) for n in range(8, 11)]
    orphan = eligible_entry(contest, owner, f3, 11)
    services.declare_conflict(p1[0], field1[0], "other", "", source="organizer", by=organizer)
    round_ = services.create_round(contest, "preliminary", by=organizer)
    services.add_eligible_entries(round_, by=organizer)
    db.session.commit()

    plan = services.plan_assignment(round_)
    assert [(u.entry_id, u.reason) for u in plan.unmet] == [(orphan.id, "no_panel")]
    assert services.save_assignment(round_, plan, by=organizer) == 2 * 10
    db.session.commit()

    pairs = set(db.session.execute(select(Assignment.judge_id, Assignment.entry_id)).all())
    for entry in field1 + field2:
        assert sum(1 for _j, e in pairs if e == entry.id) == 2
    assert not pairs & services.active_conflicts(contest.id)
    assert {j for j, e in pairs if e in {x.id for x in field1}} <= {j.id for j in p1}
    loads1 = [sum(1 for j, _e in pairs if j == judge_.id) for judge_ in p1]
    loads2 = [sum(1 for j, _e in pairs if j == judge_.id) for judge_ in p2]
    assert max(loads1) - min(loads1) <= 1 and sum(loads1) == 14
    assert loads2 == [3, 3]
    assert actions("round.assign")[0].summary == "20"

    # Planning again adds nothing; the entry without a panel is still reported.
    again = services.plan_assignment(round_)
    assert again.added == frozenset() and [u.entry_id for u in again.unmet] == [orphan.id]


def test_manual_assignment_and_unassignment(contest, make_user):
    organizer = make_user("organizer")
    owner = make_user("contestant")
    a, b, outsider = judge(make_user, contest, 1), judge(make_user, contest, 2), judge(make_user, contest, 3)
    services.save_panel(contest, "Tiểu ban 1", [contest.fields[0].id], [a.id, b.id], a.id, by=organizer)
    entry = eligible_entry(contest, owner, contest.fields[0], 1)
    round_ = services.create_round(contest, "preliminary", by=organizer)
    services.add_eligible_entries(round_, by=organizer)
    services.declare_conflict(a, entry, "family", "Vợ của tác giả", source="judge")
    db.session.commit()

    def refused(code, judge_user):
        with pytest.raises(JudgingError) as err:
            services.assign_manually(round_, entry, judge_user, by=organizer)
        assert err.value.code == code

    refused("conflict", a)
    refused("not_on_panel", outsider)
    assignment = services.assign_manually(round_, entry, b, by=organizer)
    db.session.commit()
    assert assignment.source == "manual"
    refused("already_assigned", b)

    sheet = ScoreSheet(assignment=assignment, status="submitted")
    db.session.add(sheet)
    db.session.commit()
    with pytest.raises(JudgingError) as err:
        services.unassign(assignment, by=organizer)
    assert err.value.code == "sheet_submitted"
    sheet.status = "draft"
    db.session.commit()
    services.unassign(assignment, by=organizer)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 0


def test_score_sheet_version_increments_on_update(contest, make_user):
    round_ = services.create_round(contest, "preliminary", by=None)
    entry = eligible_entry(contest, make_user("contestant"), contest.fields[0], 1)
    sheet = _sheet(round_, entry, judge(make_user, contest, 1))
    db.session.commit()
    assert sheet.version == 1
    sheet.comment = "Giải pháp hay"
    db.session.commit()
    assert sheet.version == 2
    sheet.status, sheet.total = "submitted", Decimal("85.50")
    db.session.commit()
    assert sheet.version == 3
    assert db.session.get(Round, round_.id).criteria
