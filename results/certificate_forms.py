"""Forms of the certificates pages: issuing (a button with its CSRF token) and revoking with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField

from app.forms import Form, length, required, strip
from results.services.certificates import REASON_MAX


class IssueForm(Form):
    submit = SubmitField(_l("Issue certificates"))


class RevokeForm(Form):
    reason = TextAreaField(
        _l("Reason for revoking"),
        filters=[strip],
        validators=[required(), length(REASON_MAX)],
        description=_l("Kept in the records; the verification page only says the certificate was revoked, and when."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Revoke the certificate"))
