"""Forms organizers use to set judging up: a round's settings and rubric, a sub-panel, a conflict of interest
added or lifted, and the filters of the conflicts list. The rubric's rows are the edition's criterion rows
(`competitions.setup_forms`): one way to type a criterion wherever it is typed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, ValidationError

from app.fields import PercentField
from app.forms import Form, length, optional, options, strip
from app.forms import required as filled
from competitions.presets import PRESETS
from competitions.setup_forms import LIST_FORMS, STEPS, IntRange, MultiCheckboxField, VNDateTimeField, needed, upper
from judging.conflicts import CONFLICT_KINDS
from judging.labels import CONFLICT_KIND_LABELS, METHOD_LABELS
from judging.models import ROUND_METHODS


def int_or_none(value):
    """A number sent by the page (ASCII digits only; anything else is no number)."""
    text = str(value if value is not None else "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def decimal_between(low: Decimal, high: Decimal, *, low_included: bool = True):
    """A number from `low` (included or not) to `high`, to two decimals at most."""

    def check(form, field) -> None:
        if field.data is None:
            return
        above_low = field.data >= low if low_included else field.data > low
        if not (above_low and field.data <= high):
            if low_included:
                raise ValidationError(_l("A number from %(low)s to %(high)s.", low=low, high=high))
            raise ValidationError(_l("A number above %(low)s and at most %(high)s.", low=low, high=high))
        if field.data.as_tuple().exponent < -2:
            raise ValidationError(_l("At most %(n)d decimals.", n=2))

    return check


# --- A round -----------------------------------------------------------------------------------------------


class NewRoundForm(Form):
    """The button creating a round: its kind."""

    kind = HiddenField()


class RoundSettingsForm(Form):
    name = StringField(_l("Name of the round"), [filled(), length(255)], filters=[strip])
    judges_per_entry = IntegerField(
        _l("Judges per entry"),
        [needed(), IntRange(1, 20, message=_l("Between 1 and 20."))],
        description=_l("Usually 2 in the preliminary round and 3 in the final round."),
    )
    blind = BooleanField(
        _l("Blind judging"),
        description=_l("Judges see neither the authors nor their units, schools or localities."),
    )
    method = SelectField(
        _l("An entry's score"), choices=options([(m, METHOD_LABELS[m]) for m in ROUND_METHODS]), default="mean"
    )
    normalise = BooleanField(
        _l("Normalise each judge's totals"),
        description=_l("Evens out strict and lenient judges; raw and normalised scores are shown side by side."),
    )
    min_sheets = IntegerField(
        _l("Normalise judges with at least this many sheets"),
        [needed(), IntRange(2, 1000, message=_l("Between 2 and 1000."))],
    )
    divergence_threshold = PercentField(
        _l("Flag an entry when its judges' totals differ by more than"),
        [needed(), decimal_between(Decimal(0), Decimal(1000), low_included=False)],
        description=_l("Points; such entries can be sent to the whole sub-panel for re-scoring."),
    )
    advance_top_n = IntegerField(
        _l("Entries going on: the best of each field"),
        [optional(), IntRange(1, 100000, message=_l("Between 1 and 100000."))],
        description=_l("Leave empty when no number is set."),
    )
    advance_min_score = PercentField(
        _l("Entries going on: with a score of at least"),
        [optional(), decimal_between(Decimal(0), Decimal(1000))],
        description=_l("Leave empty when no minimum is set; with both, an entry must meet both."),
    )
    deadline = VNDateTimeField(
        _l("Sheets due"),
        [optional()],
        default_time=time(23, 59),
        description=_l("Vietnam time, dd/mm/yyyy hh:mm; a date alone means 23:59. Shown to judges and in reminders."),
    )
    save = SubmitField(_l("Save the settings"))


#: The rubric: rows of criteria, each typed as an edition's default criterion.
RubricForm = LIST_FORMS["criteria"]


def preset_rows(kind: str) -> list[dict]:
    """The rubric rows of a contest preset's criteria (`competitions.presets`), weight 1, scores to 0.5."""
    return [
        {"name": name, "description": description, "max_points": Decimal(points), "weight": Decimal(1), "step": "0.5"}
        for name, description, points in PRESETS[kind].criteria
    ]


