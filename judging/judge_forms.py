"""The judges' forms: the score sheet (one score field per criterion of the round's rubric, a comment, save or
submit) and the declaration of a conflict of interest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, SubmitField, TextAreaField, ValidationError

from app.forms import Form, length, optional, options, strip
from app.templating import decimal_text
from judging.labels import CONFLICT_KIND_LABELS
from judging.models import RubricCriterion
from judging.services.declarations import DECLARABLE_KINDS

#: A score as people type it: digits, with a decimal comma or dot ("25,5", "25.5"), optionally negative (the
#: rubric check then says so). No exponent: "1e-999999" would make the step check build a huge fraction.
_SCORE = re.compile(r"^-?\d{1,6}(?:[.,]\d{1,4})?$")


class ScoreField(StringField):
    """A score on one criterion, typed with a decimal comma or dot; empty means "not scored yet". What was typed
    is shown back as it was, even when it is wrong."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else decimal_text(self.data)

    def process_formdata(self, valuelist):
        text = "".join((valuelist[0] if valuelist else "").split())
        if not text:
            self.data = None
            return
        if not _SCORE.match(text):
            self.data = None
            raise ValueError(str(_l("Please enter a number, e.g. 25 or 25,5.")))
        try:
            self.data = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
            self.data = None
            raise ValueError(str(_l("Please enter a number, e.g. 25 or 25,5."))) from None


class SheetForm(Form):
    """A score sheet; `sheet_form` adds a `ScoreField` named `score_<criterion id>` per criterion."""

    comment = TextAreaField(
        _l("Comment"),
        [optional(), length(5000)],
        filters=[strip],
        render_kw={"rows": 4},
        description=_l("What you noticed about the entry; only the organizers read it."),
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit the score sheet"))

    criteria: Sequence[RubricCriterion] = ()

    def score_fields(self) -> list[tuple[RubricCriterion, ScoreField]]:
        return [(c, self[score_name(c.id)]) for c in self.criteria]

    def values(self) -> dict[int, Decimal | None]:
        """The scores typed, by criterion id (None where left empty)."""
        return {c.id: field.data for c, field in self.score_fields()}


def score_name(criterion_id: int) -> str:
    return f"score_{criterion_id}"


def sheet_form(criteria: Sequence[RubricCriterion], **kwargs) -> SheetForm:
    """The score sheet of a rubric (`kwargs` as for any Flask-WTF form: `data=` for what is stored)."""
    form = _sheet_form_class(tuple((c.id, c.name) for c in criteria))(**kwargs)
    form.criteria = tuple(criteria)
    return form


@lru_cache(maxsize=256)
def _sheet_form_class(fields: tuple[tuple[int, str], ...]) -> type[SheetForm]:
    """The form class of a rubric's criteria (their ids and names), made once per process: making a form class
    costs as much as filling and checking the form."""

    class RubricSheetForm(SheetForm):
        pass

    for criterion_id, name in fields:
        setattr(RubricSheetForm, score_name(criterion_id), ScoreField(name))
    return RubricSheetForm


class ConflictForm(Form):
    """A judge declares a conflict of interest with an entry assigned to them."""

    kind = RadioField(
        _l("Kind of conflict"),
        choices=options([(k, CONFLICT_KIND_LABELS[k]) for k in DECLARABLE_KINDS]),
        validate_choice=False,  # validate_kind says it once, in our words
    )
    note = TextAreaField(
        _l("Note"),
        [length(2000)],  # no `optional()`: it would stop `validate_note` from asking for the note of "other"
        filters=[strip],
        render_kw={"rows": 2},
        description=_l("Required for “Other”: say what links you to the entry."),
    )
    declare = SubmitField(_l("Declare the conflict"))

    def validate_kind(self, field) -> None:
        if field.data not in DECLARABLE_KINDS:
            raise ValidationError(_l("Choose the kind of conflict."))

    def validate_note(self, field) -> None:
        if self.kind.data == "other" and not field.data:
            raise ValidationError(_l("Say what links you to the entry."))
