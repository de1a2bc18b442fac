"""After the scores: sending a divergent entry to its whole sub-panel for re-scoring, and advancing entries to the
next round of the contest. Both record the audit log and flush; the view commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.service import record
from app.extensions import db
from app.mail.service import send_templated
from app.timefmt import utcnow
from competitions.models import Entry
from judging import aggregation
from judging.advancement import select_advancing
from judging.models import Assignment, PanelField, PanelMember, Round, RoundEntry
from judging.services._common import JudgingError, actor_id
from judging.services.conflicts import active_conflicts
from judging.services.rounds import create_round
from judging.services.sheets import reopen_sheet
from judging.services.standings import Standings, round_standings

__all__ = [
    "Advanced",
    "FieldSummary",
    "Rescore",
    "adjusted_choice",
    "advance_entries",
    "field_summaries",
    "next_round",
    "proposed_advancing",
    "read_codes",
    "request_rescore",
]


# --- re-scoring ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rescore:
    """What `request_rescore` did: judges newly assigned, sheets reopened, judges mailed (ids)."""

    added: list[int]
    reopened: list[int]
    mailed: list[int]


def _round_entry(round_: Round, entry_id: int) -> RoundEntry:
    found = db.session.scalar(
        select(RoundEntry).where(RoundEntry.round_id == round_.id, RoundEntry.entry_id == entry_id)
    )
    if found is None:
        raise JudgingError("not_in_round", entry_id)
    return found


def _judges_link() -> str:
    if "judging.my_assignments" in current_app.view_functions:
        return url_for("judging.my_assignments", _external=True)
    return url_for("main.index", _external=True)


def request_rescore(round_: Round, entry: Entry, reason: str, *, by) -> Rescore:
    """Send a divergent entry to the WHOLE sub-panel of its field for re-scoring:

    - every member of the panel without an assignment for the entry in the round, and with no conflict of interest
      in force with it, is assigned (source "rescore");
    - every submitted sheet of the entry in the round is reopened (`reopen_sheet`, with `reason`, required);
    - `rescore_requested_at`/`_by` are set on the entry's place in the round;
    - every judge who now holds the entry (conflicted ones left out) is told by mail, in their own language;
    - the audit entry "entry.rescore" records the round, the judges added, the sheets reopened and the reason.

    Refused: `reason_required` (no reason), `not_in_round`, `round_not_scoring` (judges could not score),
    `no_panel` (no sub-panel judges the entry's field), `not_divergent` (the entry's submitted totals are not more
    than the round's threshold apart -- which also stops a second request while the re-scoring is under way).
    """
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError("reason_required")
    place = _round_entry(round_, entry.id)
    if round_.status != "scoring":
        raise JudgingError("round_not_scoring", round_.id)
    panel_id = db.session.scalar(
        select(PanelField.panel_id).where(
            PanelField.contest_id == round_.contest_id, PanelField.field_id == entry.field_id
        )
    )
    if panel_id is None:
        raise JudgingError("no_panel", entry.id)
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.round_id == round_.id, Assignment.entry_id == entry.id)
            .options(selectinload(Assignment.sheet))
            .order_by(Assignment.id)
        )
    )
    totals = {a.judge_id: a.sheet.total for a in assignments if a.sheet is not None and a.sheet.submitted}
    threshold = Decimal(round_.divergence_threshold if round_.divergence_threshold is not None else 20)
    if entry.id not in aggregation.divergent({entry.id: totals}, threshold):
        raise JudgingError("not_divergent", entry.id)

    conflicted = {judge_id for judge_id, entry_id in active_conflicts(round_.contest_id) if entry_id == entry.id}
    members = list(
        db.session.scalars(select(PanelMember.user_id).where(PanelMember.panel_id == panel_id).order_by(PanelMember.id))
    )
    holding = {a.judge_id for a in assignments}
    added = [m for m in members if m not in holding and m not in conflicted]
    for judge_id in added:
        db.session.add(
            Assignment(
                round_id=round_.id, entry_id=entry.id, judge_id=judge_id, source="rescore", created_by_id=actor_id(by)
            )
        )
    reopened = []
    for assignment in assignments:
        if assignment.sheet is not None and assignment.sheet.submitted:
            reopen_sheet(assignment.sheet, reason, by=by)
            reopened.append(assignment.sheet.id)
    place.rescore_requested_at = utcnow()
    place.rescore_requested_by_id = actor_id(by)
    db.session.flush()

    concerned = sorted((holding | set(added)) - conflicted)
    judges = list(
        db.session.scalars(
            select(User).where(User.id.in_(concerned), User.is_active_account.is_(True)).order_by(User.sort_name)
        )
    )
    reopened_judges = {a.judge_id for a in assignments if a.sheet is not None and a.sheet.id in reopened}
    link = _judges_link()
    for judge in judges:
        send_templated(
            judge.email,
            judge.locale,
            _l("Re-scoring of %(code)s by the whole sub-panel", code=entry.code or ""),
            "emails/judging_rescore.txt",
            judge=judge,
            entry=entry,
            round=round_,
            contest=round_.contest,
            reason=reason,
            new=judge.id in added,
            reopened=judge.id in reopened_judges,
            link=link,
        )
    record(
        "entry.rescore",
        entry,
        after={
            "round_id": round_.id,
            "spread": str(max(totals.values()) - min(totals.values())),
            "added_judge_ids": added,
            "reopened_sheet_ids": reopened,
            "mailed_judge_ids": [j.id for j in judges],
            "reason": reason,
        },
        summary=reason,
        actor=by,
    )
    return Rescore(added=added, reopened=reopened, mailed=[j.id for j in judges])


# --- advancement -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advanced:
    """What `advance_entries` did: the round the entries went to, those added, those already there."""

    next_round: Round
    added: list[int]
    already: list[int]
    proposed: list[int]


def proposed_advancing(round_: Round, standings: Standings | None = None) -> list[int]:
    """The entries the round's rule sends on (`judging.advancement.select_advancing` with the round's top N per
    field and minimum score, on the normalised score when the round normalises, else the raw score)."""
    standings = standings if standings is not None else round_standings(round_)
    return select_advancing(standings.advancement_rows(), round_.advance_top_n, round_.advance_min_score)


def next_round(round_: Round) -> Round | None:
    """The contest's round that follows `round_` (the next position), if there is one."""
    return db.session.scalar(
        select(Round)
        .where(Round.contest_id == round_.contest_id, Round.position > round_.position)
        .order_by(Round.position, Round.id)
        .limit(1)
    )


