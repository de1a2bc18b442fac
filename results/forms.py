"""Forms of the organizers' award pages: the award plan (tiers and special prizes as rows that grow and shrink, the
tie-break chain), a change to an award, an award given by hand, the Board's order for a tie, and the approving
decision. Other parts of results keep their forms in their own modules (`certificate_forms`...)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from app.fields import PercentField, VNDateField
from app.forms import Form, SubForm, length, optional, options, required, strip
from competitions.setup_forms import IntRange, needed
from results.services.award_common import REASON_MAX, UNIT_MAX
from results.services.plan_edit import MAX_MIN_SCORE, MAX_POINTS, MAX_QUOTA

SCOPE_LABELS = {
    "field": _l("Per field (quotas apply in each field)"),
    "overall": _l("Overall (one ranking for the whole edition)"),
    "age_group": _l("Per age group (quotas apply in each age group)"),
}
RULE_LABELS = {
    "youngest_author": _l("Youngest author of an awarded entry"),
    "oldest_author": _l("Oldest author of an awarded entry"),
    "unit_most_finalists": _l("Unit with most entries in the ranking round"),
    "manual": _l("Given by hand"),
}
#: The reason every change by hand needs.
REASON_HELP = _l("Kept with the award and in the audit log.")


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _min_score_rule(form, field) -> None:
    if field.data is None:
        return
    if not (0 <= field.data <= MAX_MIN_SCORE):
        raise ValidationError(_l("A score from 0 to %(max)s.", max=MAX_MIN_SCORE))
    if field.data.as_tuple().exponent < -2:
        raise ValidationError(_l("At most %(n)d decimals.", n=2))


# --- the plan ---------------------------------------------------------------------------------------------------------


class TierRow(SubForm):
    id = HiddenField()
    name = StringField(_l("Name of the tier"), [required(), length(120)], filters=[strip])
    quota = IntegerField(
        _l("How many at most"),
        [optional(), IntRange(0, MAX_QUOTA, message=_l("A whole number from 0 to %(n)d.", n=MAX_QUOTA))],
        description=_l("Empty: no limit."),
        render_kw={"inputmode": "numeric"},
    )
    min_score = PercentField(_l("Minimum score"), [optional(), _min_score_rule], description=_l("Empty: any score."))
    points = IntegerField(
        _l("Team points"),
        [optional(), IntRange(0, MAX_POINTS, message=_l("A whole number from 0 to %(n)d.", n=MAX_POINTS))],
        description=_l("Points a school or unit earns per award of this tier."),
        render_kw={"inputmode": "numeric"},
    )


class SpecialRow(SubForm):
    id = HiddenField()
    name = StringField(_l("Name of the special prize"), [required(), length(120)], filters=[strip])
    rule = SelectField(_l("Given to"), choices=options(list(RULE_LABELS.items())), default="manual")


class PlanForm(Form):
    """The award plan; which button was pressed comes in the request's "action" value (save, add or remove a row)."""

    round_id = SelectField(_l("Ranking round"), coerce=_int_or_none, choices=[], validate_choice=False)
    scope = SelectField(_l("Awards are decided"), choices=[])
    tiers = FieldList(FormField(TierRow), min_entries=0)
    specials = FieldList(FormField(SpecialRow), min_entries=0)
    chain = FieldList(SelectField(choices=[], validate_choice=False), min_entries=0)
    show_feedback = BooleanField(
        _l("Contestants see their judges' comments and scores"),
        description=_l("Once the results are published, on their entry's page, without the judges' names."),
    )

    def setup(self, *, rounds, last_round, youth: bool, criteria) -> None:
        """Choices: the edition's rounds ("" is its last round, whichever it is), the scopes, the chain's links
        (the ranking round's criteria, or none)."""
        last = _l("The last round (now: %(name)s)", name=last_round.name) if last_round else _l("The last round")
        self.round_id.choices = options([("", last)] + [(r.id, r.name) for r in rounds])
        self.round_id.valid_ids = {r.id for r in rounds}
        scopes = ["field", "overall"] + (["age_group"] if youth else [])
        self.scope.choices = options([(s, SCOPE_LABELS[s]) for s in scopes])
        self.chain_choices = [("", _l("— none —")), *criteria]
        while len(self.chain) < len(criteria):
            self.chain.append_entry("")
        while len(self.chain) > len(criteria):
            self.chain.pop_entry()
        for link in self.chain:
            link.choices = options(self.chain_choices)

    def validate_round_id(self, field) -> None:
        if field.data is not None and field.data not in getattr(field, "valid_ids", set()):
            raise ValidationError(_l("Not a valid choice."))

    def validate_chain(self, field) -> None:
        known = {value for value, _label in self.chain_choices}
        chosen = [link.data for link in field if link.data]
        if any(value not in known for value in chosen):
            raise ValidationError(_("Not a valid choice."))
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("Each criterion may appear once in the chain."))


