"""Forms organizers use to set up a contest edition: a new edition from a preset, its settings, and its lists
(fields, age groups, required documents, default criteria) edited as rows that grow, shrink and move."""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import PercentField, VNDateField
from app.forms import Form, SubForm, length, optional, options, strip
from app.forms import required as filled
from app.timefmt import DATE_FORMAT, DATETIME_FORMAT
from app.uploads import GROUPS
from competitions.labels import GROUP_LABELS, KIND_LABELS, LEVEL_LABELS
from competitions.models import CONTEST_KINDS, CONTEST_LEVELS

#: Years a registration date may fall in (stored in UTC, the conversion needs room on both sides).
MIN_YEAR, MAX_YEAR = 2000, 2100

#: Steps a judge's score may move by.
STEPS = ("0.25", "0.5", "1")


def needed():
    """Required, 0 included (`required()` refuses 0, which is a valid number of guiding teachers)."""
    return InputRequired(message=_l("Please fill in this field."))


class IntRange:
    """A whole number between `low` and `high` (WTForms' NumberRange fails on numbers too large for a float)."""

    def __init__(self, low: int, high: int, message):
        self.low, self.high, self.message = low, high, message
        self.field_flags = {"min": low, "max": high}

    def __call__(self, form, field) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class VNDateTimeField(StringField):
    """A date and time typed as dd/mm/yyyy hh:mm in Vietnam's time (the view stores it in UTC); the date alone
    means `default_time` that day. `data` is a naive local datetime; shown back as typed when wrong."""

    _PATTERN = re.compile(r"^\s*(\S+)(?:\s+(\d{1,2})[:hH.](\d{2}))?\s*$")

    def __init__(self, label=None, validators=None, default_time: time = time(0, 0), **kwargs):
        kwargs.setdefault("render_kw", {}).update({"placeholder": "dd/mm/yyyy hh:mm"})
        super().__init__(label, validators, **kwargs)
        self.default_time = default_time

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(DATETIME_FORMAT) if isinstance(self.data, datetime) else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").replace("T", " ").strip()
        if not text:
            self.data = None
            return
        match = self._PATTERN.match(text)
        try:
            if match is None:
                raise ValueError(text)
            day = None
            for fmt in (DATE_FORMAT, "%Y-%m-%d"):
                try:
                    day = datetime.strptime(match.group(1), fmt).date()
                    break
                except ValueError:
                    continue
            if day is None:
                raise ValueError(text)
            at = time(int(match.group(2)), int(match.group(3))) if match.group(2) else self.default_time
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise ValueError(text)
            self.data = datetime.combine(day, at)
        except ValueError:
            self.data = None
            message = _l("Please enter a date and time as dd/mm/yyyy hh:mm, e.g. 31/12/2026 17:00.")
            raise ValueError(str(message)) from None


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (the templates render each choice with its label)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Not a valid choice."))


# --- A new edition ---------------------------------------------------------------------------------------


class NewContestForm(Form):
    kind = RadioField(
        _l("Contest"),
        [needed()],
        choices=options([(k, KIND_LABELS[k]) for k in CONTEST_KINDS]),
        description=_l("The new edition starts with the fields, criteria and documents of this contest."),
    )
    organisation_id = SelectField(_l("Organising body"), coerce=_int_or_none, choices=[], validate_choice=False)
    year = IntegerField(_l("Year"), [needed(), IntRange(2000, 2100, message=_l("A year between 2000 and 2100."))])
    number = IntegerField(
        _l("Edition number"),
        [optional(), IntRange(1, 999, message=_l("A number between 1 and 999."))],
        description=_l("E.g. 10 for the 10th contest; leave empty if the contest is not numbered."),
    )
    name = StringField(
        _l("Name"),
        [optional(), length(255)],
        filters=[strip],
        description=_l("Leave empty to use the contest's name and the year."),
    )
    create = SubmitField(_l("Create the edition"))

    def setup(self, organisations) -> None:
        self.organisation_id.choices = options([("", _l("— choose —"))] + [(o.id, o.name) for o in organisations])

    def validate_organisation_id(self, field) -> None:
        allowed = {c.value for c in field.choices if c.value != ""}
        if field.data is None:
            raise ValidationError(_l("Choose the organising body."))
        if field.data not in allowed:
            raise ValidationError(_l("Choose one of the bodies you organise contests for."))


# --- The settings of an edition --------------------------------------------------------------------------


