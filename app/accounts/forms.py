from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo, ValidationError

from app.accounts.models import User
from app.accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problems
from app.accounts.roles import ROLES
from app.extensions import db
from app.forms import Form, email, length, optional, options, phone, required, strip

PASSWORD_MESSAGES = {
    "too_short": _l("Use at least %(n)d characters.", n=MIN_LENGTH),
    "too_long": _l("Use at most %(n)d characters.", n=MAX_LENGTH),
    "common": _l("This password is too common; choose another."),
    "repetitive": _l("This password has too few different characters; choose another."),
    "contains_email": _l("The password must not contain your email address."),
    "contains_name": _l("The password must not contain your name."),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "organizer": _l("Organizer"),
    "judge": _l("Judge"),
    "nominator": _l("Nominator"),
    "council_member": _l("Council member"),
    "checkin": _l("Check-in staff"),
    "contestant": _l("Contestant"),
}

NEW_PASSWORD = {"autocomplete": "new-password"}
PASSWORD_HELP = _l("At least %(n)d characters; avoid common passwords and your own name.", n=MIN_LENGTH)


def _strong_password(form, field) -> None:
    email_value = getattr(getattr(form, "email", None), "data", None) or getattr(form, "_email", "")
    name_value = getattr(getattr(form, "full_name", None), "data", None) or getattr(form, "_full_name", "")
    problems = password_problems(field.data or "", email=email_value or "", full_name=name_value or "")
    if problems:
        raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) for p in problems))


def _new_password(label=_l("New password"), repeat=_l("Repeat the new password")) -> tuple[PasswordField, ...]:
    """A new password, checked for strength, and the same typed again (the fields `password` and `confirm`)."""
    return (
        PasswordField(label, [required(), _strong_password], description=PASSWORD_HELP, render_kw=NEW_PASSWORD),
        PasswordField(
            repeat,
            [required(), EqualTo("password", message=_l("The two passwords differ."))],
            render_kw=NEW_PASSWORD,
        ),
    )


def email_taken(address: str, exclude_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == address.strip().lower())
    if exclude_id:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


class SignupForm(Form):
    full_name = StringField(
        _l("Full name"), [required(), length(120, 2)], filters=[strip], render_kw={"autocomplete": "name"}
    )
    email = EmailField(
        _l("Email"), [required(), email(), length(254)], filters=[strip], render_kw={"autocomplete": "email"}
    )
    phone = StringField(
        _l("Phone"), [optional(), phone, length(20)], filters=[strip], render_kw={"autocomplete": "tel"}
    )
    password, confirm = _new_password(_l("Password"), _l("Repeat the password"))
    submit = SubmitField(_l("Create account"))

    def validate_email(self, field) -> None:
        if field.data and email_taken(field.data):
            raise ValidationError(_l("This email is already registered. Log in or reset your password."))


class LoginForm(Form):
    email = EmailField(_l("Email"), [required(), length(254)], filters=[strip], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), [required(), length(MAX_LENGTH)], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Remember me on this device"))
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(Form):
    current = PasswordField(_l("Current password"), [required()], render_kw={"autocomplete": "current-password"})
    password, confirm = _new_password()
    submit = SubmitField(_l("Change password"))


class ResetRequestForm(Form):
    email = EmailField(
        _l("Email"), [required(), email(), length(254)], filters=[strip], render_kw={"autocomplete": "email"}
    )
    submit = SubmitField(_l("Send the reset link"))


class ResetPasswordForm(Form):
    password, confirm = _new_password()
    submit = SubmitField(_l("Set the new password"))


class ProfileForm(Form):
    full_name = StringField(
        _l("Full name"), [required(), length(120, 2)], filters=[strip], render_kw={"autocomplete": "name"}
    )
    phone = StringField(
        _l("Phone"), [optional(), phone, length(20)], filters=[strip], render_kw={"autocomplete": "tel"}
    )
    locale = SelectField(_l("Language"), choices=options([("vi", "Tiếng Việt"), ("en", "English")]))
    submit = SubmitField(_l("Save"))


class ApiTokenForm(Form):
    name = StringField(
        _l("Token name"),
        [required(), length(80)],
        filters=[strip],
        description=_l("What the token is for, e.g. “results export script”."),
    )
    submit = SubmitField(_l("Create token"))


class AccountForm(Form):
    """An administrator creates an account; the person sets a password from the invitation mail."""

    full_name = StringField(
        _l("Full name"), [required(), length(120, 2)], filters=[strip], render_kw={"autocomplete": "name"}
    )
    email = EmailField(
        _l("Email"), [required(), email(), length(254)], filters=[strip], render_kw={"autocomplete": "email"}
    )
    phone = StringField(
        _l("Phone"), [optional(), phone, length(20)], filters=[strip], render_kw={"autocomplete": "tel"}
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, choices=[])
    role = SelectField(_l("First role"), choices=[])
    submit = SubmitField(_l("Create and send the invitation"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = options([(0, _l("— none —"))] + [(o.id, o.name) for o in organisations])
        self.role.choices = options([(r, ROLE_LABELS[r]) for r in ROLES])

    def validate_email(self, field) -> None:
        if field.data and email_taken(field.data):
            raise ValidationError(_l("This email is already registered."))


class GrantRoleForm(Form):
    role = SelectField(_l("Role"), choices=[])
    organisation_id = SelectField(
        _l("Only for"),
        coerce=int,
        choices=[],
        description=_l("Leave empty for the role everywhere; choose an organisation to limit it to that body."),
    )
    submit = SubmitField(_l("Grant"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = options([(r, ROLE_LABELS[r]) for r in ROLES])
        self.organisation_id.choices = options([(0, _l("— everywhere —"))] + [(o.id, o.name) for o in organisations])


class AccountStatusForm(Form):
    """A bare form: its CSRF token protects a button."""

    submit = SubmitField(_l("Confirm"))
