"""What a refused forward, withdrawal or setting says, in the visitor's language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.timefmt import format_datetime
from forwarding.rules import Problem

#: Problems with nothing to fill in.
SIMPLE = {
    "no_parent": _l("This edition has no parent edition to forward entries to."),
    "window_unset": _l("The parent edition has not opened forwarding yet."),
    "nothing_chosen": _l("Choose at least one entry."),
    "in_round": _l("The entry is already in a judging round of the parent edition."),
    "moved_on": _l("The entry has since been forwarded further up."),
    "entry_withdrawn": _l("The contestant has withdrawn the entry at the parent edition."),
    "already_withdrawn": _l("This forward has already been withdrawn."),
    "reason_required": _l("Please give the reason."),
    "window_order": _l("Forwarding must close after it opens."),
    "bad_quota": _l("A quota is a whole number, 0 or more."),
    "has_parent": _l("This edition forwards its entries to its parent edition, not to the national level."),
    "level_required": _l("Name the level the delegation goes to."),
    "level_too_long": _l("At most %(max)d characters.", max=120),
}

#: Problems naming the entries concerned.
WITH_CODES = {
    "not_in_child": _l("Not entries of this edition (any more): %(codes)s."),
    "already_forwarded": _l("Already forwarded: %(codes)s."),
    "not_eligible": _l("Not eligible: screen them first: %(codes)s."),
    "unmapped": _l("Their field, age group or a document type has no match in the parent edition: %(codes)s."),
}


def problem_message(problem: Problem, *, opens_at=None, closes_at=None, withdrawing: bool = False) -> str:
    """One problem in words; the window's times (naive UTC) fill in the window's problems."""
    code = problem.code
    if code == "window_not_yet":
        return _("Forwarding opens on %(when)s (Vietnam time).", when=format_datetime(opens_at))
    if code == "window_closed":
        if withdrawing:
            return _(
                "The parent edition's forwarding closed on %(when)s: the forward can no longer be withdrawn.",
                when=format_datetime(closes_at),
            )
        return _("Forwarding closed on %(when)s (Vietnam time).", when=format_datetime(closes_at))
    if code == "quota":
        if not problem.left:
            return ngettext(
                "This edition's quota of %(num)d entry is used up.",
                "This edition's quota of %(num)d entries is used up.",
                problem.quota or 0,
            )
        return ngettext(
            "Only %(num)d more entry may be forwarded (quota %(quota)d): choose fewer.",
            "Only %(num)d more entries may be forwarded (quota %(quota)d): choose fewer.",
            problem.left,
            quota=problem.quota or 0,
        )
    if code in WITH_CODES:
        return str(WITH_CODES[code]) % {"codes": ", ".join(problem.codes)}
    return str(SIMPLE.get(code, code))


def problem_messages(problems, **context) -> list[str]:
    return [problem_message(p, **context) for p in problems]
