"""A judge declares a conflict of interest on an entry assigned to them: the conflict is recorded, the assignment
removed, and the contest's organizers told by mail."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from app.accounts.services import holders
from app.mail.service import send_templated
from judging.models import Assignment, Conflict
from judging.services._common import JudgingError
from judging.services.assignments import unassign
from judging.services.conflicts import declare_conflict

#: The kinds a judge may declare, in the order the form offers them.
DECLARABLE_KINDS = ("family", "same_unit", "author", "other")


def declare_conflict_on_assignment(assignment: Assignment, kind: str, note: str, *, by) -> Conflict:
    """The judge of `assignment` declares a conflict of `kind` with its entry: the conflict is recorded
    (`declare_conflict`, source "judge"), the assignment removed with its draft sheet (`unassign`), and each
    organizer of the contest (`holders("manage_contest", contest)`) mailed in their language.

    Refused: `unknown_kind` for a kind not in `DECLARABLE_KINDS`, `reason_required` for "other" without a note,
    `sheet_submitted` once the judge's sheet is submitted (the organizers must settle it), `round_not_scoring` when
    the round is not scoring. Audited by the services it calls ("conflict.declare", "assignment.delete").
    """
    note = (note or "").strip()
    if kind not in DECLARABLE_KINDS:
        raise JudgingError("unknown_kind", kind)
    if kind == "other" and not note:
        raise JudgingError("reason_required")
    if assignment.sheet is not None and assignment.sheet.submitted:
        raise JudgingError("sheet_submitted", assignment.id)
    round_ = assignment.round
    if round_.status != "scoring":
        raise JudgingError("round_not_scoring", round_.id)
    judge, entry = assignment.judge, assignment.entry
    conflict = declare_conflict(judge, entry, kind, note, source="judge", by=by)
    unassign(assignment, by=by)
    contest = round_.contest
    link = (
        url_for("judging.conflicts", contest_id=contest.id, _external=True)
        if "judging.conflicts" in current_app.view_functions
        else None
    )
    for organizer in holders("manage_contest", contest):
        send_templated(
            organizer.email,
            organizer.locale,
            _l("Conflict of interest declared on %(code)s", code=entry.code or ""),
            "emails/judging_conflict_declared.txt",
            organizer=organizer,
            judge=judge,
            entry=entry,
            round=round_,
            contest=contest,
            kind=kind,
            note=note,
            link=link,
        )
    return conflict
