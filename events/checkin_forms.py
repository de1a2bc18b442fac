"""Forms of the check-in console: a scanned or typed code (the page's own form, which the console's script sends
as JSON instead when it runs) and undoing a check-in with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField, TextAreaField

from app.forms import Form, length, optional, required, strip
from events.services.checkin import REASON_MAX


class ScanForm(Form):
    code = StringField(
        _l("Pass code"),
        filters=[strip],
        validators=[required(), length(2000)],
        description=_l("Scan with a USB or Bluetooth scanner, or type the code, then press Enter."),
        render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "inputmode": "text"},
    )
    nonce = HiddenField(validators=[optional(), length(64)])
    device_id = HiddenField(validators=[optional(), length(64)])
    submit = SubmitField(_l("Check"))


class UndoForm(Form):
    reason = TextAreaField(
        _l("Reason for undoing"),
        filters=[strip],
        validators=[required(), length(REASON_MAX)],
        description=_l("Kept in the records with your name; the person may then be checked in again."),
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Undo the check-in"))
