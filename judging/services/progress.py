"""Progress of a round's scoring (sheets expected, not started, drafted, submitted; per judge, sub-panel and round),
reminders to judges with missing sheets, and reopening a sheet with word to its judge.

The counts come from grouped queries: the number of queries does not grow with the round.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.audit.service import record
from app.extensions import db
from app.mail.service import send_templated
from app.timefmt import utcnow
from competitions.models import Entry
from judging.models import Assignment, Panel, Round, RoundEntry, ScoreSheet
from judging.services.sheets import reopen_sheet

#: Entries still missing sheets listed on the board at most (the most behind first); the rest are counted.
MISSING_LIMIT = 200

#: The audit actions that make a sheet's history.
SHEET_HISTORY_ACTIONS = ("sheet.submit", "sheet.reopen")


@dataclass
class Counts:
    """Sheets of a judge, a sub-panel or a round: one expected per assignment."""

    expected: int = 0
    draft: int = 0
    submitted: int = 0

    @property
    def not_started(self) -> int:
        return self.expected - self.draft - self.submitted

    @property
    def missing(self) -> int:
        """Expected and not submitted (not started or drafted)."""
        return self.expected - self.submitted

    def percent(self, part: int) -> int:
        """`part` as a whole percentage of the sheets expected (0 when none is)."""
        return round(100 * part / self.expected) if self.expected else 0

    def __iadd__(self, other: Counts) -> Counts:
        self.expected += other.expected
        self.draft += other.draft
        self.submitted += other.submitted
        return self


@dataclass
class JudgeProgress:
    judge: User
    panel: Panel | None
    counts: Counts


@dataclass
class PanelProgress:
    """A sub-panel's judges and their sheets (`panel` None: judges with assignments who sit on no sub-panel)."""

    panel: Panel | None
    judges: list[JudgeProgress] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


@dataclass
class SheetState:
    """One assignment of an entry still missing sheets: its judge, and its sheet's id and status (None: none)."""

    judge_id: int
    sheet_id: int | None
    status: str | None


@dataclass
class EntryProgress:
    """An entry of the round whose sheets are not all in: fewer submitted than assigned, or fewer judges
    assigned than the round wants."""

    entry: Entry
    assigned: int
    draft: int
    submitted: int
    wanted: int
    sheets: list[SheetState] = field(default_factory=list)

    @property
    def short_of_judges(self) -> bool:
        return self.assigned < self.wanted


@dataclass
class RoundProgress:
    round: Round
    counts: Counts
    panels: list[PanelProgress]
    entries_total: int
    entries_complete: int
    missing: list[EntryProgress]  # at most MISSING_LIMIT, fewest sheets submitted first
    missing_total: int
    divergent: int  # entries whose submitted totals differ by more than the round's threshold
    judges: dict[int, User]

    @property
    def judge_rows(self) -> list[JudgeProgress]:
        return [row for panel in self.panels for row in panel.judges]


def _submitted():
    return func.coalesce(func.sum(case((ScoreSheet.status == "submitted", 1), else_=0)), 0)


def _drafted():
    return func.coalesce(func.sum(case((ScoreSheet.status == "draft", 1), else_=0)), 0)


def _entry_counts(round_: Round):
    """Per entry of the round: its assignments, drafted and submitted sheets (a grouped subquery)."""
    return (
        select(
            RoundEntry.entry_id.label("entry_id"),
            func.count(Assignment.id).label("assigned"),
            _drafted().label("drafted"),
            _submitted().label("submitted"),
        )
        .select_from(RoundEntry)
        .outerjoin(
            Assignment, and_(Assignment.round_id == RoundEntry.round_id, Assignment.entry_id == RoundEntry.entry_id)
        )
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(RoundEntry.round_id == round_.id)
        .group_by(RoundEntry.entry_id)
        .subquery()
    )


def _divergent_count(round_: Round) -> int:
    """Entries with two or more submitted sheets whose totals differ by MORE than the round's threshold (as
    `aggregation.divergent` says), counted by one grouped query."""
    spread = func.max(ScoreSheet.total) - func.min(ScoreSheet.total)
    flagged = (
        select(Assignment.entry_id)
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id, ScoreSheet.status == "submitted", ScoreSheet.total.is_not(None))
        .group_by(Assignment.entry_id)
        .having(func.count(ScoreSheet.id) >= 2, spread > round_.divergence_threshold)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(flagged)) or 0


