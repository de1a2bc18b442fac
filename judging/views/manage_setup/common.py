"""What the set-up pages share: the records `require` checks, the archived edition's refusal."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from competitions.models import Contest
from judging.models import Panel, Round
from judging.views.loaders import contest_or_404, round_or_404


def contest_scope(contest_id: int) -> Contest:
    return contest_or_404(contest_id)


def round_scope(round_id: int) -> Round:
    return round_or_404(round_id)


def refused_archived(contest: Contest) -> bool:
    """An archived edition is read-only: say so (the caller redirects)."""
    if contest.status != "archived":
        return False
    flash(_("This edition is archived: take it out of the archive to change it."), "warning")
    return True


def uncovered_fields(contest: Contest, panels: list[Panel]) -> list:
    covered = {f for p in panels for f in p.field_ids}
    return [f for f in contest.fields if f.id not in covered]
