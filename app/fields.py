"""Form fields the Vietnamese way: dates typed as dd/mm/yyyy, numbers with a decimal comma."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.widgets import TextInput

from app.timefmt import DATE_FORMAT, parse_date


class VNDateField(DateField):
    """A date typed as dd/mm/yyyy (ISO yyyy-mm-dd accepted too); shown back as typed when wrong. A text input,
    not the browser's date picker, which shows the phone's own format and cannot hold a wrong value to fix."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        super().__init__(label, validators, format=DATE_FORMAT, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(DATE_FORMAT) if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Please enter a date as dd/mm/yyyy."))) from None


class PercentField(StringField):
    """A percentage such as 33,33 or 33.33 (two decimals at most)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}".replace(".", ",")

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".").rstrip("%").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(str(_l("Please enter a number, e.g. 50 or 33,33."))) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(str(_l("Please enter a number, e.g. 50 or 33,33.")))
