"""Forms of the organizers' assignment and progress pages: saving a previewed automatic assignment, assigning a
judge by hand, reopening a score sheet with a reason; and the filters of both pages' lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField

from app.forms import Form, length, required, strip


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SavePlanForm(Form):
    """The plan previewed, named by its fingerprint: saved only if the plan recomputed is still the same."""

    fingerprint = HiddenField(validators=[required()])
    submit = SubmitField(_l("Save this assignment"))


class ManualAssignForm(Form):
    """An entry of the round (by its code, or chosen from the list) and a judge of its sub-panel."""

    entry_code = StringField(
        _l("Entry code"),
        filters=[strip],
        validators=[length(32)],
        description=_l("Type the code, or choose the entry from the list below."),
    )
    entry_id = SelectField(_l("Entry"), coerce=_int_or_none, validate_choice=False)
    judge_id = SelectField(_l("Judge"), coerce=_int_or_none, validators=[required()], validate_choice=False)
    submit = SubmitField(_l("Assign"))


class ReopenForm(Form):
    reason = TextAreaField(
        _l("Reason for reopening"),
        filters=[strip],
        validators=[required(), length(2000)],
        description=_l("The judge receives it by email."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Reopen the sheet"))


def _page(value) -> int:
    return min(max(_int_or_none(value) or 1, 1), 100000)


@dataclass(frozen=True)
class AssignmentFilters:
    """What the organizer asked the assignment page for; unknown or malformed values are ignored. `panel`: a
    sub-panel's id, "none" (entries no sub-panel judges), "all", or "" (the first sub-panel)."""

    panel: str = ""
    judge_id: int | None = None
    q: str = ""
    status: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str], statuses: tuple[str, ...] = ()) -> AssignmentFilters:
        panel = (args.get("panel") or "").strip()
        status = (args.get("status") or "").strip()
        return cls(
            panel=panel if panel in ("all", "none") or panel.isdigit() else "",
            judge_id=_int_or_none(args.get("judge")),
            q=" ".join((args.get("q") or "").split())[:100],
            status=status if status in statuses else "",
            page=_page(args.get("page")),
        )

    def to_args(self, **changes) -> dict[str, object]:
        """Query-string arguments for these filters with `changes` (only those that differ from the defaults);
        any change but of the page goes back to the first page."""
        if changes and "page" not in changes:
            changes["page"] = 1
        f = replace(self, **changes)
        args = {
            "panel": f.panel or None,
            "judge": f.judge_id,
            "q": f.q or None,
            "status": f.status or None,
            "page": f.page if f.page != 1 else None,
        }
        return {k: v for k, v in args.items() if v is not None}

    @property
    def narrowed(self) -> bool:
        """Whether anything but the sub-panel and the page narrows the list."""
        return bool(self.judge_id or self.q or self.status)