def round_progress(round_: Round, *, limit: int = MISSING_LIMIT) -> RoundProgress:
    """The progress board of a round, in a fixed number of queries whatever its size."""
    # Sheets per judge and status.
    by_judge: dict[int, Counts] = {}
    rows = db.session.execute(
        select(Assignment.judge_id, ScoreSheet.status, func.count(Assignment.id))
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id)
        .group_by(Assignment.judge_id, ScoreSheet.status)
    )
    for judge_id, status, n in rows:
        counts = by_judge.setdefault(judge_id, Counts())
        counts.expected += n
        if status == "draft":
            counts.draft += n
        elif status == "submitted":
            counts.submitted += n

    # Sub-panels and their judges (every judge of a panel is listed, with or without assignments).
    panels = list(
        db.session.scalars(
            select(Panel)
            .where(Panel.contest_id == round_.contest_id)
            .options(selectinload(Panel.members))
            .order_by(Panel.name, Panel.id)
        )
    )
    judges: dict[int, User] = {}
    board: list[PanelProgress] = []
    seated: set[int] = set()
    for panel in panels:
        group = PanelProgress(panel)
        for member in sorted(panel.members, key=lambda m: (m.user.sort_name, m.user_id)):
            judges[member.user_id] = member.user
            seated.add(member.user_id)
            counts = by_judge.get(member.user_id, Counts())
            group.judges.append(JudgeProgress(member.user, panel, counts))
            group.counts += counts
        board.append(group)
    elsewhere = sorted(set(by_judge) - seated)
    if elsewhere:
        group = PanelProgress(None)
        for user in db.session.scalars(select(User).where(User.id.in_(elsewhere)).order_by(User.sort_name, User.id)):
            judges[user.id] = user
            group.judges.append(JudgeProgress(user, None, by_judge[user.id]))
            group.counts += by_judge[user.id]
        board.append(group)
    total = Counts()
    for counts in by_judge.values():
        total += counts

    # Entries: how many are complete, and those still missing sheets (the most behind first).
    per_entry = _entry_counts(round_)
    wanted = round_.judges_per_entry
    behind = or_(per_entry.c.assigned == 0, per_entry.c.submitted < per_entry.c.assigned, per_entry.c.assigned < wanted)
    entries_total, missing_total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((behind, 1), else_=0)), 0)).select_from(per_entry)
    ).one()
    missing = [
        EntryProgress(entry, assigned, drafted, submitted, wanted)
        for entry, assigned, drafted, submitted in db.session.execute(
            select(Entry, per_entry.c.assigned, per_entry.c.drafted, per_entry.c.submitted)
            .join(per_entry, per_entry.c.entry_id == Entry.id)
            .where(behind)
            .order_by(per_entry.c.submitted, per_entry.c.assigned, Entry.code, Entry.id)
            .limit(limit)
        )
    ]
    if missing:
        listed = {m.entry.id: m for m in missing}
        for entry_id, judge_id, sheet_id, status in db.session.execute(
            select(Assignment.entry_id, Assignment.judge_id, ScoreSheet.id, ScoreSheet.status)
            .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .where(Assignment.round_id == round_.id, Assignment.entry_id.in_(listed))
            .order_by(Assignment.entry_id, Assignment.judge_id)
        ):
            listed[entry_id].sheets.append(SheetState(judge_id, sheet_id, status))

    return RoundProgress(
        round=round_,
        counts=total,
        panels=board,
        entries_total=entries_total,
        entries_complete=entries_total - missing_total,
        missing=missing,
        missing_total=missing_total,
        divergent=_divergent_count(round_),
        judges=judges,
    )


# --- Reminders ---------------------------------------------------------------------------------------------


def missing_by_judge(round_: Round) -> dict[int, int]:
    """judge_id -> how many of their sheets in the round are not submitted (not started or drafted)."""
    rows = db.session.execute(
        select(Assignment.judge_id, func.count(Assignment.id))
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id, or_(ScoreSheet.id.is_(None), ScoreSheet.status != "submitted"))
        .group_by(Assignment.judge_id)
    )
    return dict(rows.all())


def _assignments_link() -> str:
    """The judges' page of their assignments."""
    return url_for("judging.my_assignments", _external=True)


def remind_judges(round_: Round, *, by) -> int:
    """Mail every judge of the round with sheets not submitted, in their own language: how many are missing, the
    deadline if set, and the link to their assignments. Records `round.reminded_at` and the audit entry
    "round.remind" (with the judges' ids); returns how many judges were mailed (0: none had missing sheets, and
    nothing is recorded). Inactive accounts are left out. Only a round open for scoring reminds anyone: judges
    cannot score in another (0, nothing recorded)."""
    if round_.status != "scoring":
        return 0
    missing = missing_by_judge(round_)
    if not missing:
        return 0
    judges = list(
        db.session.scalars(select(User).where(User.id.in_(missing), User.is_active_account.is_(True)).order_by(User.id))
    )
    if not judges:
        return 0
    link = _assignments_link()
    for judge in judges:
        send_templated(
            judge.email,
            judge.locale,
            _l("Reminder: score sheets to submit for %(round)s", round=round_.name),
            "emails/judging_reminder.txt",
            judge=judge,
            round=round_,
            contest=round_.contest,
            missing=missing[judge.id],
            link=link,
        )
    round_.reminded_at = utcnow()
    ids = [j.id for j in judges]
    record(
        "round.remind",
        round_,
        after={"judges": ids, "missing": {str(j): missing[j] for j in ids}, "reminded_at": round_.reminded_at},
        summary=str(len(ids)),
        actor=by,
    )
    db.session.flush()
    return len(ids)


# --- One sheet ---------------------------------------------------------------------------------------------


def reopen_and_notify(sheet: ScoreSheet, reason: str, *, by) -> None:
    """`reopen_sheet` (refusals as there), then tell the sheet's judge by mail, in their language, why."""
    reopen_sheet(sheet, reason, by=by)
    assignment = sheet.assignment
    judge = assignment.judge
    if judge is None or not judge.is_active_account:
        return
    send_templated(
        judge.email,
        judge.locale,
        _l("Your score sheet for %(code)s was reopened", code=assignment.entry.code or ""),
        "emails/judging_sheet_reopened.txt",
        judge=judge,
        round=assignment.round,
        entry=assignment.entry,
        reason=reason.strip(),
        link=_assignments_link(),
    )


def sheet_history(sheet: ScoreSheet) -> list[AuditEntry]:
    """The sheet's submissions and reopenings (with their reasons in `summary`), newest first."""
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.object_type == ScoreSheet.__tablename__,
                AuditEntry.object_id == str(sheet.id),
                AuditEntry.action.in_(SHEET_HISTORY_ACTIONS),
            )
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        )
    )
