"""Forms of the campaign pages (organizers), the nominators' dossier pages and screening. The ballot's forms are in
`honors.ballot_forms`."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from app.fields import VNDateField
from app.forms import Form, email, length, optional, options, phone, strip
from app.forms import required as filled
from competitions.setup_forms import IntRange, VNDateTimeField, needed
from honors.messages import (
    BALLOT_MODE_LABELS,
    DEGREE_LABELS,
    GENDER_LABELS,
    QUORUM_MODE_LABELS,
    TITLE_LABELS,
)
from honors.models.campaigns import ACADEMIC_TITLES, BALLOT_MODES, DEGREES, GENDERS, QUORUM_MODES


def whole(low: int, high: int):
    return IntRange(low, high, message=_l("A whole number between %(low)d and %(high)d.", low=low, high=high))


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def lines(text: str | None) -> list[str]:
    """The non-empty lines of a text area, trimmed, inner spaces collapsed."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class ActionForm(Form):
    """A button that changes something: CSRF only."""


class CampaignForm(Form):
    """A campaign's settings; `organisation_id` is only offered when the campaign is created."""

    organisation_id = SelectField(_l("Organising body"), coerce=_int_or_none, validators=[needed()])
    name = StringField(_l("Campaign name"), [filled(), length(255)], filters=[strip])
    occasion = StringField(
        _l("Year or occasion"),
        [optional(), length(255)],
        filters=[strip],
        description=_l("E.g. 2026, or Vietnam Science and Technology Day 18/5/2026."),
    )
    description = TextAreaField(_l("About the campaign"), [optional(), length(5000)], filters=[strip])
    opens_at = VNDateTimeField(_l("Nominations open"), [optional()], default_time=time(0, 0))
    closes_at = VNDateTimeField(
        _l("Nominations close"),
        [optional()],
        default_time=time(23, 59),
        description=_l("Vietnam time. A date alone closes at 23:59 that day."),
    )
    default_quota = IntegerField(
        _l("Dossiers per nominating body"),
        [optional(), whole(0, 1000)],
        description=_l("Empty: no limit. A body may be given its own quota on the bodies page."),
    )
    honor_count = IntegerField(
        _l("Number of people to honor"),
        [optional(), whole(1, 10000)],
        description=_l("Empty: everyone who passes the council's vote."),
    )
    quorum_mode = RadioField(_l("Quorum of the council"), choices=options(QUORUM_MODE_LABELS.items()), default="share")
    quorum_numerator = IntegerField(_l("Quorum: share, numerator"), [needed(), whole(1, 100)], default=2)
    quorum_denominator = IntegerField(_l("Quorum: share, denominator"), [needed(), whole(1, 100)], default=3)
    quorum_count = IntegerField(_l("Quorum: number of members"), [optional(), whole(1, 1000)])
    pass_numerator = IntegerField(_l("Pass threshold: numerator"), [needed(), whole(1, 100)], default=2)
    pass_denominator = IntegerField(
        _l("Pass threshold: denominator"),
        [needed(), whole(1, 100)],
        default=3,
        description=_l("A nominee passes with at least this share of agree votes among the members voting."),
    )
    ballot_mode = RadioField(_l("Ballot"), choices=options(BALLOT_MODE_LABELS.items()), default="secret")
    submit = SubmitField(_l("Save the campaign"))

    def validate_quorum_mode(self, field) -> None:
        if field.data not in QUORUM_MODES:
            raise ValidationError(_l("Not a valid choice."))

    def validate_ballot_mode(self, field) -> None:
        if field.data not in BALLOT_MODES:
            raise ValidationError(_l("Not a valid choice."))

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Nominations must close after they open."))

    def validate_quorum_count(self, field) -> None:
        if self.quorum_mode.data == "count" and not field.data:
            raise ValidationError(_l("Give the number of members needed for a quorum."))

    def validate_quorum_numerator(self, field) -> None:
        if field.data and self.quorum_denominator.data and field.data > self.quorum_denominator.data:
            raise ValidationError(_l("The share cannot be more than 1 (numerator at most the denominator)."))

    def validate_pass_numerator(self, field) -> None:
        if field.data and self.pass_denominator.data and field.data > self.pass_denominator.data:
            raise ValidationError(_l("The share cannot be more than 1 (numerator at most the denominator)."))


class ListsForm(Form):
    """The campaign's categories and eligibility checklist, one a line."""

    categories = TextAreaField(
        _l("Categories"), [optional(), length(5000)], description=_l("One a line, in the order to show them.")
    )
    required_items = TextAreaField(
        _l("Required eligibility conditions"),
        [optional(), length(10000)],
        description=_l("One a line. A dossier is submitted only when each is answered yes."),
    )
    optional_items = TextAreaField(
        _l("Other conditions (for information)"),
        [optional(), length(10000)],
        description=_l("One a line. Answered, but not required."),
    )
    submit = SubmitField(_l("Save the lists"))

    def _check_lines(self, field, limit: int) -> None:
        for line in lines(field.data):
            if len(line) > limit:
                raise ValidationError(_l("Each line holds at most %(max)d characters.", max=limit))

    def validate_categories(self, field) -> None:
        self._check_lines(field, 255)

    def validate_required_items(self, field) -> None:
        self._check_lines(field, 500)

    def validate_optional_items(self, field) -> None:
        self._check_lines(field, 500)


