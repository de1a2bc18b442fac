"""Score sheets: validation beside each criterion, drafts, submitting, locking, reopening, and a double submit."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from judging import services
from judging.models import Assignment, Score, ScoreSheet
from judging.services import JudgingError
from judging.services import sheets as sheet_services
from tests.competitions.factories import author, make_contest, make_entry
from tests.threads import run_at_once

RUBRIC = [
    {"name": "Tính mới", "max_points": "30", "step": "0.5"},
    {"name": "Tính khả thi", "max_points": "30", "step": "0.5"},
    {"name": "Hiệu quả", "max_points": "40", "step": "0.5"},
]


@pytest.fixture
def setup(make_user):
    """(sheet, judge, organizer, criterion ids) for a round with a 30/30/40 rubric."""
    contest = make_contest()
    organizer = make_user("organizer")
    judge = make_user("judge", email="gk1@example.vn", scope=("contest", contest.id))
    owner = make_user("contestant")
    entry = make_entry(
        contest, owner, submit=True, field_id=contest.fields[0].id, title="Giải pháp 1", authors=[author("Tác giả")]
    )
    entry.status = "eligible"
    round_ = services.create_round(contest, "preliminary", by=organizer)
    services.replace_rubric(round_, RUBRIC, by=organizer)
    round_.status = "scoring"
    assignment = Assignment(round_id=round_.id, entry_id=entry.id, judge_id=judge.id, source="manual")
    db.session.add(assignment)
    db.session.flush()
    sheet = services.sheet_for(assignment)
    db.session.commit()
    return sheet, judge, organizer, [c.id for c in round_.criteria]


def actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def full(ids) -> dict[int, Decimal]:
    return dict(zip(ids, (Decimal("25.5"), Decimal("27"), Decimal("35")), strict=True))


def test_sheet_for_gets_or_creates_a_draft(setup):
    sheet, *_ = setup
    assert sheet.id is not None and sheet.status == "draft" and sheet.total is None
    assert services.sheet_for(sheet.assignment) is sheet
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1


def test_invalid_values_are_reported_beside_their_criteria_and_nothing_is_written(setup):
    sheet, judge, _organizer, (a, b, c) = setup
    problems = services.save_sheet(
        sheet, {a: Decimal("12.25"), b: Decimal("30.5"), c: Decimal("-1")}, "Nhận xét", by=judge
    )
    assert problems == {a: "off_step", b: "above_max", c: "negative"}
    problems = services.save_sheet(sheet, {a: Decimal("12"), 999_999: Decimal("1")}, "", by=judge)
    assert problems == {999_999: "unknown_criterion"}
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Score)) == 0
    assert sheet.comment == "" and actions("sheet.save") == []


def test_draft_with_missing_values_is_saved_and_updated(setup):
    sheet, judge, _organizer, (a, b, c) = setup
    assert services.save_sheet(sheet, {a: Decimal("20"), b: None, c: Decimal("30.5")}, " Khá tốt ", by=judge) == {}
    db.session.commit()
    assert {s.criterion_id: s.value for s in sheet.scores} == {a: 20, c: Decimal("30.5")}
    assert sheet.comment == "Khá tốt" and sheet.status == "draft"

    # Upsert: a value changes in place, None removes a score, a criterion left out keeps its score.
    assert services.save_sheet(sheet, {a: Decimal("21.5"), c: None}, "Khá tốt", by=judge) == {}
    db.session.commit()
    assert {s.criterion_id: s.value for s in db.session.get(ScoreSheet, sheet.id).scores} == {a: Decimal("21.5")}
    saves = actions("sheet.save")
    assert len(saves) == 2 and saves[0].actor_id == judge.id
    assert saves[1].after["scores"] == {str(a): "21.5"}


def test_incomplete_sheet_cannot_be_submitted(setup):
    sheet, judge, _organizer, (a, b, c) = setup
    services.save_sheet(sheet, {a: Decimal("20"), b: Decimal("20")}, "", by=judge)
    db.session.commit()
    with pytest.raises(JudgingError) as err:
        services.submit_sheet(sheet, by=judge)
    assert err.value.code == "sheet_incomplete" and err.value.detail == {c: "missing"}
    assert sheet.status == "draft" and sheet.total is None


def test_submit_computes_the_total_and_locks_the_sheet(setup):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, full(ids), "Tốt", by=judge)
    services.submit_sheet(sheet, by=judge)
    db.session.commit()
    sheet = db.session.get(ScoreSheet, sheet.id)
    assert sheet.status == "submitted" and sheet.total == Decimal("87.50") and sheet.submitted_at is not None
    assert actions("sheet.submit")[0].summary == "87.50"

    with pytest.raises(JudgingError) as locked:
        services.save_sheet(sheet, {ids[0]: Decimal("30")}, "", by=judge)
    assert locked.value.code == "sheet_locked"
    with pytest.raises(JudgingError) as again:
        services.submit_sheet(sheet, by=judge)
    assert again.value.code == "sheet_locked"
    assert services.submit_sheet_once(sheet.id, by=judge) is False


@pytest.mark.parametrize("status", ["setup", "closed"])
def test_sheets_change_only_while_the_round_is_scoring(setup, status):
    sheet, judge, _organizer, ids = setup
    assert services.save_sheet(sheet, full(ids), "", by=judge) == {}
    db.session.commit()
    sheet.assignment.round.status = status
    db.session.commit()
    with pytest.raises(JudgingError) as saving:
        services.save_sheet(sheet, {ids[0]: Decimal("10")}, "", by=judge)
    assert saving.value.code == "round_not_scoring"
    with pytest.raises(JudgingError) as submitting:
        services.submit_sheet_once(sheet.id, by=judge)
    assert submitting.value.code == "round_not_scoring"
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "draft" and stored.total is None
    assert {s.value for s in stored.scores} == set(full(ids).values())
    assert len(actions("sheet.save")) == 1 and actions("sheet.submit") == []


def test_a_draft_loaded_before_another_writer_submitted_it_cannot_change_its_scores(setup):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, full(ids), "", by=judge)
    db.session.commit()
    assert sheet.status == "draft"  # loaded: the draft as this writer saw it
    with db.engine.begin() as other:  # meanwhile another writer submits it (its row only: the scores are the same)
        other.execute(
            update(ScoreSheet)
            .where(ScoreSheet.id == sheet.id)
            .values(status="submitted", total=Decimal("87.50"), version=ScoreSheet.version + 1)
        )
    with pytest.raises(StaleDataError):  # only a score changes, yet the stale writer is caught
        services.save_sheet(sheet, {ids[0]: Decimal("10")}, "", by=judge)
    db.session.rollback()
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "submitted" and {s.value for s in stored.scores} == set(full(ids).values())
    assert len(actions("sheet.save")) == 1  # the stale writer's entry was not written either


def test_a_saved_draft_is_audited_as_written(setup):
    """A second save (every score there already: row, scores and entry written together on PostgreSQL) records the
    scores before and after, and the sheet's row and scores hold what the entry says."""
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, full(ids), "Lần đầu", by=judge)
    db.session.commit()
    services.save_sheet(sheet, {ids[0]: Decimal("10"), ids[1]: full(ids)[ids[1]]}, "  Lần hai ", by=judge)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, sheet.id)
    saved = actions("sheet.save")
    assert len(saved) == 2 and saved[1].actor_id == judge.id and saved[1].object_id == str(sheet.id)
    assert saved[1].before["comment"] == "Lần đầu" and saved[1].after["comment"] == "Lần hai" == stored.comment
    assert Decimal(saved[1].before["scores"][str(ids[0])]) == full(ids)[ids[0]]
    assert {k: Decimal(v) for k, v in saved[1].after["scores"].items()} == {
        str(s.criterion_id): s.value for s in stored.scores
    }
    assert {s.criterion_id: s.value for s in stored.scores}[ids[0]] == Decimal("10")
    assert stored.version == 3 and stored.status == "draft"