def advance_entries(
    round_: Round, entry_ids: Iterable[int], reason: str, *, by, standings: Standings | None = None
) -> Advanced:
    """Send the chosen entries of the round on to the next round of the contest (by position); when there is none,
    a final round is created for them (`create_round`). Sets `round_.advanced_at`; audited "round.advance" with the
    entries added, those proposed by the rule, those chosen, and the reason.

    The choice may differ from the rule's proposal (`proposed_advancing`), but then only with a written reason
    (`reason_required`). Refused: `nothing_chosen`, `not_in_round` (an entry of another round, detail: the ids),
    `last_round` (a final round with no round after it: its entries go on to the prizes, not to another round),
    `already_advanced` (every entry chosen is in the next round already). Entries already in the next round are
    skipped, never added twice.
    """
    chosen = sorted(set(entry_ids))
    reason = (reason or "").strip()
    if not chosen:
        raise JudgingError("nothing_chosen")
    in_round = set(
        db.session.scalars(
            select(RoundEntry.entry_id).where(RoundEntry.round_id == round_.id, RoundEntry.entry_id.in_(chosen))
        )
    )
    strangers = [e for e in chosen if e not in in_round]
    if strangers:
        raise JudgingError("not_in_round", strangers)
    proposed = proposed_advancing(round_, standings)
    if set(chosen) != set(proposed) and not reason:
        raise JudgingError("reason_required")
    target = next_round(round_)
    if target is None and round_.kind == "final":
        raise JudgingError("last_round", round_.id)
    already: list[int] = []
    if target is not None:
        already = sorted(
            db.session.scalars(
                select(RoundEntry.entry_id).where(RoundEntry.round_id == target.id, RoundEntry.entry_id.in_(chosen))
            )
        )
        if len(already) == len(chosen):
            raise JudgingError("already_advanced", already)
    else:
        target = create_round(round_.contest, "final", by=by)
    added = [e for e in chosen if e not in already]
    for entry_id in added:
        db.session.add(RoundEntry(round_id=target.id, entry_id=entry_id, added_by_id=actor_id(by)))
    round_.advanced_at = utcnow()
    db.session.flush()
    record(
        "round.advance",
        round_,
        after={
            "next_round_id": target.id,
            "entry_ids": added,
            "already": already,
            "proposed": proposed,
            "chosen": chosen,
            "reason": reason,
        },
        summary=reason or str(len(added)),
        actor=by,
    )
    return Advanced(next_round=target, added=added, already=already, proposed=proposed)