def rubric_rows(criteria) -> list[dict]:
    """The rubric rows of a round's stored criteria (a step the form does not offer shows as 0.5, as on the
    edition's criteria page)."""
    rows = []
    for c in criteria:
        step = f"{Decimal(c.step).normalize():f}"
        step = step if step in STEPS else "0.5"
        rows.append(
            {
                "name": c.name,
                "description": c.description,
                "max_points": Decimal(c.max_points),
                "weight": Decimal(c.weight),
                "step": step,
            }
        )
    return rows


def blank_row(formdata: Mapping, index: int) -> bool:
    """A row added and left empty (no name, description or maximum typed) is ignored on save."""
    return not any(
        (formdata.get(f"rows-{index}-{name}") or "").strip() for name in ("name", "description", "max_points")
    )


# --- A sub-panel -------------------------------------------------------------------------------------------


class PanelForm(Form):
    name = StringField(
        _l("Name of the sub-panel"),
        [filled(), length(255)],
        filters=[strip],
        description=_l("E.g. Tiểu ban Kỹ thuật - Công nghệ."),
    )
    field_ids = MultiCheckboxField(_l("Fields it judges"), coerce=int, choices=[])
    member_ids = MultiCheckboxField(_l("Judges"), coerce=int, choices=[])
    head_id = SelectField(
        _l("Head of the sub-panel"),
        coerce=int_or_none,
        choices=[],
        validate_choice=False,
        description=_l("One of the judges chosen above."),
    )
    save = SubmitField(_l("Save the sub-panel"))

    def setup(self, fields, judges) -> None:
        self.field_ids.choices = options([(f.id, f.name) for f in fields])
        self.member_ids.choices = options([(u.id, u.full_name) for u in judges])
        self.head_id.choices = options([("", _l("— none —"))] + [(u.id, u.full_name) for u in judges])


# --- Conflicts of interest ---------------------------------------------------------------------------------


class ConflictForm(Form):
    judge_id = SelectField(_l("Judge"), coerce=int_or_none, choices=[], validate_choice=False)
    entry_code = StringField(
        _l("Entry code"),
        [filled(), length(32)],
        filters=[strip, upper],
        render_kw={"placeholder": "STKT-2026-0001", "autocapitalize": "characters"},
    )
    kind = SelectField(_l("Kind of conflict"), choices=options([(k, CONFLICT_KIND_LABELS[k]) for k in CONFLICT_KINDS]))
    note = TextAreaField(
        _l("Note"),
        [length(2000)],  # no `optional()`: it would stop `validate_note` on an empty note
        filters=[strip],
        render_kw={"rows": 2},
        description=_l("Required for the kind “Other”."),
    )
    add = SubmitField(_l("Add the conflict"))

    def setup(self, judges) -> None:
        self.judge_id.choices = options([("", _l("— choose —"))] + [(u.id, u.full_name) for u in judges])

    def validate_judge_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose the judge."))
        if field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Choose one of the judges of the contest's sub-panels."))

    def validate_note(self, field) -> None:
        if self.kind.data == "other" and not field.data:
            raise ValidationError(_l("Say what the conflict is."))


class LiftForm(Form):
    reason = TextAreaField(
        _l("Reason for lifting"),
        [DataRequired(message=_l("Give the reason for lifting this conflict.")), length(2000)],
        filters=[strip],
        render_kw={"rows": 2},
    )


STATUS_FILTERS = ("active", "lifted", "all")


@dataclass(frozen=True)
class ConflictFilters:
    """What the organizer asked the conflicts list for; unknown or malformed values are ignored."""

    status: str = "active"
    kind: str = ""
    judge_id: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ConflictFilters:
        status = (args.get("status") or "").strip()
        kind = (args.get("kind") or "").strip()
        return cls(
            status=status if status in STATUS_FILTERS else "active",
            kind=kind if kind in CONFLICT_KINDS else "",
            judge_id=int_or_none(args.get("judge")),
            page=min(int_or_none(args.get("page")) or 1, 100000),
        )

    def to_args(self, **changes) -> dict[str, object]:
        """Query-string arguments for these filters with `changes` (only those that differ from the defaults)."""
        f = replace(self, **changes)
        args = {
            "status": f.status if f.status != "active" else None,
            "kind": f.kind or None,
            "judge": f.judge_id,
            "page": f.page if f.page != 1 else None,
        }
        return {k: v for k, v in args.items() if v is not None}
