"""What each refusal of a judging service (`JudgingError.code`, see `judging.services.ERROR_CODES`) and each
score problem (`judging.aggregation.score_problem`) says on screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.templating import decimal_text
from judging.services import JudgingError

ERROR_MESSAGES = {
    "unknown_kind": _l("This choice is not known."),
    "rubric_locked": _l("Scores exist for this round: its rubric can no longer be changed."),
    "empty_rubric": _l("A rubric needs at least one criterion."),
    "bad_criterion": _l("Each criterion needs a name, a maximum and a step above zero, and a weight of zero or more."),
    "bad_setting": _l("This value is outside what the round allows."),
    "round_started": _l(
        "The round has been opened for scoring: judges per entry and blind judging can no longer change."
    ),
    "bad_transition": _l("This status change is not possible from the round's current status."),
    "no_entries": _l("Add the round's entries first."),
    "missing_name": _l("Give the sub-panel a name."),
    "unknown_field": _l("This field does not belong to the contest."),
    "field_taken": _l("A field chosen is already judged by another sub-panel."),
    "unknown_user": _l("This account does not exist."),
    "not_a_judge": _l("A member chosen does not hold the judge role for this contest."),
    "member_taken": _l("A judge chosen already sits on another sub-panel of this contest."),
    "head_not_member": _l("The head of the sub-panel must be one of its members."),
    "missing_reason": _l("Give the reason for lifting this conflict."),
    "already_lifted": _l("This conflict was lifted already."),
    "not_in_round": _l("This entry does not take part in the round."),
    "no_panel": _l("No sub-panel judges this entry's field."),
    "not_on_panel": _l("This judge does not sit on the sub-panel of the entry's field."),
    "conflict": _l("This judge has a conflict of interest with the entry."),
    "already_assigned": _l("This judge already has the entry in this round."),
    "sheet_submitted": _l("The judge has submitted a score sheet for this entry."),
    "sheet_locked": _l("This score sheet is submitted and locked; the organizers can reopen it."),
    "sheet_incomplete": _l("Score every criterion before submitting."),
    "sheet_not_submitted": _l("Only a submitted score sheet can be reopened."),
    "reason_required": _l("Give the reason."),
    "round_not_scoring": _l("This round is not open for scoring: score sheets cannot be changed now."),
    "not_divergent": _l("The judges' submitted totals for this entry are not more than the round's threshold apart."),
    "nothing_chosen": _l("Choose at least one entry."),
    "already_advanced": _l("Every entry chosen is in the next round already."),
    "last_round": _l("This is the last round: its entries go on to the prizes, not to another round."),
}

SCORE_PROBLEMS = {
    "missing": _l("Give a score."),
    "negative": _l("A score cannot be negative."),
    "above_max": _l("At most %(max)s points."),
    "off_step": _l("Scores go in steps of %(step)s."),
    "unknown_criterion": _l("This criterion is not on the round's rubric."),
}


def error_message(error: JudgingError) -> str:
    """The refusal in the visitor's language (its code when no message is known)."""
    text = ERROR_MESSAGES.get(error.code)
    return str(text) if text is not None else error.code


def score_message(problem: str, *, max_points=None, step=None) -> str:
    """A score problem as said beside the field, with the criterion's maximum and step where they matter."""
    text = SCORE_PROBLEMS.get(problem)
    if text is None:
        return problem
    params = {"max": decimal_text(max_points), "step": decimal_text(step)}
    return str(text) % params if "%(" in str(text) else str(text)
