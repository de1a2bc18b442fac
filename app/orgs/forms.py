from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField

from app.forms import Form, email, length, optional, options, phone, required, strip
from app.orgs.models import ORGANISATION_KINDS

KIND_LABELS = {
    "union": _l("Union of associations"),
    "association": _l("Member association"),
    "department": _l("Department or agency"),
    "locality_union": _l("Local union of associations"),
    "school": _l("School"),
    "enterprise": _l("Enterprise"),
    "other": _l("Other"),
}

LOGO_MAX_BYTES = 2 * 1024 * 1024


class SettingsForm(Form):
    org_name = StringField(_l("Organisation name"), [required(), length(200)], filters=[strip])
    org_short_name = StringField(_l("Short name"), [required(), length(60)], filters=[strip])
    logo = FileField(_l("Logo"), description=_l("PNG, JPEG or WebP, at most 2 MB."))
    remove_logo = BooleanField(_l("Remove the current logo"))
    submit = SubmitField(_l("Save"))


class OrganisationForm(Form):
    name = StringField(_l("Name"), [required(), length(200)], filters=[strip])
    short_name = StringField(_l("Short name"), [optional(), length(60)], filters=[strip])
    kind = SelectField(_l("Kind"), choices=[])
    parent_id = SelectField(_l("Belongs to"), coerce=int, choices=[])
    admin_unit_id = SelectField(_l("Administrative unit"), coerce=int, choices=[])
    address = StringField(_l("Address"), [optional(), length(255)], filters=[strip])
    email = EmailField(_l("Email"), [optional(), email(), length(254)], filters=[strip])
    phone = StringField(_l("Phone"), [optional(), phone, length(20)], filters=[strip])
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, organisations=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = options([(k, KIND_LABELS[k]) for k in ORGANISATION_KINDS])
        self.parent_id.choices = options([(0, _l("— none —"))] + [(o.id, o.name) for o in organisations])
        self.admin_unit_id.choices = options([(0, _l("— none —"))] + [(u.id, u.label) for u in units])
