"""The scoring workbook of a round (one per edition and round): a sheet per field with each judge's scores per
criterion beside the entry's mean, normalised score, rank and award; a sheet of every score sheet; a sheet of
conflicts of interest and reopened sheets; a sheet of the edition's awards (prizes to units among them). Read in a
fixed number of queries; written with `app.exports` (pandas and xlsxwriter, text neutralised, frozen bold header,
number formats). Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.exports import Column, Sheet, write_csv, write_xlsx
from app.extensions import db
from app.reads import column_rows
from competitions.models import Entry, EntryPerson, Field
from judging.labels import CONFLICT_KIND_LABELS, CONFLICT_SOURCE_LABELS, SHEET_STATUS_LABELS
from judging.models import Assignment, Conflict, Round, RoundEntry, RubricCriterion, Score, ScoreSheet
from judging.services.standings_cache import remembered_standings
from results.models import Award, AwardPlan, AwardTier

SCORE_FORMAT = "0.00"
HALF_FORMAT = "0.0"


@dataclass(slots=True)
class JudgeRow:
    """One judge's sheet on one entry (a row of a field's sheet and of the sheets' sheet); slots: a national
    round's workbook holds 150,000 of them."""

    entry_id: int
    code: str
    title: str
    unit: str
    field: str
    judge: str
    status: str
    submitted_at: datetime | None
    reopened_at: datetime | None
    comment: str
    total: Decimal | None
    scores: dict[int, Decimal] = field(default_factory=dict)
    # the entry's results, repeated on each of its judges' rows so that a filter or a pivot keeps them
    raw: Decimal | None = None
    normalised: Decimal | None = None
    rank: int | None = None
    divergent: bool = False
    award: str = ""


@dataclass
class RoundWorkbook:
    round: Round
    criteria: list[RubricCriterion]
    fields: list[tuple[str, list[JudgeRow]]]
    rows: list[JudgeRow]
    conflicts: list[dict]
    reopenings: list[dict]
    normalise: bool
    #: The edition's stored awards: an entry's (with its author for a person prize) or a unit's.
    awards: list[dict] = field(default_factory=list)


