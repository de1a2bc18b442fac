"""What the organizers' award pages share: audit labels, refusal messages, the records URLs name, the archive rule."""

from __future__ import annotations

import re

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.labels import register_labels
from competitions.models import Contest
from results.models import Award
from results.services import award_common, plan_edit
from results.services import awards as service
from results.services.awards import AwardError
from results.views.loaders import award_or_404, contest_or_404, exclusion_or_404

register_labels(
    {
        "award_plan.update": _l("Changed an edition's award plan"),
        "awards.generate": _l("Stored the proposed awards"),
        "award.change": _l("Changed an award"),
        "award.create": _l("Gave an award by hand"),
        "award.delete": _l("Removed an award"),
        "tie.decide": _l("Recorded the Board's decision on a tie"),
        "award_decision.create": _l("Recorded the approving decision"),
        "award_exclusion.lift": _l("Lifted the exclusion of an award removed by hand"),
    },
    {
        "award_plans": _l("Award plan"),
        "awards": _l("Award"),
        "tie_decisions": _l("Board decision on a tie"),
        "award_decisions": _l("Approving decision"),
        "award_exclusions": _l("Award removed by hand"),
    },
)

#: Why a change was refused, in words (`AwardError.code`, `Problem.code`).
ERROR_MESSAGES = {
    "round_not_in_contest": _l("Choose one of this edition's rounds."),
    "scope_invalid": _l("Not a valid choice."),
    "no_tiers": _l("The plan needs at least one tier."),
    "too_many_tiers": _l("A plan holds at most %(n)d tiers and special prizes.", n=plan_edit.MAX_TIERS),
    "name_required": _l("Please fill in this field."),
    "name_too_long": _l("At most %(max)d characters.", max=120),
    "name_taken": _l("Another tier or special prize already has this name."),
    "quota_invalid": _l("A whole number from 0 to %(n)d.", n=plan_edit.MAX_QUOTA),
    "min_score_invalid": _l("A score from 0 to %(max)s.", max=plan_edit.MAX_MIN_SCORE),
    "points_invalid": _l("A whole number from 0 to %(n)d.", n=plan_edit.MAX_POINTS),
    "rule_invalid": _l("Not a valid choice."),
    "rule_taken": _l("Another special prize already has this rule."),
    "chain_unknown": _l("Choose criteria of the ranking round's rubric."),
    "chain_repeated": _l("Each criterion may appear once in the chain."),
    "reason_required": _l("Please write the reason: it is kept with the award and in the audit log."),
    "reason_too_long": _l("At most %(max)d characters.", max=service.REASON_MAX),
    "tier_unknown": _l("Choose one of the plan's tiers."),
    "tier_not_ranked": _l("A ranked award can only move to another ranked tier."),
    "tier_unchanged": _l("The award already has this tier."),
    "special_not_changed": _l("A special prize cannot move to another tier: remove it and give another."),
    "entry_unknown": _l("No entry of this edition has this code."),
    "tier_taken": _l("The entry or unit already holds this award."),
    "entry_has_ranked_award": _l("The entry already holds a ranked award: change that one instead."),
    "person_unknown": _l("No author of this entry has this name."),
    "person_for_special_only": _l("A ranked award goes to the whole entry: leave the author empty."),
    "entry_or_unit": _l("Give either an entry code or a unit, not both."),
    "unit_for_special_only": _l("A unit can only receive a special prize: ranked tiers go to entries."),
    "unit_too_long": _l("At most %(max)d characters.", max=award_common.UNIT_MAX),
    "already_lifted": _l("This exclusion has already been lifted."),
    "tie_too_small": _l("A tie needs at least two entries."),
    "tie_repeated": _l("Give each entry its own position."),
    "tie_foreign_entry": _l("These entries are not all of this edition."),
    "number_required": _l("Please fill in this field."),
    "number_too_long": _l("At most %(max)d characters.", max=64),
    "date_required": _l("Please fill in this field."),
    "signer_required": _l("Please fill in this field."),
    "signer_too_long": _l("At most %(max)d characters.", max=120),
    "signer_title_too_long": _l("At most %(max)d characters.", max=160),
}


def error_message(code: str) -> str:
    return str(ERROR_MESSAGES.get(code, code))


def contest_scope(contest_id: int) -> Contest:
    return contest_or_404(contest_id)


def award_scope(award_id: int) -> Award:
    return award_or_404(award_id)


def exclusion_scope(exclusion_id: int):
    return exclusion_or_404(exclusion_id)


def refused_when_archived(contest: Contest, endpoint: str):
    """An archived edition is read-only: a redirect with a message, or None."""
    if contest.status != "archived":
        return None
    flash(_("This edition is archived: take it out of the archive to change it."), "warning")
    return redirect(url_for(endpoint, contest_id=contest.id))


def as_int(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def field_error(form, error: AwardError, fallback: str = "reason") -> None:
    target = getattr(form, error.field or fallback, None) or getattr(form, fallback)
    target.errors = [*target.errors, error_message(error.code)]
