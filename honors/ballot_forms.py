"""Forms of the council's ballot, the publication of honorees and their certificates."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form, length, optional, options, strip
from app.forms import required as filled
from competitions.setup_forms import VNDateTimeField
from honors.tally import CHOICES

CHOICE_LABELS = {
    "agree": _l("Agree"),
    "disagree": _l("Disagree"),
    "abstain": _l("Abstain"),
}


class OpenBallotForm(Form):
    """Open the ballot now or from a time, until a time or until closed by hand."""

    opens_at = VNDateTimeField(
        _l("Voting starts"),
        [optional()],
        default_time=time(0, 0),
        description=_l("Leave empty to start at once. Vietnam time, dd/mm/yyyy hh:mm."),
    )
    closes_at = VNDateTimeField(
        _l("Voting ends"),
        [optional()],
        default_time=time(23, 59),
        description=_l("Leave empty to close the ballot by hand (the chair or the organizers)."),
    )

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The ballot must end after it starts."))


class VoteForm(Form):
    """A member's vote on one nominee."""

    choice = RadioField(
        _l("Your vote"),
        [filled()],
        choices=options((c, CHOICE_LABELS[c]) for c in CHOICES),
    )
    comment = TextAreaField(_l("Comment (optional)"), [optional(), length(2000)], filters=[strip])


class ActionForm(Form):
    """A button that changes something: CSRF only."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PublishForm(Form):
    """Publish the honorees; where nominees are tied across the last place, choose among them and say why."""

    tied = MultiCheckboxField(_l("Nominees to honor among those tied"), coerce=int, choices=[])
    tie_note = TextAreaField(
        _l("Why these nominees"),
        [optional(), length(2000)],
        filters=[strip],
        description=_l("Required when choosing among tied nominees; it is kept in the audit log."),
    )


class RevokeForm(Form):
    reason = TextAreaField(
        _l("Reason for revoking"),
        [filled(), length(1000)],
        filters=[strip],
        description=_l("Kept in the audit log; not shown on the public verification page."),
    )


# --- labels the ballot pages show -----------------------------------------------------------------------------------

OUTCOME_LABELS = {
    "honored": _l("Passed, to be honored"),
    "tie_at_cut": _l("Passed, tied at the last place"),
    "beyond_number": _l("Passed, beyond the number to honor"),
    "failed": _l("Did not pass"),
    "no_quorum": _l("Too few members took part"),
}
OUTCOME_BADGES = {
    "honored": "success",
    "tie_at_cut": "warning",
    "beyond_number": "info",
    "failed": "danger",
    "no_quorum": "secondary",
}
CONFLICT_LABELS = {
    "same_unit": _l("You work at the nominee's unit."),
    "own_body": _l("Your organisation nominated this person."),
}
BALLOT_STATUS_LABELS = {
    "draft": _l("Not opened yet"),
    "open": _l("Voting open"),
    "closed": _l("Ballot closed"),
}
CLOSE_REASON_LABELS = {
    "chair": _l("closed by the chair"),
    "organizer": _l("closed by the organizers"),
    "time": _l("closed at its end time"),
}
BALLOT_ERRORS = {
    "not_voting": _l("Move the campaign to its voting stage first."),
    "no_members": _l("The council has no member yet."),
    "no_nominees": _l("No dossier has been found eligible: there is nobody to vote on."),
    "already_open": _l("The ballot has already been opened."),
    "not_open": _l("The ballot is not open."),
    "not_accepting": _l("Voting has not started yet, or its time is over."),
    "not_member": _l("You are not a member of this council."),
    "not_nominee": _l("This dossier is not on the ballot."),
    "bad_choice": _l("Choose agree, disagree or abstain."),
    "bad_times": _l("The ballot must end after it starts, and in the future."),
    "not_chair": _l("Only the chair of the council closes the ballot."),
}
PUBLICATION_ERRORS = {
    "not_closed": _l("Close the ballot first."),
    "already_published": _l("The honoree list has already been published."),
    "tie_choice": _l("Choose exactly as many of the tied nominees as places are left."),
    "tie_note_required": _l("Say why these nominees were chosen."),
    "nobody": _l("Nobody passed the vote: there is no honoree to publish."),
}
CERTIFICATE_ERRORS = {
    "not_published": _l("Publish the honoree list first."),
    "reason_required": _l("Give the reason for revoking the certificate."),
    "reason_too_long": _l("The reason is too long."),
    "already_revoked": _l("This certificate has already been revoked."),
}


def ballot_labels() -> dict:
    """Jinja globals of the ballot pages."""
    return {
        "choice_label": lambda c: CHOICE_LABELS.get(c, c),
        "outcome_label": lambda o: OUTCOME_LABELS.get(o, o),
        "outcome_badge": lambda o: OUTCOME_BADGES.get(o, "secondary"),
        "conflict_label": lambda c: CONFLICT_LABELS.get(c, c),
        "ballot_status_label": lambda s: BALLOT_STATUS_LABELS.get(s, s),
        "close_reason_label": lambda r: CLOSE_REASON_LABELS.get(r, r),
    }