# --- the proposal at scale -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSummary:
    """One field of the round against the rule's proposal: entries, entries proposed, the cut-off score (the lowest
    score proposed; None when nothing is), the entries at that score (more than one: a tie at the cut-off, which the
    rule sends on together), the entries with missing sheets and the divergent ones; `cutoff_at` is the position
    (0-based, in the field's ranking) of the last entry proposed (0 when none is)."""

    field_id: int | None
    name: str
    entries: int
    proposed: int
    cutoff: Decimal | None
    at_cutoff: int
    incomplete: int
    divergent: int
    cutoff_at: int


def field_summaries(standings: Standings, proposed: Iterable[int]) -> list[FieldSummary]:
    """A `FieldSummary` per field of `standings` (read only, never changed), in the standings' order."""
    proposed = set(proposed)
    result = []
    for group in standings.fields:
        chosen = [(i, e) for i, e in enumerate(group.entries) if e.entry_id in proposed]
        scores = [e.score for _i, e in chosen if e.score is not None]
        cutoff = min(scores) if scores else None
        result.append(
            FieldSummary(
                field_id=group.field_id,
                name=group.name,
                entries=len(group.entries),
                proposed=len(chosen),
                cutoff=cutoff,
                at_cutoff=sum(1 for e in group.entries if cutoff is not None and e.score == cutoff),
                incomplete=sum(1 for e in group.entries if e.missing),
                divergent=sum(1 for e in group.entries if e.divergent),
                cutoff_at=max((i for i, _e in chosen), default=0),
            )
        )
    return result


def read_codes(text: str | None, codes: dict[str, int]) -> tuple[list[int], list[str]]:
    """The entries listed by code in `text` (separated by spaces, commas, semicolons or lines; case ignored), as
    ``(ids in the order written, without repeats; the words that are not a code of `codes`)``. `codes` maps the
    round's entry codes, upper-cased, to the entries' ids."""
    found: list[int] = []
    unknown: list[str] = []
    for word in (text or "").replace(",", " ").replace(";", " ").split():
        entry_id = codes.get(word.upper())
        if entry_id is None:
            if word not in unknown:
                unknown.append(word)
        elif entry_id not in found:
            found.append(entry_id)
    return found, unknown


def adjusted_choice(
    proposed: Iterable[int], shown: Iterable[int], ticked: Iterable[int], added: Iterable[int], removed: Iterable[int]
) -> list[int]:
    """The entries chosen from the proposal and the organizer's adjustments: the proposal, where the entries shown
    with a checkbox count as ticked or not, plus the entries `added`, minus those `removed` (sorted ids)."""
    shown = set(shown)
    chosen = (set(proposed) - shown) | (set(ticked) & shown)
    return sorted((chosen | set(added)) - set(removed))