def test_reopen_needs_a_reason_and_unlocks(setup):
    sheet, judge, organizer, ids = setup
    with pytest.raises(JudgingError) as draft:
        services.reopen_sheet(sheet, "Chấm lại", by=organizer)
    assert draft.value.code == "sheet_not_submitted"
    services.save_sheet(sheet, full(ids), "", by=judge)
    services.submit_sheet(sheet, by=judge)
    db.session.commit()

    with pytest.raises(JudgingError) as blank:
        services.reopen_sheet(sheet, "   ", by=organizer)
    assert blank.value.code == "reason_required"
    services.reopen_sheet(sheet, "Giám khảo nhập nhầm điểm tiêu chí 2", by=organizer)
    db.session.commit()
    assert sheet.status == "draft" and sheet.total is None
    assert sheet.reopened_at is not None and sheet.reopened_by_id == organizer.id
    reopened = actions("sheet.reopen")
    assert len(reopened) == 1 and reopened[0].summary == "Giám khảo nhập nhầm điểm tiêu chí 2"
    assert reopened[0].actor_id == organizer.id and reopened[0].before["status"] == "submitted"

    assert services.save_sheet(sheet, {ids[1]: Decimal("28")}, "", by=judge) == {}
    services.submit_sheet(sheet, by=judge)
    db.session.commit()
    assert sheet.total == Decimal("88.50") and len(actions("sheet.submit")) == 2


