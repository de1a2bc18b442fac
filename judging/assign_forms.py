"""Forms of the organizers' assignment and progress pages: saving a previewed automatic assignment, assigning a
judge by hand, reopening a score sheet with a reason."""

from __future__ import annotations

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
