"""Spreadsheets of a campaign for its organizers, through app.exports (formula neutralisation, dd/mm/yyyy):
the dossiers (every status, with the nominee's contact: organizers only) and the ballot's results (counts per
nominee; each member's vote only in an open ballot, never in a secret one)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.exports import Column, Sheet
from app.extensions import db
from honors.documents import share_text
from honors.models.campaigns import Campaign, Dossier
from honors.services.ballot_results import Results


def dossiers(campaign: Campaign) -> list[Dossier]:
    """Every dossier of the campaign, by body then name (one query: body and category are joined)."""
    from app.text import name_sort_string

    rows = list(db.session.scalars(select(Dossier).where(Dossier.campaign_id == campaign.id)))
    return sorted(rows, key=lambda d: (d.body.name if d.body else "", name_sort_string(d.full_name), d.id))


def dossier_columns() -> list[Column]:
    from honors import messages

    return [
        Column("id", _("No.")),
        Column("full_name", _("Full name")),
        Column("birth_date", _("Date of birth")),
        Column(lambda d: str(messages.GENDER_LABELS.get(d.gender, d.gender)), _("Gender")),
        Column("academic_title", _("Academic title")),
        Column("degree", _("Degree")),
        Column("position", _("Position")),
        Column("unit_name", _("Unit")),
        Column("field", _("Field of expertise")),
        Column("years_of_work", _("Years of work")),
        Column(lambda d: d.category.name if d.category else "", _("Category")),
        Column(lambda d: d.body.name if d.body else "", _("Nominating body")),
        Column("email", _("Email")),
        Column("phone", _("Phone")),
        Column(lambda d: str(messages.DOSSIER_STATUS_LABELS.get(d.status, d.status)), _("Status")),
        Column("submitted_at", _("Submitted at")),
        Column("screening_reason", _("Screening reason")),
    ]


def dossier_sheet(campaign: Campaign) -> Sheet:
    return Sheet(_("Dossiers"), dossier_columns(), dossiers(campaign), caption=campaign.name)


def result_rows(result: Results, outcome_labels: dict) -> list[dict]:
    rows = []
    for number, dossier in enumerate(result.dossiers, start=1):
        row = result.row(dossier)
        rows.append(
            {
                "number": number,
                "name": dossier.display_name,
                "unit": dossier.unit_name,
                "body": dossier.body.name if dossier.body else "",
                "agree": row.agree,
                "disagree": row.disagree,
                "abstain": row.abstain,
                "forced": row.counts.forced,
                "participants": row.counts.participants,
                "share": share_text(row.share),
                "quorum": _("Yes") if row.quorum_met else _("No"),
                "rank": row.rank,
                "outcome": str(outcome_labels.get(row.outcome, row.outcome)),
            }
        )
    return rows


def result_columns() -> list[Column]:
    return [
        Column("number", _("No.")),
        Column("name", _("Nominee")),
        Column("unit", _("Unit")),
        Column("body", _("Nominating body")),
        Column("agree", _("Agree")),
        Column("disagree", _("Disagree")),
        Column("abstain", _("Abstain")),
        Column("forced", _("Of which made to abstain")),
        Column("participants", _("Members taking part")),
        Column("share", _("Agree share")),
        Column("quorum", _("Quorum met")),
        Column("rank", _("Rank")),
        Column("outcome", _("Outcome")),
    ]


def vote_rows(result: Results, choice_labels: dict, conflict_labels: dict) -> list[dict] | None:
    """Each member's vote, in an open ballot; None in a secret ballot (nobody sees who voted what)."""
    if result.ballot.secret or result.named is None:
        return None
    rows = []
    for dossier in result.dossiers:
        for vote in result.named.get(dossier.id, []):
            rows.append(
                {
                    "name": dossier.display_name,
                    "member": vote.member_name,
                    "choice": str(choice_labels.get(vote.choice, vote.choice)),
                    "forced": str(conflict_labels.get(vote.forced_reason, "")) if vote.forced_reason else "",
                    "comment": vote.comment,
                }
            )
    return rows


def result_sheets(result: Results, outcome_labels: dict, choice_labels: dict, conflict_labels: dict) -> list[Sheet]:
    sheets = [
        Sheet(_("Ballot results"), result_columns(), result_rows(result, outcome_labels), result.ballot.campaign.name)
    ]
    votes = vote_rows(result, choice_labels, conflict_labels)
    if votes is not None:
        columns = [
            Column("name", _("Nominee")),
            Column("member", _("Council member")),
            Column("choice", _("Vote")),
            Column("forced", _("Made to abstain")),
            Column("comment", _("Comment")),
        ]
        sheets.append(Sheet(_("Votes"), columns, votes))
    return sheets
