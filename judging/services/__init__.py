"""State changes of judging: rounds and rubrics, sub-panels, conflicts of interest, assignment of judges,
score sheets; one module each, their public functions re-exported here (`from judging import services`).

Each records the audit log; the caller (a view) commits once — except `submit_sheet_once`, which commits itself
so that two simultaneous submissions of one sheet store one result. Refusals raise `JudgingError` (a `ValueError`)
whose `code` says why, for the view to word (see `ERROR_CODES`).
"""

from judging.services._common import (
    ASSIGNMENT_FIELDS,
    CONFLICT_FIELDS,
    CRITERION_FIELDS,
    ERROR_CODES,
    JUDGES_PER_ENTRY,
    NO_PANEL,
    PANEL_FIELDS,
    ROUND_FIELDS,
    ROUND_NAMES,
    JudgingError,
)
from judging.services.advancement import advance_entries, next_round, proposed_advancing, request_rescore
from judging.services.assignments import assign_manually, plan_assignment, save_assignment, unassign
from judging.services.conflicts import active_conflicts, declare_conflict, detect_conflicts, lift_conflict
from judging.services.declarations import DECLARABLE_KINDS, declare_conflict_on_assignment
from judging.services.panels import contest_panels, save_panel
from judging.services.progress import (
    missing_by_judge,
    remind_judges,
    reopen_and_notify,
    round_progress,
    sheet_history,
)
from judging.services.rounds import (
    ROUND_SETTINGS,
    ROUND_TRANSITIONS,
    add_eligible_entries,
    change_round_status,
    create_round,
    replace_rubric,
    round_entry_count,
    round_status_problems,
    rubric_editable,
    update_round,
)
from judging.services.sheets import (
    SHEET_FIELDS,
    reopen_sheet,
    save_sheet,
    score_problems,
    sheet_for,
    submit_sheet,
    submit_sheet_once,
)
from judging.services.standings import Standings, round_standings

__all__ = [
    "ASSIGNMENT_FIELDS",
    "CONFLICT_FIELDS",
    "CRITERION_FIELDS",
    "DECLARABLE_KINDS",
    "ERROR_CODES",
    "JUDGES_PER_ENTRY",
    "NO_PANEL",
    "PANEL_FIELDS",
    "ROUND_FIELDS",
    "ROUND_NAMES",
    "ROUND_SETTINGS",
    "ROUND_TRANSITIONS",
    "SHEET_FIELDS",
    "JudgingError",
    "Standings",
    "active_conflicts",
    "add_eligible_entries",
    "advance_entries",
    "assign_manually",
    "change_round_status",
    "contest_panels",
    "create_round",
    "declare_conflict",
    "declare_conflict_on_assignment",
    "detect_conflicts",
    "lift_conflict",
    "missing_by_judge",
    "next_round",
    "plan_assignment",
    "proposed_advancing",
    "remind_judges",
    "reopen_and_notify",
    "reopen_sheet",
    "replace_rubric",
    "request_rescore",
    "round_entry_count",
    "round_progress",
    "round_standings",
    "round_status_problems",
    "rubric_editable",
    "save_assignment",
    "save_panel",
    "save_sheet",
    "score_problems",
    "sheet_for",
    "sheet_history",
    "submit_sheet",
    "submit_sheet_once",
    "unassign",
    "update_round",
]
