"""Forms of the events pages (labels in English through `_l`, shown in Vietnamese)."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import NumberRange, ValidationError

from app.fields import VNDateField
from app.forms import Form, email, length, optional, options, phone, required, strip
from competitions.setup_forms import VNDateTimeField
from events.models.events import EVENT_KINDS, EVENT_STATUSES, INVITEE_ROLES, QUESTION_KINDS

KIND_LABELS = {
    "award_ceremony": _l("Award ceremony"),
    "exhibition": _l("Exhibition"),
    "final_presentation": _l("Final-round presentation"),
    "dialogue": _l("Meeting and dialogue with intellectuals"),
    "other": _l("Other event"),
}
EVENT_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "cancelled": _l("Cancelled")}
ROLE_LABELS = {
    "author": _l("Author"),
    "finalist": _l("Finalist"),
    "winner": _l("Award winner"),
    "judge": _l("Judge"),
    "council_member": _l("Council member"),
    "honoree": _l("Honoree"),
    "nominee": _l("Nominee"),
    "guest": _l("Guest"),
    "registrant": _l("Registered participant"),
    "staff": _l("Organising staff"),
}
INVITEE_STATUS_LABELS = {
    "invited": _l("Invited"),
    "registered": _l("Registered"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}
SOURCE_LABELS = {
    "contest": _l("From a contest"),
    "campaign": _l("From a campaign"),
    "judges": _l("Judges"),
    "import": _l("Guest list"),
    "self_registration": _l("Self-registration"),
    "manual": _l("Added by hand"),
}
QUESTION_KIND_LABELS = {"question": _l("Question"), "proposal": _l("Proposal (hiến kế)")}
QUESTION_STATUS_LABELS = {
    "new": _l("Awaiting routing"),
    "routed": _l("Sent to a department"),
    "answered": _l("Answered"),
    "withdrawn": _l("Withdrawn"),
}
GROUP_LABELS = {
    "authors": _l("Authors of all entries"),
    "finalists": _l("Authors of the finalist entries"),
    "winners": _l("Authors of the award-winning entries"),
    "judges": _l("Judges of the contest"),
    "nominees": _l("Nominees"),
    "honorees": _l("Honorees"),
    "council": _l("Council members"),
}


def _choices(values, labels):
    return options((v, labels[v]) for v in values)


class EventForm(Form):
    organisation_id = SelectField(_l("Organising body"), coerce=int, validators=[required()])
    kind = SelectField(_l("Type of event"), choices=_choices(EVENT_KINDS, KIND_LABELS))
    title = StringField(_l("Name of the event"), filters=[strip], validators=[required(), length(255)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[length(5000)], render_kw={"rows": 4})
    starts_at = VNDateTimeField(_l("Starts at"), validators=[required()], default_time=time(8, 0))
    ends_at = VNDateTimeField(_l("Ends at"), default_time=time(17, 0))
    venue = StringField(_l("Venue"), filters=[strip], validators=[length(255)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[optional(), NumberRange(min=1, max=100000, message=_l("Between 1 and 100000 places."))],
        description=_l("Places for invitees and registrants; leave empty for no limit."),
    )
    contest_id = SelectField(_l("Contest"), coerce=int, default=0)
    campaign_id = SelectField(_l("Honoring campaign"), coerce=int, default=0)
    is_public = BooleanField(
        _l("Open to public registration"),
        description=_l("Anyone may register on the event's page, up to the capacity, then on a waiting list."),
    )
    registration_opens_at = VNDateTimeField(_l("Registration opens"))
    registration_closes_at = VNDateTimeField(
        _l("Registration closes"), description=_l("Empty: registration closes when the event starts.")
    )
    status = SelectField(_l("Status"), choices=_choices(EVENT_STATUSES, EVENT_STATUS_LABELS))
    save = SubmitField(_l("Save"))

    def setup(self, organisations, contests, campaigns) -> None:
        self.organisation_id.choices = options((o.id, o.name) for o in organisations)
        self.contest_id.choices = options([(0, _l("None"))] + [(c.id, c.name) for c in contests])
        self.campaign_id.choices = options([(0, _l("None"))] + [(c.id, c.name) for c in campaigns])

    def validate_ends_at(self, field) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must come after the start."))

    def validate_registration_closes_at(self, field) -> None:
        opens = self.registration_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))


class StaffForm(Form):
    email = StringField(
        _l("Account email"),
        filters=[strip],
        validators=[required(), email(), length(254)],
        description=_l("The account gets the check-in capability for this event only."),
    )
    add = SubmitField(_l("Add check-in staff"))


class PersonFields:
    full_name = StringField(_l("Full name"), filters=[strip], validators=[required(), length(120)])
    email = StringField(_l("Email"), filters=[strip], validators=[optional(), email(), length(254)])
    phone = StringField(_l("Phone"), filters=[strip], validators=[optional(), phone, length(20)])
    unit = StringField(_l("Unit"), filters=[strip], validators=[length(255)])
    birth_date = VNDateField(_l("Date of birth"), validators=[optional()])


class InviteeForm(PersonFields, Form):
    role = SelectField(_l("Role at the event"), choices=_choices(INVITEE_ROLES, ROLE_LABELS), default="guest")
    add = SubmitField(_l("Add the invitee"))


class RegistrationForm(PersonFields, Form):
    email = StringField(
        _l("Email"),
        filters=[strip],
        validators=[required(), email(), length(254)],
        description=_l("Your pass is sent to this address."),
    )
    register = SubmitField(_l("Register"))


class SourceForm(Form):
    """Invite a group of people from a contest or a campaign."""

    source = HiddenField()
    record_id = SelectField(_l("From"), coerce=int)
    group = SelectField(_l("People to invite"))
    add = SubmitField(_l("Invite them"))


class ImportForm(Form):
    file = FileField(
        _l("Guest list"),
        description=_l(
            "Excel (.xlsx) or CSV (UTF-8), at most 5 MB; columns: Họ và tên, Email, Điện thoại, Đơn vị, Vai trò, "
            "Ngày sinh."
        ),
        render_kw={"accept": ".xlsx,.csv"},
    )
    check = SubmitField(_l("Check the file"))


class ConfirmImportForm(Form):
    payload = HiddenField()
    confirm = SubmitField(_l("Invite everyone on the list"))


class RevokeForm(Form):
    reason = StringField(_l("Reason"), filters=[strip], validators=[required(), length(500)])
    revoke = SubmitField(_l("Revoke and reissue"))


class CancelForm(Form):
    reason = StringField(_l("Reason"), filters=[strip], validators=[length(500)])
    cancel = SubmitField(_l("Cancel the invitation"))


class QuestionForm(Form):
    kind = SelectField(_l("Kind of message"), choices=_choices(QUESTION_KINDS, QUESTION_KIND_LABELS))
    body = TextAreaField(
        _l("Your question or proposal"),
        filters=[strip],
        validators=[required(), length(5000, min=10)],
        render_kw={"rows": 5},
    )
    send = SubmitField(_l("Send"))


class RouteForm(Form):
    department = StringField(
        _l("Responsible department"),
        filters=[strip],
        validators=[required(), length(255)],
        render_kw={"list": "departments"},
    )
    route = SubmitField(_l("Route"))


class AnswerForm(Form):
    department = StringField(
        _l("Responsible department"), filters=[strip], validators=[length(255)], render_kw={"list": "departments"}
    )
    answer = TextAreaField(_l("Answer"), filters=[strip], validators=[required(), length(10000)], render_kw={"rows": 4})
    record_answer = SubmitField(_l("Record the answer"))