def test_the_same_sheet_submitted_twice_at_once_stores_one_result(setup, monkeypatch):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, full(ids), "", by=judge)
    db.session.commit()
    sheet_id, judge_id, version = sheet.id, judge.id, sheet.version
    db.session.remove()  # the test holds no connection or lock while the threads run

    barrier = threading.Barrier(2, timeout=30)
    real_submit = sheet_services.submit_sheet

    def submit_together(sheet_, **kwargs):  # both threads have loaded the draft; submit and commit at the same time
        barrier.wait()
        real_submit(sheet_, **kwargs)

    monkeypatch.setattr(sheet_services, "submit_sheet", submit_together)  # what submit_sheet_once calls

    def worker() -> bool:
        return services.submit_sheet_once(sheet_id, by=db.session.get(User, judge_id))

    results = run_at_once([worker, worker])
    assert sorted(results) == [False, True]
    stored = db.session.get(ScoreSheet, sheet_id)
    assert stored.status == "submitted" and stored.total == Decimal("87.50") and stored.version == version + 1
    assert len(actions("sheet.submit")) == 1


def test_scores_typed_with_the_submission_are_written_with_it_in_one_statement_on_postgresql(setup, count_queries):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, {ids[0]: Decimal("10"), ids[1]: Decimal("27"), ids[2]: Decimal("35")}, "", by=judge)
    db.session.commit()
    before = db.session.get(ScoreSheet, sheet.id)
    assert before.version == 2 and {s.value for s in before.scores} == {10, 27, 35}
    assert before.assignment.round.status == "scoring" and len(before.assignment.round.criteria) == 3  # as read
    with count_queries() as counted:
        assert services.submit_sheet_once(before, by=judge, scores=full(ids), comment=" Tốt ") is True
    # The sheet, the changed score and the audit entry: on PostgreSQL in one statement.
    together = db.engine.dialect.name == "postgresql"
    assert [s.split()[0] for s in counted.statements] == (["WITH"] if together else ["UPDATE", "UPDATE", "INSERT"])
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "submitted" and stored.total == Decimal("87.50") and stored.comment == "Tốt"
    assert {s.criterion_id: s.value for s in stored.scores} == full(ids) and stored.version == 3
    (entry,) = actions("sheet.submit")
    assert entry.summary == "87.50" and Decimal(entry.before["scores"][str(ids[0])]) == 10
    assert entry.after["scores"][str(ids[0])] == "25.5" and entry.after["comment"] == "Tốt"


def test_a_first_submission_writes_the_sheet_and_every_score_with_one_entry(setup):
    sheet, judge, _organizer, ids = setup
    assert services.submit_sheet_once(sheet, by=judge, scores=full(ids), comment="") is True
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "submitted" and {s.criterion_id: s.value for s in stored.scores} == full(ids)
    assert [e.summary for e in actions("sheet.submit")] == ["87.50"] and actions("sheet.save") == []


