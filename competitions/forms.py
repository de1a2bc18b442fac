"""Forms of the contests package: the entry form (authors and teachers as lists), documents, screening."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired

from app.fields import PercentField, VNDateField
from app.forms import Form, SubForm, email, length, optional, options, phone, strip
from competitions.models import GENDERS

GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other")}


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "", "0") else None
    except (TypeError, ValueError):
        return None


class PersonForm(SubForm):
    """One author (or, without share, a guiding teacher). A subform: CSRF is the parent form's."""

    full_name = StringField(_l("Full name"), [optional(), length(120)], filters=[strip])
    birth_date = VNDateField(_l("Birth date"), [optional()])
    gender = SelectField(_l("Gender"), choices=[], validate_choice=False)
    id_number = StringField(
        _l("ID number"),
        [optional(), length(20)],
        filters=[strip],
        description=_l("Citizen identity card number (CCCD)."),
    )
    unit = StringField(_l("Unit or school"), [optional(), length(255)], filters=[strip])
    address = StringField(_l("Address"), [optional(), length(255)], filters=[strip])
    admin_unit_id = SelectField(_l("District / commune"), coerce=_int_or_none, choices=[], validate_choice=False)
    phone = StringField(_l("Phone"), [optional(), phone, length(20)], filters=[strip])
    email = StringField(_l("Email"), [optional(), email(), length(254)], filters=[strip])
    share = PercentField(_l("Share (%)"), [optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gender.choices = options([("", "—")] + [(g, GENDER_LABELS[g]) for g in GENDERS])


class EntryForm(Form):
    title = StringField(_l("Title of the entry"), [optional(), length(300)], filters=[strip])
    field_id = SelectField(_l("Field"), coerce=_int_or_none, choices=[], validate_choice=False)
    age_group_id = SelectField(_l("Age group"), coerce=_int_or_none, choices=[], validate_choice=False)
    summary = TextAreaField(
        _l("Summary"),
        [optional(), length(5000)],
        filters=[strip],
        render_kw={"rows": 5},
        description=_l("What the solution is, what problem it solves and how."),
    )
    created_on = VNDateField(_l("Created on"), [optional()])
    applied_on = VNDateField(_l("First applied on"), [optional()])
    entering_organisation = StringField(
        _l("Entering organisation"),
        [optional(), length(255)],
        filters=[strip],
        description=_l("The organisation that invested in the solution, if any; its creators are still the authors."),
    )
    authors = FieldList(FormField(PersonForm), min_entries=1)
    lead = RadioField(_l("Lead author"), choices=[], validate_choice=False, default="0")
    teachers = FieldList(FormField(PersonForm), min_entries=0)
    #: Which list button was pressed ("add-author", "remove-author-2", ...): sent by the buttons, never rendered.
    action = StringField()
    save = SubmitField(_l("Save draft"))
    save_submit = SubmitField(_l("Save and submit"))

    def setup(self, contest, units) -> None:
        """Choices from the edition: its fields, age groups and the administrative units valid today."""
        self.field_id.choices = options(
            [("", _l("— choose —"))] + [(f.id, f"{f.code}. {f.name}") for f in contest.fields]
        )
        self.age_group_id.choices = options([("", _l("— choose —"))] + [(a.id, a.name) for a in contest.age_groups])
        unit_choices = options([("", "—")] + [(u.id, u.label) for u in units])
        for person in [*self.authors, *self.teachers]:
            person.form.admin_unit_id.choices = unit_choices
        self.lead.choices = options([(str(i), str(i + 1)) for i in range(len(self.authors))])


class DocumentForm(Form):
    document_type_id = HiddenField(validators=[InputRequired()])
    file = FileField(_l("File"))
    upload = SubmitField(_l("Upload"))


class ActionForm(Form):
    """A button whose form carries only the CSRF token (submit, withdraw, delete)."""

    confirm = SubmitField(_l("Confirm"))