# --- awards -----------------------------------------------------------------------------------------------------------


def _reason_field(label=None):
    return TextAreaField(
        label or _l("Reason"),
        [required(), length(REASON_MAX)],
        filters=[strip],
        description=REASON_HELP,
        render_kw={"rows": 2},
    )


class AwardChangeForm(Form):
    """Another tier for a stored award, or its removal; both with a reason."""

    tier_code = SelectField(_l("New tier"), choices=[])
    reason = _reason_field()
    change = SubmitField(_l("Change the award"))
    remove = SubmitField(_l("Remove the award"))


class AwardGiveForm(Form):
    """An award given by hand: a tier or a special prize to an entry, a special prize to one of its authors, or a
    special prize to a unit (named instead of an entry; the service says when both or neither are given)."""

    entry_code = StringField(
        _l("Entry code"),
        [optional(), length(32)],
        filters=[strip],
        description=_l("Empty for a prize to a unit."),
        render_kw={"placeholder": "STKT-2026-0001"},
    )
    unit = StringField(
        _l("Or a unit (for a special prize)"),
        [optional(), length(UNIT_MAX)],
        filters=[strip],
        description=_l("The school, agency or company as the entries name it; leave the entry code empty."),
    )
    tier_code = SelectField(_l("Award"), choices=[])
    person = StringField(
        _l("Author (for a personal prize)"),
        [optional(), length(120)],
        filters=[strip],
        description=_l("The author's full name as registered; empty: the prize goes to the entry and all its authors."),
    )
    reason = _reason_field()
    give = SubmitField(_l("Give the award"))


class ExclusionLiftForm(Form):
    """Lifting the exclusion of an award removed by hand, with a reason."""

    reason = _reason_field(_l("Reason for lifting"))
    lift = SubmitField(_l("Lift the exclusion"))


class TieRow(SubForm):
    entry_id = HiddenField()
    position = SelectField(_l("Position"), coerce=_int_or_none, choices=[], validate_choice=False)


class TieForm(Form):
    """The Board's order for tied entries: a position for each, and the reason (the minutes of the meeting...)."""

    rows = FieldList(FormField(TieRow), min_entries=0)
    reason = _reason_field(_l("Reason for the Board's order"))
    decide = SubmitField(_l("Record the Board's decision"))

    def setup(self, n: int) -> None:
        for row in self.rows:
            row.form.position.choices = options([(i, str(i)) for i in range(1, n + 1)])

    def validate_rows(self, field) -> None:
        positions = [row.form.position.data for row in field]
        if sorted(p for p in positions if p is not None) != list(range(1, len(positions) + 1)):
            # a plain string (not lazy): the list's errors also hold its rows' errors, which the page skips
            raise ValidationError(_("Give each entry its own position, from 1 to %(n)d.", n=len(positions)))

    def order(self) -> list[int]:
        """The entry ids, first position first."""
        rows = sorted(self.rows, key=lambda row: row.form.position.data or 0)
        return [int(row.form.entry_id.data) for row in rows]


# --- the approving decision -------------------------------------------------------------------------------------------


class DecisionForm(Form):
    number = StringField(
        _l("Decision number"),
        [required(), length(64)],
        filters=[strip],
        render_kw={"placeholder": "123/QĐ-LHH"},
    )
    signed_on = VNDateField(_l("Signed on"), [needed()])
    signer = StringField(_l("Signed by"), [required(), length(120)], filters=[strip])
    signer_title = StringField(
        _l("Signer's title"),
        [optional(), length(160)],
        filters=[strip],
        render_kw={"placeholder": "Chủ tịch Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"},
    )
    record = SubmitField(_l("Record the decision"))
