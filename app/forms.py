"""Form helpers shared by every package: Vietnamese messages, phone numbers, trimmed text."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

PHONE_RE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def required():
    return DataRequired(message=_l("Please fill in this field."))


def length(max: int, min: int = -1):
    if min > 0:
        return Length(min=min, max=max, message=_l("Between %(min)d and %(max)d characters.", min=min, max=max))
    return Length(max=max, message=_l("At most %(max)d characters.", max=max))


def email():
    return Email(message=_l("Please enter a valid email address, e.g. ten@example.com."), check_deliverability=False)


def optional():
    return Optional()


def normalize_phone(value: str | None) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def phone(form, field) -> None:
    """A Vietnamese phone number: 0 or +84 followed by 9 to 10 digits (spaces and dots allowed)."""
    if field.data and not PHONE_RE.match(normalize_phone(field.data)):
        raise ValidationError(_l("Please enter a valid phone number, e.g. 0912 345 678."))