def load(round_: Round) -> RoundWorkbook:
    """Everything the workbook shows, in ten queries whatever the round's size (the standings' five among them)."""
    standings = remembered_standings(round_)
    criteria = list(round_.criteria)
    fields = dict(db.session.execute(select(Field.id, Field.name).where(Field.contest_id == round_.contest_id)).all())
    field_order = list(
        db.session.scalars(select(Field.id).where(Field.contest_id == round_.contest_id).order_by(Field.position))
    )
    entries = {
        r.id: r
        for r in db.session.execute(
            select(Entry.id, Entry.code, Entry.title, Entry.unit_name, Entry.field_id)
            .join(RoundEntry, RoundEntry.entry_id == Entry.id)
            .where(RoundEntry.round_id == round_.id)
        )
    }
    awards: dict[int, list[str]] = {}
    for entry_id, tier_name in db.session.execute(
        select(Award.entry_id, Award.tier_name)
        .join(RoundEntry, RoundEntry.entry_id == Award.entry_id)
        .where(RoundEntry.round_id == round_.id, Award.contest_id == round_.contest_id)
        .order_by(Award.special, Award.id)
    ):
        awards.setdefault(entry_id, []).append(tier_name)
    sheets = column_rows(
        select(
            Assignment.entry_id,
            User.full_name,
            User.sort_name,
            ScoreSheet.id,
            ScoreSheet.status,
            ScoreSheet.submitted_at,
            ScoreSheet.reopened_at,
            ScoreSheet.comment,
            ScoreSheet.total,
        )
        .join(User, User.id == Assignment.judge_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id)
    ).all()
    scores: dict[int, dict[int, Decimal]] = {}
    for sheet_id, criterion_id, value in column_rows(
        select(Score.sheet_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.round_id == round_.id)
    ):
        scores.setdefault(sheet_id, {})[criterion_id] = value

    rows: list[JudgeRow] = []
    for entry_id, judge, _sort, sheet_id, status, submitted_at, reopened_at, comment, total in sorted(
        sheets, key=lambda s: (s[2] or "", s[1])
    ):
        entry = entries.get(entry_id)
        if entry is None:
            continue
        standing = standings.entries.get(entry_id)
        rows.append(
            JudgeRow(
                entry_id=entry_id,
                code=entry.code or "",
                title=entry.title,
                unit=entry.unit_name or "",
                field=fields.get(entry.field_id, ""),
                judge=judge,
                status=status or "none",
                submitted_at=submitted_at,
                reopened_at=reopened_at,
                comment=comment or "",
                total=total if status == "submitted" else None,
                scores=scores.get(sheet_id, {}) if sheet_id is not None else {},
                raw=standing.raw if standing else None,
                normalised=standing.normalised if standing else None,
                rank=standing.rank if standing else None,
                divergent=bool(standing and standing.divergent),
                award=", ".join(awards.get(entry_id, [])),
            )
        )
    # each field's rows: best entries first, then by code, each entry's judges together
    position = {entry_id: i for i, entry_id in enumerate(standings.entries)}
    rows.sort(key=lambda r: (position.get(r.entry_id, len(position)), r.code))
    grouped: dict[int | None, list[JudgeRow]] = {}
    for r in rows:
        field_id = entries[r.entry_id].field_id
        grouped.setdefault(field_id if field_id in fields else None, []).append(r)
    by_field = [
        (fields[field_id] if field_id is not None else _("No field"), grouped[field_id])
        for field_id in [*field_order, None]
        if field_id in grouped
    ]

    conflicts = [
        {
            "judge": judge,
            "code": code or "",
            "title": title,
            "kind": kind,
            "source": source,
            "note": note,
            "created_at": created_at,
            "lifted_at": lifted_at,
            "lift_reason": lift_reason,
        }
        for judge, code, title, kind, source, note, created_at, lifted_at, lift_reason in db.session.execute(
            select(
                User.full_name,
                Entry.code,
                Entry.title,
                Conflict.kind,
                Conflict.source,
                Conflict.note,
                Conflict.created_at,
                Conflict.lifted_at,
                Conflict.lift_reason,
            )
            .join(User, User.id == Conflict.judge_id)
            .join(Entry, Entry.id == Conflict.entry_id)
            .where(Conflict.contest_id == round_.contest_id)
            .order_by(Entry.code, User.sort_name)
        )
    ]
    reopenings = [
        {"when": when, "by": by, "reason": reason, "judge": judge, "code": code or "", "title": title}
        for when, by, reason, judge, code, title in db.session.execute(
            select(
                AuditEntry.created_at,
                AuditEntry.actor_label,
                AuditEntry.summary,
                User.full_name,
                Entry.code,
                Entry.title,
            )
            .join(ScoreSheet, cast(ScoreSheet.id, String) == AuditEntry.object_id)
            .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
            .join(User, User.id == Assignment.judge_id)
            .join(Entry, Entry.id == Assignment.entry_id)
            .where(
                AuditEntry.action == "sheet.reopen",
                AuditEntry.object_type == ScoreSheet.__tablename__,
                Assignment.round_id == round_.id,
            )
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    ]
    return RoundWorkbook(
        round_, criteria, by_field, rows, conflicts, reopenings, bool(round_.normalise), _awards(round_.contest_id)
    )


def _awards(contest_id: int) -> list[dict]:
    """The edition's awards in the plan's tier order, then by rank and code (one query)."""
    rows = db.session.execute(
        select(
            Award.tier_name,
            Award.rank,
            Award.score,
            Award.source,
            Award.reason,
            Award.unit_name,
            Award.entry_id,
            Entry.code,
            Entry.title,
            Entry.unit_name.label("entry_unit"),
            EntryPerson.full_name,
        )
        .outerjoin(Entry, Entry.id == Award.entry_id)
        .outerjoin(EntryPerson, EntryPerson.id == Award.person_id)
        .outerjoin(AwardPlan, AwardPlan.contest_id == Award.contest_id)
        .outerjoin(AwardTier, and_(AwardTier.plan_id == AwardPlan.id, AwardTier.code == Award.tier_code))
        .where(Award.contest_id == contest_id)
        .order_by(AwardTier.position, Award.rank, Entry.code, Award.unit_name, Award.id)
    )
    return [
        {
            "award": r.tier_name,
            "code": r.code or "",
            "title": r.title or "",
            "recipient": r.unit_name if r.entry_id is None else (r.full_name or ""),
            "unit": r.unit_name if r.entry_id is None else (r.entry_unit or ""),
            "rank": r.rank,
            "score": r.score,
            "source": _("By hand") if r.source == "manual" else _("Rule"),
            "reason": r.reason or "",
        }
        for r in rows
    ]


def _criterion_columns(criteria: list[RubricCriterion]) -> list[Column]:
    return [
        Column(lambda r, cid=c.id: r.scores.get(cid), f"{c.name} ({_points(c.max_points)})", number_format=HALF_FORMAT)
        for c in criteria
    ]


def _points(value) -> str:
    text = format(Decimal(value), "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")


def score_columns(book: RoundWorkbook) -> list[Column]:
    """The columns of a field's sheet (and of the CSV): the entry, the judge and their scores, the entry's results."""
    yes = _("Yes")  # translated once, not on every row
    columns = [
        Column("rank", _("Rank")),
        Column("code", _("Code")),
        Column("title", _("Entry"), width=40),
        Column("unit", _("Unit"), width=30),
        Column("field", _("Field"), width=30),
        Column("judge", _("Judge"), width=24),
        *_criterion_columns(book.criteria),
        Column("total", _("Judge's total"), number_format=SCORE_FORMAT),
        Column("raw", _("Entry score"), number_format=SCORE_FORMAT),
    ]
    if book.normalise:
        columns.append(Column("normalised", _("Normalised score"), number_format=SCORE_FORMAT))
    columns += [
        Column(lambda r: yes if r.divergent else "", _("Judges diverge")),
        Column("award", _("Award"), width=20),
    ]
    return columns


def sheets(book: RoundWorkbook) -> list[Sheet]:
    """The workbook's sheets: one per field, the score sheets, the conflicts and reopenings."""
    caption = _(
        "%(round)s — %(contest)s: one row per judge and entry; the entry's score, rank and award repeat on each "
        "of its rows.",
        round=book.round.name,
        contest=book.round.contest.name,
    )
    columns = score_columns(book)
    statuses = {status: str(label) for status, label in SHEET_STATUS_LABELS.items()}  # translated once
    out = [Sheet(name, columns, rows, caption=caption) for name, rows in book.fields] or [
        Sheet(_("Scores"), columns, [], caption=caption)
    ]
    out.append(
        Sheet(
            _("Score sheets"),
            [
                Column("judge", _("Judge"), width=24),
                Column("code", _("Code")),
                Column("title", _("Entry"), width=40),
                Column("field", _("Field"), width=30),
                Column(lambda r: statuses.get(r.status, r.status), _("Status")),
                Column("submitted_at", _("Submitted at")),
                Column("reopened_at", _("Reopened at")),
                *_criterion_columns(book.criteria),
                Column("total", _("Judge's total"), number_format=SCORE_FORMAT),
                Column("comment", _("Comment"), width=50),
            ],
            sorted(book.rows, key=lambda r: (r.judge, r.code)),
        )
    )
    events = [
        {
            "what": str(CONFLICT_KIND_LABELS.get(c["kind"], c["kind"])),
            "judge": c["judge"],
            "code": c["code"],
            "title": c["title"],
            "detail": " · ".join(
                x for x in (str(CONFLICT_SOURCE_LABELS.get(c["source"], c["source"])), c["note"]) if x
            ),
            "when": c["created_at"],
            "lifted_at": c["lifted_at"],
            "lift_reason": c["lift_reason"],
        }
        for c in book.conflicts
    ] + [
        {
            "what": _("Score sheet reopened"),
            "judge": r["judge"],
            "code": r["code"],
            "title": r["title"],
            "detail": r["reason"],
            "when": r["when"],
            "lifted_at": None,
            "lift_reason": r["by"],
        }
        for r in book.reopenings
    ]
    out.append(
        Sheet(
            _("Conflicts and reopenings"),
            [
                Column("what", _("What"), width=28),
                Column("judge", _("Judge"), width=24),
                Column("code", _("Code")),
                Column("title", _("Entry"), width=40),
                Column("detail", _("Details"), width=40),
                Column("when", _("When")),
                Column("lifted_at", _("Lifted at")),
                Column("lift_reason", _("Lift reason or reopened by"), width=40),
            ],
            events,
            caption=_(
                "Conflicts of interest of the contest (in force or lifted) and the round's reopened score sheets."
            ),
        )
    )
    out.append(
        Sheet(
            _("Awards"),
            [
                Column("award", _("Award"), width=28),
                Column("code", _("Code")),
                Column("title", _("Entry"), width=40),
                Column("recipient", _("Awarded to"), width=30),
                Column("unit", _("Unit"), width=30),
                Column("rank", _("Rank")),
                Column("score", _("Score"), number_format=SCORE_FORMAT),
                Column("source", _("Source")),
                Column("reason", _("Reason"), width=40),
            ],
            book.awards,
        )
    )
    return out


def round_xlsx(round_: Round) -> bytes:
    return write_xlsx(sheets(load(round_)))


def round_csv(round_: Round) -> bytes:
    book = load(round_)
    return write_csv(score_columns(book), book.rows)
