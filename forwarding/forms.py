"""Forms of the forwarding pages: the child's choice and forward, a withdrawal, the parent's window and quotas, a
new child edition, and the delegation to the national level."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Regexp

from app.forms import Form, SubForm, length, optional, options, strip
from app.forms import required as filled
from competitions.setup_forms import IntRange, VNDateTimeField, upper
from forwarding.models import BASES

REASON_MAX = 500
MAX_QUOTA = 10_000
MAX_TOP = 1_000


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _basis(value):
    return value if value in BASES else "manual"


class ChoiceForm(Form):
    """How the page pre-checks entries (a GET form: nothing changes until the forward is confirmed)."""

    class Meta:
        csrf = False

    by = SelectField(
        _l("Choose"),
        choices=options([("rank", _l("by rank")), ("award", _l("by award"))]),
        validate_choice=False,
    )
    top = IntegerField(
        _l("How many of the best"),
        [optional(), IntRange(1, MAX_TOP, message=_l("A number between 1 and %(max)d.", max=MAX_TOP))],
        description=_l("The best of each field first, by rank in the field, then by score."),
    )
    tier = SelectField(_l("Awards from"), choices=[], validate_choice=False)


class ForwardForm(Form):
    """How the checked entries were chosen (the table's checkboxes, `entry_ids`, are read by the view)."""

    basis = HiddenField(default="manual", filters=[_basis])
    submit = SubmitField(_l("Forward the checked entries"))


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Reason for withdrawing"), [filled(), length(REASON_MAX)], filters=[strip], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Withdraw the forward"))


class WindowForm(Form):
    """The parent's forwarding window (Vietnam time) and its default quota per child."""

    forward_opens_at = VNDateTimeField(_l("Forwarding opens"), [optional()])
    forward_closes_at = VNDateTimeField(_l("Forwarding closes"), [optional()], default_time=time(23, 59))
    forward_quota = IntegerField(
        _l("Entries each child edition may forward"),
        [optional(), IntRange(0, MAX_QUOTA, message=_l("A number between 0 and %(max)d.", max=MAX_QUOTA))],
        description=_l("Leave empty for no limit. A child edition's own quota below overrides it."),
    )
    submit = SubmitField(_l("Save the window"))


class QuotaRow(SubForm):
    child_id = HiddenField(filters=[_int_or_none])
    quota = IntegerField(
        _l("Own quota"),
        [optional(), IntRange(0, MAX_QUOTA, message=_l("A number between 0 and %(max)d.", max=MAX_QUOTA))],
    )


class QuotasForm(Form):
    rows = FieldList(FormField(QuotaRow), min_entries=0, max_entries=500)
    submit = SubmitField(_l("Save the quotas"))


class ChildEditionForm(Form):
    organisation_id = SelectField(
        _l("Organising body"), [filled()], coerce=_int_or_none, choices=[], validate_choice=False
    )
    name = StringField(
        _l("Name of the child edition"),
        [optional(), length(255)],
        filters=[strip],
        description=_l("E.g. “Vòng huyện Bù Đăng”. Empty: the parent's name."),
    )
    code_prefix = StringField(
        _l("Entry code prefix"),
        [
            optional(),
            length(12),
            Regexp(r"^[A-Z0-9]*$", message=_l("Capital letters and digits only, e.g. BD.")),
        ],
        filters=[upper],
        description=_l("Its entries' codes start with it; another edition's prefix that year is made unique."),
    )
    submit = SubmitField(_l("Create the child edition"))


class DelegationForm(Form):
    external_level = StringField(_l("Level the delegation goes to"), [filled(), length(120)], filters=[strip])
    basis = HiddenField(default="manual", filters=[_basis])
    submit = SubmitField(_l("Add the checked entries to the delegation"))
