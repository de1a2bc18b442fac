"""The demo shows judging: the Technical Innovation edition's preliminary round is scoring, every entry has its
judges from the sub-panel of its field, no conflict of interest is crossed, and the demo judge has sheets done and
sheets left to try."""

from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.demo import DEMO_PASSWORD
from app.extensions import db
from competitions.models import Contest, Entry
from judging import services
from judging.aggregation import divergent
from judging.demo import DEMO_LOGINS
from judging.models import Assignment, Conflict, Panel, PanelField, PanelMember, Round, RoundEntry, ScoreSheet


def _sheets(round_: Round) -> list[tuple[Assignment, ScoreSheet | None]]:
    return list(
        db.session.execute(
            select(Assignment, ScoreSheet)
            .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .where(Assignment.round_id == round_.id)
            .order_by(Assignment.id)
        ).all()
    )


def test_demo_round_is_scoring_with_every_entry_assigned_and_sheets_left_for_the_demo_judge(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output

    contest = db.session.scalar(select(Contest).where(Contest.kind == "innovation", Contest.level == "provincial"))
    round_ = db.session.scalar(select(Round).where(Round.contest_id == contest.id))
    assert round_.kind == "preliminary" and round_.status == "scoring" and round_.deadline is not None
    k = round_.judges_per_entry
    assert k == 2

    # The round holds exactly the contest's eligible entries, in fields of both sub-panels; one entry still waits.
    in_round = set(db.session.scalars(select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id)))
    statuses = dict(db.session.execute(select(Entry.id, Entry.status).where(Entry.contest_id == contest.id)).all())
    assert in_round == {e for e, status in statuses.items() if status == "eligible"}
    assert len(in_round) >= 6 and "submitted" in statuses.values()
    panels = db.session.scalars(select(Panel).where(Panel.contest_id == contest.id)).all()
    assert len(panels) == 2 and all(p.head_id in p.member_ids for p in panels)
    field_panel = dict(db.session.execute(select(PanelField.field_id, PanelField.panel_id)).all())
    members = set(db.session.execute(select(PanelMember.panel_id, PanelMember.user_id)).all())
    entry_field = dict(db.session.execute(select(Entry.id, Entry.field_id).where(Entry.id.in_(in_round))).all())
    assert {field_panel[entry_field[e]] for e in in_round} == {p.id for p in panels}

    # Every entry has k judges of its field's sub-panel; none is a judge in conflict with it.
    sheets = _sheets(round_)
    per_entry = Counter(a.entry_id for a, _ in sheets)
    assert per_entry == dict.fromkeys(in_round, k)
    for a, _ in sheets:
        assert (field_panel[entry_field[a.entry_id]], a.judge_id) in members
    conflicts = db.session.scalars(select(Conflict).where(Conflict.contest_id == contest.id)).all()
    assert {c.source for c in conflicts} == {"auto", "organizer"}
    assert any(c.entry_id in in_round for c in conflicts if c.source == "auto")
    crossed = {(a.judge_id, a.entry_id) for a, _ in sheets} & services.active_conflicts(contest.id)
    assert crossed == set()
    loads = Counter(a.judge_id for a, _ in sheets)
    for panel in panels:
        assert max(loads[j] for j in panel.member_ids) - min(loads[j] for j in panel.member_ids) <= 1

    # Sheets: submitted ones, drafts, one entry whose judges disagree by more than the threshold.
    assert Counter(s.status for _, s in sheets if s is not None) >= Counter(submitted=6, draft=2)
    totals: dict[int, dict[int, Decimal]] = {}
    for a, s in sheets:
        if s is not None and s.submitted:
            totals.setdefault(a.entry_id, {})[a.judge_id] = s.total
    assert len(divergent(totals, round_.divergence_threshold)) == 1

    # The demo judge has scored some and has a couple left: a draft and one not opened yet.
    demo_judge = db.session.scalar(select(User).where(User.email == "giamkhao@sangtao.local"))
    mine = [(a, s) for a, s in sheets if a.judge_id == demo_judge.id]
    assert sum(1 for _, s in mine if s is not None and s.submitted) >= 1
    left = [(a, s) for a, s in mine if s is None or not s.submitted]
    assert len(left) == 2 and any(s is None for _, s in left)

    # ...which they can score and submit.
    assignment = next(a for a, s in left if s is None)
    sheet = services.sheet_for(assignment)
    values = {c.id: c.max_points - 5 for c in round_.criteria}
    assert services.save_sheet(sheet, values, "Thử chấm", by=demo_judge) == {}
    services.submit_sheet(sheet, by=demo_judge)
    assert sheet.total == sum(values.values())

    # Done through the services: the audit log tells it.
    actions = set(db.session.scalars(select(AuditEntry.action)))
    expected = {"panel.create", "round.create", "round.status", "conflicts.detect", "round.assign", "sheet.submit"}
    assert expected <= actions

    # The other judges log in with the demo password, as judges of this contest only; demo-logins lists them.
    logins = runner.invoke(args=["demo-logins"]).output
    youth = db.session.scalar(select(Contest).where(Contest.kind == "youth", Contest.level == "provincial"))
    for email, name, role, _note in DEMO_LOGINS:
        judge = db.session.scalar(select(User).where(User.email == email))
        assert judge.full_name == name and judge.check_password(DEMO_PASSWORD)
        assert judge.can(role, contest) and not judge.can(role, youth)
        assert email in logins


def test_seeding_judging_twice_changes_nothing(app):
    from app import demo as foundation
    from competitions import demo as contests
    from judging import demo as judging

    context = contests.seed(foundation.seed())
    first = judging.seed(context)
    db.session.commit()
    again = judging.seed(first)
    assert db.session.scalar(select(Round.id).where(Round.contest_id == first["contests"]["innovation"].id)) == (
        first["judging"]["round"].id
    )
    assert again is first and len(db.session.scalars(select(Round)).all()) == 1