class SettingsForm(Form):
    name = StringField(_l("Name"), [filled(), length(255)], filters=[strip])
    number = IntegerField(
        _l("Edition number"), [optional(), IntRange(1, 999, message=_l("A number between 1 and 999."))]
    )
    year = IntegerField(_l("Year"), [needed(), IntRange(2000, 2100, message=_l("A year between 2000 and 2100."))])
    level = SelectField(_l("Level"), choices=options([(k, LEVEL_LABELS[k]) for k in CONTEST_LEVELS]))
    code_prefix = StringField(
        _l("Entry code prefix"),
        [
            filled(),
            Regexp(r"^[A-Z0-9]{2,10}$", message=_l("2 to 10 letters A to Z or digits, without spaces or accents.")),
        ],
        filters=[upper],
        description=_l("Entry codes read PREFIX-YEAR-NUMBER, e.g. STKT-2026-0001."),
    )
    description = TextAreaField(_l("Description"), [optional(), length(5000)], filters=[strip], render_kw={"rows": 4})
    period_start = VNDateField(_l("Contest period from"), [optional()])
    period_end = VNDateField(_l("Contest period to"), [optional()])
    registration_opens_at = VNDateTimeField(
        _l("Registration opens"),
        [optional()],
        description=_l("Vietnam time, dd/mm/yyyy hh:mm; a date alone means 00:00."),
    )
    registration_closes_at = VNDateTimeField(
        _l("Registration closes"),
        [optional()],
        default_time=time(23, 59),
        description=_l("Vietnam time, dd/mm/yyyy hh:mm; a date alone means 23:59."),
    )
    lookback_date = VNDateField(
        _l("Solutions created or applied from"),
        [optional()],
        description=_l("Solutions must have been created or first applied on this date or later."),
    )
    birth_from = VNDateField(_l("Authors born from"), [optional()])
    birth_to = VNDateField(
        _l("Authors born until"),
        [optional()],
        description=_l("The birth-date window that stands for the ages allowed, e.g. 31/07/2008 to 31/07/2020."),
    )
    max_authors = IntegerField(
        _l("Authors per entry, at most"), [needed(), IntRange(1, 50, message=_l("Between 1 and 50."))]
    )
    max_teachers = IntegerField(
        _l("Guiding teachers per entry, at most"), [needed(), IntRange(0, 10, message=_l("Between 0 and 10."))]
    )
    save = SubmitField(_l("Save the settings"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        checks = (
            (
                self.registration_opens_at,
                self.registration_closes_at,
                _l("Registration must close after it opens."),
                False,
            ),
            (self.period_start, self.period_end, _l("The period must end after it starts."), False),
            (self.birth_from, self.birth_to, _l("This date must not be before the first birth date."), True),
        )
        for first, last, message, same_allowed in checks:
            if first.data is None or last.data is None or first.errors or last.errors:
                continue
            if last.data < first.data or (last.data == first.data and not same_allowed):
                last.errors.append(message)
                valid = False
        return valid


# --- The lists of an edition: one form, one row per item -------------------------------------------------


class FieldRow(SubForm):
    id = HiddenField()
    code = StringField(_l("Code"), [optional(), length(16)], filters=[strip])
    name = StringField(_l("Name of the field"), [filled(), length(255)], filters=[strip])
    description = TextAreaField(_l("Description"), [optional(), length(2000)], filters=[strip], render_kw={"rows": 2})


class AgeGroupRow(SubForm):
    id = HiddenField()
    name = StringField(
        _l("Name of the age group"),
        [filled(), length(120)],
        filters=[strip],
        description=_l("E.g. Nhi đồng (tiểu học)."),
    )


class DocumentRow(SubForm):
    id = HiddenField()
    name = StringField(_l("Name of the document"), [filled(), length(255)], filters=[strip])
    description = TextAreaField(_l("Description"), [optional(), length(2000)], filters=[strip], render_kw={"rows": 2})
    required = BooleanField(_l("Required"))
    accepted = MultiCheckboxField(_l("Accepted files"), choices=options([(g, GROUP_LABELS.get(g, g)) for g in GROUPS]))
    max_mb = IntegerField(_l("Size limit (MB)"), [needed(), IntRange(1, 500, message=_l("Between 1 and 500 MB."))])

    def validate_accepted(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one kind of file."))


def _decimal_rule(low: Decimal, high: Decimal, places: int):
    def check(form, field) -> None:
        if field.data is None:
            return
        if not (low < field.data <= high):
            raise ValidationError(_l("A number above %(low)s and at most %(high)s.", low=low, high=high))
        if field.data.as_tuple().exponent < -places:
            raise ValidationError(_l("At most %(n)d decimals.", n=places))

    return check


class CriterionRow(SubForm):
    id = HiddenField()
    name = StringField(_l("Name of the criterion"), [filled(), length(255)], filters=[strip])
    description = TextAreaField(_l("Description"), [optional(), length(2000)], filters=[strip], render_kw={"rows": 2})
    max_points = PercentField(_l("Maximum points"), [needed(), _decimal_rule(Decimal(0), Decimal(1000), 2)])
    weight = PercentField(
        _l("Weight"),
        [needed(), _decimal_rule(Decimal(0), Decimal(100), 3)],
        default=Decimal(1),
        description=_l("1 unless this criterion counts more (or less) than its points."),
    )
    step = SelectField(
        _l("Scores given to"),
        choices=options([(s, s.replace(".", ",")) for s in STEPS]),
        default="0.5",
    )

    def validate_max_points(self, field) -> None:
        step = Decimal(self.step.data) if self.step.data in STEPS else None
        if field.data is None or step is None or not (0 < field.data <= 1000):
            return  # the range is checked (and said) by the field's own rule
        if field.data % step:
            raise ValidationError(_l("The maximum must be a multiple of the step (%(step)s).", step=self.step.data))


class ListForm(Form):
    """The rows of one list; which button was pressed comes in the request's "action" value."""

    @classmethod
    def for_rows(cls, row_form: type[SubForm]) -> type[ListForm]:
        class RowsForm(cls):
            rows = FieldList(FormField(row_form), min_entries=0)

        return RowsForm


ROW_FORMS = {"fields": FieldRow, "age_groups": AgeGroupRow, "document_types": DocumentRow, "criteria": CriterionRow}
LIST_FORMS = {relation: ListForm.for_rows(row) for relation, row in ROW_FORMS.items()}


class StatusForm(Form):
    """A status button: the status to move to, with the CSRF token."""

    status = HiddenField()


class InheritForm(Form):
    """A child edition's "follow the parent again" button: the rule (one of `services.INHERITABLE_RULES`)."""

    rule = HiddenField(validators=[InputRequired()])