class BodyForm(Form):
    organisation_id = SelectField(_l("Member association or agency"), coerce=_int_or_none, validators=[needed()])
    quota = IntegerField(
        _l("Its own quota"), [optional(), whole(0, 1000)], description=_l("Empty: the campaign's default.")
    )
    submit = SubmitField(_l("Add the nominating body"))


class QuotaForm(Form):
    quota = IntegerField(_l("Its own quota"), [optional(), whole(0, 1000)])
    submit = SubmitField(_l("Save the quota"))


class AccountForm(Form):
    """An existing account, found by its email address."""

    email = StringField(_l("Email of the account"), [filled(), email(), length(254)], filters=[strip])
    submit = SubmitField(_l("Add"))


class ChairForm(Form):
    user_id = SelectField(_l("Chair of the council"), coerce=_int_or_none, validators=[optional()])
    submit = SubmitField(_l("Name the chair"))


class DossierForm(Form):
    """The nominee's profile and what they did; the checklist's answers come as `answer-<item id>` and
    `note-<item id>` (the items are the campaign's, see `checklist_answers`)."""

    category_id = SelectField(_l("Category"), coerce=_int_or_none, validators=[optional()])
    full_name = StringField(_l("Nominee's full name"), [filled(), length(120)], filters=[strip])
    birth_date = VNDateField(_l("Date of birth"), [optional()])
    gender = SelectField(
        _l("Gender"),
        choices=options([("", _l("Choose..."))] + [(g, GENDER_LABELS[g]) for g in GENDERS]),
        validators=[optional()],
    )
    academic_title = SelectField(_l("Academic title"), choices=options((t, TITLE_LABELS[t]) for t in ACADEMIC_TITLES))
    degree = SelectField(_l("Degree"), choices=options((d, DEGREE_LABELS[d]) for d in DEGREES))
    position = StringField(_l("Position at the unit"), [optional(), length(255)], filters=[strip])
    unit_name = StringField(_l("Unit (where the nominee works)"), [optional(), length(255)], filters=[strip])
    field = StringField(_l("Field of expertise"), [optional(), length(255)], filters=[strip])
    years_of_work = IntegerField(_l("Years of work in science and technology"), [optional(), whole(0, 70)])
    email = StringField(_l("Nominee's email (private)"), [optional(), email(), length(254)], filters=[strip])
    phone = StringField(_l("Nominee's phone (private)"), [optional(), phone, length(20)], filters=[strip])
    achievements = TextAreaField(
        _l("Achievements"), [optional(), length(20000)], filters=[strip], description=_l("One a line.")
    )
    publications = TextAreaField(
        _l("Publications"), [optional(), length(20000)], filters=[strip], description=_l("One a line.")
    )
    patents = TextAreaField(
        _l("Patents and useful solutions"), [optional(), length(20000)], filters=[strip], description=_l("One a line.")
    )
    awards = TextAreaField(
        _l("Awards and honors received"), [optional(), length(20000)], filters=[strip], description=_l("One a line.")
    )
    confirmed_by = StringField(
        _l("Achievements confirmed by"),
        [optional(), length(255)],
        filters=[strip],
        description=_l("Name and position of the person at the nominee's unit who confirmed them."),
    )
    confirmed_on = VNDateField(_l("Confirmed on"), [optional()])
    submit = SubmitField(_l("Save the dossier"))

    def validate_gender(self, field) -> None:
        if field.data and field.data not in GENDERS:
            raise ValidationError(_l("Not a valid choice."))


def checklist_answers(formdata, items) -> dict[int, tuple[bool | None, str]]:
    """The answers a dossier form sent for each checklist item: True (yes), False (no) or None, and a note."""
    answers = {}
    for item in items:
        raw = formdata.get(f"answer-{item.id}", "")
        answer = True if raw == "yes" else False if raw == "no" else None
        answers[item.id] = (answer, " ".join((formdata.get(f"note-{item.id}") or "").split())[:500])
    return answers


class UploadForm(Form):
    file = FileField(_l("Evidence file"))
    label = StringField(
        _l("What the file shows"), [optional(), length(255)], filters=[strip],
        description=_l("E.g. award decision, patent certificate, confirmation by the unit."),
    )  # fmt: skip
    submit = SubmitField(_l("Upload"))


class WithdrawForm(Form):
    reason = TextAreaField(_l("Why the dossier is withdrawn"), [filled(), length(2000)], filters=[strip])
    submit = SubmitField(_l("Withdraw the dossier"))


class ScreenForm(Form):
    decision = RadioField(
        _l("Finding"),
        choices=options([("eligible", _l("Eligible: goes to the council")), ("ineligible", _l("Not eligible"))]),
        validators=[filled()],
    )
    reason = TextAreaField(
        _l("Reason"),
        [length(2000)],
        filters=[strip],
        description=_l("Required when the dossier is not eligible; sent to the nominating body."),
    )
    submit = SubmitField(_l("Record the finding"))

    def validate_reason(self, field) -> None:
        if self.decision.data == "ineligible" and not field.data:
            raise ValidationError(_l("Please give the reason the dossier is not eligible."))


class FilterForm(Form):
    """The dossiers list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[optional()])
    body_id = SelectField(_l("Nominating body"), coerce=_int_or_none, validators=[optional()])
    category_id = SelectField(_l("Category"), coerce=_int_or_none, validators=[optional()])
    q = StringField(_l("Search"), [optional(), length(100)], filters=[strip])