@pytest.mark.parametrize(
    ("typed", "problems"),
    [
        ({0: Decimal("25.5"), 1: Decimal("27")}, {2: "missing"}),
        ({0: Decimal("25.5"), 1: Decimal("27"), 2: None}, {2: "missing"}),
        ({0: Decimal("25.25"), 1: Decimal("27"), 2: Decimal("41")}, {0: "off_step", 2: "above_max"}),
    ],
)
def test_a_submission_with_a_score_missing_or_refused_writes_nothing(setup, typed, problems):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, {ids[0]: Decimal("10")}, "Nháp", by=judge)
    db.session.commit()
    with pytest.raises(JudgingError) as refused:
        services.submit_sheet_once(sheet, by=judge, scores={ids[k]: v for k, v in typed.items()}, comment="Khác")
    assert refused.value.code == "sheet_incomplete"
    assert refused.value.detail == {ids[k]: problem for k, problem in problems.items()}
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "draft" and stored.comment == "Nháp" and stored.version == 2
    assert {s.criterion_id: s.value for s in stored.scores} == {ids[0]: Decimal("10")}
    assert actions("sheet.submit") == []


def test_a_sheet_another_writer_changed_after_it_was_read_is_not_submitted_over_their_change(setup):
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, full(ids), "", by=judge)
    db.session.commit()
    held = db.session.get(ScoreSheet, sheet.id)
    assert len(held.scores) == 3  # read, as the view reads it, before the other tab's save
    with db.engine.begin() as other:  # meanwhile another tab saves another score for the first criterion
        other.execute(
            update(Score).where(Score.sheet_id == sheet.id, Score.criterion_id == ids[0]).values(value=Decimal(10))
        )
        other.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(version=ScoreSheet.version + 1))
    assert services.submit_sheet_once(held, by=judge, scores=full(ids)) is False  # stale: nothing stored
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, sheet.id)
    assert stored.status == "draft" and stored.total is None and actions("sheet.submit") == []
    assert {s.criterion_id: s.value for s in stored.scores}[ids[0]] == Decimal(10)


def test_a_save_then_a_submit_leave_the_loaded_sheet_as_stored_with_nothing_pending(setup):
    """The sheet's row and its scores are written with plain statements (no unit of work): the loaded records are
    kept in step with what was stored, so the submit that follows reads nothing again and flushes nothing twice."""
    sheet, judge, _organizer, ids = setup
    services.save_sheet(sheet, {ids[0]: Decimal("10"), ids[1]: Decimal("20")}, " Nháp ", by=judge)
    db.session.commit()
    assert services.save_sheet(sheet, full(ids) | {ids[1]: None}, "Tốt", by=judge) == {}  # one changed, one removed
    assert not db.session.dirty and not db.session.new and not db.session.deleted
    loaded = (sheet.version, sheet.comment, {s.criterion_id: s.value for s in sheet.scores})
    db.session.commit()
    db.session.expire_all()
    assert (sheet.version, sheet.comment, {s.criterion_id: s.value for s in sheet.scores}) == loaded
    assert loaded[2] == {ids[0]: Decimal("25.5"), ids[2]: Decimal("35")}
    services.save_sheet(sheet, full(ids), "Tốt", by=judge)
    services.submit_sheet(sheet, by=judge)
    assert not db.session.dirty
    db.session.commit()
    stored = db.session.execute(
        select(ScoreSheet.status, ScoreSheet.total, ScoreSheet.version).where(ScoreSheet.id == sheet.id)
    ).one()
    assert tuple(stored) == ("submitted", sheet.total, sheet.version) and sheet.total == Decimal("87.50")
    saves, submits = actions("sheet.save"), actions("sheet.submit")
    assert len(saves) == 3 and len(submits) == 1
    assert saves[1].after["scores"] == {str(ids[0]): "25.5", str(ids[2]): "35"} and saves[1].after["comment"] == "Tốt"
    assert submits[0].before["status"] == "draft" and submits[0].after["total"] == "87.50"
