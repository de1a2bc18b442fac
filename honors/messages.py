"""Words for the honors package: statuses, labels, and what a refusal (an HonorsError's codes) says."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.timefmt import format_datetime

CAMPAIGN_STATUS_LABELS = {
    "draft": _l("Being prepared"),
    "nominating": _l("Taking nominations"),
    "screening": _l("Screening dossiers"),
    "voting": _l("Council voting"),
    "closed": _l("Vote closed"),
    "published": _l("Honorees published"),
}
#: The button that moves a campaign to each status.
CAMPAIGN_MOVE_LABELS = {
    "draft": _l("Back to preparation"),
    "nominating": _l("Open nominations"),
    "screening": _l("Close nominations and screen"),
    "voting": _l("Hand the nominees to the council"),
    "closed": _l("Close the vote"),
    "published": _l("Publish the honorees"),
}
#: The button of a move back (from, to): its wording says what it undoes.
CAMPAIGN_BACK_LABELS = {
    ("nominating", "draft"): _l("Back to preparation"),
    ("screening", "nominating"): _l("Reopen nominations"),
    ("voting", "screening"): _l("Back to screening"),
    ("closed", "voting"): _l("Reopen the vote"),
    ("published", "closed"): _l("Withdraw the publication"),
}


def move_label(status: str, target: str) -> str:
    return str(CAMPAIGN_BACK_LABELS.get((status, target)) or CAMPAIGN_MOVE_LABELS[target])


DOSSIER_STATUS_LABELS = {
    "draft": _l("Draft dossier"),
    "submitted": _l("Submitted, awaiting screening"),
    "withdrawn": _l("Withdrawn by the body"),
    "eligible": _l("Eligible for the council"),
    "ineligible": _l("Not eligible"),
}
DOSSIER_STATUS_BADGES = {
    "draft": "secondary",
    "submitted": "primary",
    "withdrawn": "dark",
    "eligible": "success",
    "ineligible": "danger",
}
GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other gender")}
TITLE_LABELS = {"": _l("No academic title"), "GS": _l("Professor (GS)"), "PGS": _l("Associate professor (PGS)")}
DEGREE_LABELS = {
    "": _l("No degree given"),
    "TSKH": _l("Doctor of Science (TSKH)"),
    "TS": _l("Doctor (TS)"),
    "ThS": _l("Master (ThS)"),
    "KS/CN": _l("Engineer or bachelor"),
    "BS": _l("Medical doctor (BS)"),
    "other": _l("Other degree"),
}
BALLOT_MODE_LABELS = {"open": _l("Open ballot"), "secret": _l("Secret ballot")}
QUORUM_MODE_LABELS = {"share": _l("A share of the members"), "count": _l("A number of members")}

PROBLEMS = {
    "campaign_not_nominating": _l("The campaign is not taking nominations."),
    "not_set": _l("The nomination window has not been set."),
    "not_open": _l("Nominations are not open yet."),
    "closed": _l("Nominations have closed."),
    "status": _l("Only a draft dossier can be submitted."),
    "quota": _l("The body has used all its places in this campaign."),
    "checklist": _l("Every required eligibility condition must be answered yes."),
    "profile:full_name": _l("The nominee's full name is missing."),
    "profile:birth_date": _l("The nominee's date of birth is missing."),
    "profile:gender": _l("The nominee's gender is missing."),
    "profile:unit_name": _l("The nominee's unit is missing."),
    "profile:field": _l("The nominee's field of expertise is missing."),
    "profile:years_of_work": _l("The years of work in science and technology are missing."),
    "profile:achievements": _l("The achievements are missing."),
    "profile:confirmation": _l("Say who at the nominee's unit confirmed the achievements, and when."),
    "profile:birth_date_future": _l("The date of birth must be in the past."),
    "profile:years_of_work_range": _l("The years of work do not fit the nominee's age."),
    "not_editable": _l("This dossier can no longer be changed."),
    "not_withdrawable": _l("This dossier can no longer be withdrawn."),
    "not_screenable": _l("This dossier cannot be screened now."),
    "reason_required": _l("Please give the reason the dossier is not eligible."),
    "category": _l("Choose one of the campaign's categories."),
    "too_many_files": _l("A dossier holds at most 20 files."),
    "no_room": _l("The dossier's files already use all the space allowed."),
    "transition": _l("The campaign cannot move to that stage from where it is."),
    "window_unset": _l("Set the nomination window before opening nominations."),
    "unscreened": _l("Some submitted dossiers are not screened yet."),
    "no_council": _l("Name the council's members first."),
    "window_order": _l("Nominations must close after they open."),
    "quorum_share": _l("The quorum's share must be above 0 and at most 1."),
    "quorum_count": _l("Give the number of members needed for a quorum."),
    "pass_share": _l("The pass threshold must be above 0 and at most 1."),
    "rules_locked": _l("The council's rules cannot change once it votes."),
    "body_exists": _l("This body already nominates in the campaign."),
    "body_has_dossiers": _l("This body has dossiers: it cannot be removed."),
    "nominator_elsewhere": _l("This account already nominates for another body of the campaign."),
    "nominator_exists": _l("This account already nominates for this body."),
    "member_exists": _l("This account is already on the council."),
    "member_voting": _l("The council's members cannot change once it votes."),
    "not_member": _l("This account is not on the council."),
    "no_account": _l("No account has this email address."),
}


def problem_messages(problems: list[str], campaign=None) -> list[str]:
    """Each problem in words; the window's problems name its times (Vietnam time)."""
    messages = []
    for code in problems:
        if code == "not_open" and campaign is not None:
            messages.append(_("Nominations open on %(when)s (Vietnam time).", when=format_datetime(campaign.opens_at)))
        elif code == "closed" and campaign is not None:
            messages.append(
                _("Nominations closed on %(when)s (Vietnam time).", when=format_datetime(campaign.closes_at))
            )
        elif code in PROBLEMS:
            messages.append(str(PROBLEMS[code]))
        else:
            messages.append(_("The change was refused (%(code)s).", code=code))
    return messages
