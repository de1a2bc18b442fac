"""What the award services share: why a change was refused (`AwardError` and its codes), the written reason every
change by hand needs, and an award's state as the audit log keeps it. Re-exported by `results.services.awards`."""

from __future__ import annotations

from app.audit.service import snapshot
from results.models import Award

REASON_MAX = 2000
#: The longest unit name (as `Entry.unit_name` holds it).
UNIT_MAX = 255

#: Why a change was refused (`AwardError.code`; the plan's problems are in `plan_edit.ERROR_CODES`).
ERROR_CODES = (
    # awards
    "reason_required",  # a change, a gift, a removal or a Board decision needs a written reason
    "reason_too_long",  # at most REASON_MAX characters
    "tier_unknown",  # not a tier of the plan
    "tier_not_ranked",  # a ranked award can only move to a ranked tier
    "tier_unchanged",  # the award already has this tier
    "special_not_changed",  # a special prize is not moved to another tier: remove it and give another
    "entry_unknown",  # no entry of this edition has this code
    "tier_taken",  # the entry (or unit) already holds this award
    "entry_has_ranked_award",  # the entry already holds a ranked award: change that one instead
    "person_unknown",  # no author of the entry has this name (or several have)
    "person_for_special_only",  # a ranked award goes to the whole entry, not to one author
    "entry_or_unit",  # an award goes to an entry or to a unit: not both, not neither
    "unit_for_special_only",  # a unit holds special prizes only; ranked tiers go to entries
    "unit_too_long",  # at most UNIT_MAX characters
    # exclusions of awards removed by hand
    "already_lifted",  # the exclusion was lifted already (perhaps by someone else a moment ago)
    # Board decisions on ties
    "tie_too_small",  # a tie needs at least two entries
    "tie_repeated",  # an entry twice in the order
    "tie_foreign_entry",  # an entry of another edition
    # the approving decision
    "number_required",
    "number_too_long",
    "date_required",
    "signer_required",
    "signer_too_long",
    "signer_title_too_long",
)

AWARD_FIELDS = (
    "contest_id",
    "entry_id",
    "unit_name",
    "tier_code",
    "tier_name",
    "special",
    "rank",
    "score",
    "source",
    "reason",
)


class AwardError(Exception):
    """A change was refused; `code` is one of `ERROR_CODES`, `field` the form field it is about (if any)."""

    def __init__(self, code: str, field: str | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown award error {code!r}")
        super().__init__(code)
        self.code = code
        self.field = field


def actor_id(by) -> int | None:
    return getattr(by, "id", None)


def written_reason(text: str | None) -> str:
    """The reason, stripped; refused when empty or too long."""
    reason = (text or "").strip()
    if not reason:
        raise AwardError("reason_required", "reason")
    if len(reason) > REASON_MAX:
        raise AwardError("reason_too_long", "reason")
    return reason


def unit_name(text: str | None) -> str:
    """A unit's name as awards hold it: white space collapsed (the rule counts entries' `unit_name` as is)."""
    return " ".join((text or "").split())


def award_state(award: Award) -> dict:
    return snapshot(award, AWARD_FIELDS) | {"person_id": award.person_id}
