"""Form helpers shared by every package: Vietnamese messages, phone numbers, trimmed text."""

from __future__ import annotations

import re

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form as WTForm
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional


class _CatalogueTranslations:
    """WTForms' own messages ("Not a valid choice.") through our catalogue, which has them in Vietnamese."""

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # the catalogue's own ngettext: WTForms fills the placeholders itself (Flask-Babel's would fill only num)
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form: CSRF from Flask-WTF, and every message in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


class SubForm(WTForm):
    """A form nested in another (a row of a list): no CSRF of its own, messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


#: WTForms' built-in messages, listed so that extraction puts them in our catalogue.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Field must be equal to %(other_name)s."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("Invalid value, must be one of: %(values)s."),
)

PHONE_RE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def options(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip(value):
    """Trim what was typed and drop control characters (NUL and the like: PostgreSQL refuses them in text,
    and no person types them); line breaks stay."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


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


# --- Editable lists of rows ("rows-0-name", "rows-1-name"...), added, moved and removed on the page ---------------

ROW_KEY = re.compile(r"^rows-([0-9]{1,6})-")


def row_indices(formdata) -> list[int]:
    """The row numbers the page sent, in order."""
    return sorted({int(m.group(1)) for key in formdata if (m := ROW_KEY.match(key))})


def reordered(formdata, order: list[int]):
    """The form data (a MultiDict) with its rows in `order` (old numbers; a row left out is dropped), numbered from
    0, for a WTForms FieldList of rows; keys that start with "rows-" but are not rows of ours are dropped ("rows-²-x"
    would break the FieldList)."""
    new_index = {old: new for new, old in enumerate(order)}
    result = MultiDict()
    for key, value in formdata.items(multi=True):
        match = ROW_KEY.match(key)
        if match:
            old = int(match.group(1))
            if old not in new_index:
                continue
            key = f"rows-{new_index[old]}-{key[match.end() :]}"
        elif key.startswith("rows-"):
            continue
        result.add(key, value)
    return result
