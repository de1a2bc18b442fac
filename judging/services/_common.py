"""What the judging services share: the refusal error and its codes, audit field lists, small helpers."""

from __future__ import annotations

ROUND_FIELDS = (
    "contest_id",
    "kind",
    "name",
    "position",
    "judges_per_entry",
    "blind",
    "method",
    "normalise",
    "min_sheets",
    "divergence_threshold",
    "advance_top_n",
    "advance_min_score",
    "status",
)
CRITERION_FIELDS = ("name", "description", "max_points", "weight", "step", "position")
PANEL_FIELDS = ("contest_id", "name", "head_id", "field_ids", "member_ids")
CONFLICT_FIELDS = ("contest_id", "judge_id", "entry_id", "kind", "note", "source", "lifted_at", "lift_reason")
ASSIGNMENT_FIELDS = ("round_id", "entry_id", "judge_id", "source")

ROUND_NAMES = {"preliminary": "Vòng sơ khảo", "final": "Vòng chung khảo"}
JUDGES_PER_ENTRY = {"preliminary": 2, "final": 3}

#: Why a judging change was refused (`JudgingError.code`).
ERROR_CODES = (
    "unknown_kind",  # a round kind, conflict kind or source not known
    "rubric_locked",  # a score exists for one of the round's criteria
    "empty_rubric",  # a rubric needs at least one criterion
    "bad_criterion",  # a criterion without a name, or with a non-positive maximum or step, a negative weight
    "bad_setting",  # a round setting out of its range (detail: the setting's name)
    "round_started",  # judges per entry and blind judging are fixed once the round is opened (detail: the setting)
    "bad_transition",  # a round status step that does not exist from the round's status
    "no_entries",  # a round is opened for scoring with at least one entry
    "missing_name",  # a panel needs a name
    "unknown_field",  # a field of another contest
    "field_taken",  # a field already judged by another panel of the contest
    "unknown_user",  # no such account
    "not_a_judge",  # the account holds no judge role for the contest
    "member_taken",  # the judge already sits on another panel of the contest
    "head_not_member",  # the head of a panel must be one of its members
    "missing_reason",  # lifting a conflict needs a reason
    "already_lifted",  # the conflict was lifted already
    "not_in_round",  # the entry does not take part in the round
    "no_panel",  # the entry's field is judged by no panel
    "not_on_panel",  # the judge is not on the panel of the entry's field
    "conflict",  # an active conflict of interest between the judge and the entry
    "already_assigned",  # the judge already has the entry in the round
    "sheet_submitted",  # the judge has submitted their score sheet
    "sheet_locked",  # the score sheet is submitted: reopen it first
    "sheet_incomplete",  # a criterion has no valid score: the sheet cannot be submitted
    "sheet_not_submitted",  # only a submitted sheet can be reopened
    "reason_required",  # reopening a sheet needs a written reason
    "round_not_scoring",  # sheets are saved and submitted only while their round is scoring
    "not_divergent",  # re-scoring is for an entry whose judges' totals are more than the threshold apart
    "nothing_chosen",  # advancing needs at least one entry
    "already_advanced",  # every entry chosen is in the next round already
    "last_round",  # a final round with no round after it: its entries go on to the prizes
)

#: `assignment.Unmet.reason` for an entry whose field no panel judges (added here, around the pure module).
NO_PANEL = "no_panel"


class JudgingError(ValueError):
    """A judging change the rules do not allow; `code` is one of `ERROR_CODES`, `detail` what it is about."""

    def __init__(self, code: str, detail: object = None) -> None:
        super().__init__(code if detail is None else f"{code}: {detail}")
        self.code = code
        self.detail = detail


def actor_id(user) -> int | None:
    return getattr(user, "id", None)
