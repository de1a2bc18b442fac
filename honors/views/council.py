"""Council members: their ballots (only those of campaigns whose council they sit on; any other is 404), one page
per ballot listing the nominees with a profile summary and the evidence, a vote per nominee with a comment, and
the chair's button to close the ballot. Phone-friendly: one card per nominee."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.permissions import require
from app.audit.labels import register_labels
from app.extensions import db
from app.timefmt import utcnow
from app.uploads import send_stored
from honors import bp
from honors.ballot_forms import BALLOT_ERRORS, ActionForm, VoteForm, ballot_labels
from honors.models.ballots import Ballot, Vote
from honors.models.campaigns import UPLOAD_FOLDER, Campaign, Dossier
from honors.services import ballot_results as readers
from honors.services import ballots as service
from honors.views.loaders import dossier_file_or_404

register_labels(
    {
        "ballot.open": _l("Opened a council ballot"),
        "ballot.close": _l("Closed a council ballot"),
        "ballot.vote": _l("Voted in a council ballot"),
        "honors.publish": _l("Published an honoree list"),
        "honor_certificates.issue": _l("Issued honor certificates"),
        "honor_certificate.revoke": _l("Revoked an honor certificate"),
    },
    {
        "honor_ballots": _l("Council ballot"),
        "honor_certificates": _l("Honor certificate"),
    },
)


def _init_app(state) -> None:
    state.app.jinja_env.globals.update(ballot_labels())


bp.record_once(_init_app)


def member_campaign_or_404(campaign_id: int) -> Campaign:
    """A campaign whose council the signed-in account sits on (404 for any other)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not service.is_member(current_user, campaign):
        abort(404)
    return campaign


@bp.route("/council/")
@require("vote")
def council_index():
    """The ballots of the councils this account sits on, with how far the member has got (four queries)."""
    ids = service.member_campaign_ids(current_user)
    campaigns = list(
        db.session.scalars(select(Campaign).where(Campaign.id.in_(ids or [-1])).order_by(Campaign.created_at.desc()))
    )
    ballots = {b.campaign_id: b for b in db.session.scalars(select(Ballot).where(Ballot.campaign_id.in_(ids or [-1])))}
    mine = dict(
        db.session.execute(
            select(Ballot.campaign_id, func.count(Vote.id))
            .join(Vote, Vote.ballot_id == Ballot.id)
            .join(Dossier, Dossier.id == Vote.dossier_id)
            .where(Vote.member_id == current_user.id, Dossier.status == "eligible", Ballot.campaign_id.in_(ids or [-1]))
            .group_by(Ballot.campaign_id)
        ).all()
    )
    nominees = dict(
        db.session.execute(
            select(Dossier.campaign_id, func.count(Dossier.id))
            .where(Dossier.campaign_id.in_(ids or [-1]), Dossier.status == "eligible")
            .group_by(Dossier.campaign_id)
        ).all()
    )
    rows = [(c, ballots.get(c.id), mine.get(c.id, 0), nominees.get(c.id, 0)) for c in campaigns]
    return render_template("honors/council/index.html", rows=rows)


def _ballot_page(campaign: Campaign, forms: dict | None = None, status: int = 200):
    ballot = service.close_if_due(service.ballot_of(campaign))
    rows = readers.member_ballot(ballot, current_user) if ballot is not None and ballot.status != "draft" else []
    forms = forms or {}
    for row in rows:
        if row.dossier.id not in forms:
            vote = row.vote
            forms[row.dossier.id] = VoteForm(
                formdata=None,
                choice=vote.choice if vote else ("abstain" if row.conflict else None),
                comment=vote.comment if vote else "",
                prefix=f"d{row.dossier.id}",
            )
    return render_template(
        "honors/council/ballot.html",
        campaign=campaign,
        ballot=ballot,
        rows=rows,
        forms=forms,
        accepting=ballot is not None and ballot.accepts_votes(utcnow()) and campaign.status == "voting",
        is_chair=campaign.chair_id == current_user.id,
        close_form=ActionForm(formdata=None),
        voted=sum(1 for r in rows if r.vote is not None),
    ), status


@bp.route("/council/<int:campaign_id>")
@require("vote")
def council_ballot(campaign_id: int):
    return _ballot_page(member_campaign_or_404(campaign_id))


@bp.route("/council/<int:campaign_id>/dossiers/<int:dossier_id>/vote", methods=["POST"])
@require("vote")
def council_vote(campaign_id: int, dossier_id: int):
    """Record the member's vote on a nominee; a refused vote comes back beside its nominee, with what was typed."""
    campaign = member_campaign_or_404(campaign_id)
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or dossier.campaign_id != campaign.id:
        abort(404)
    form = VoteForm(prefix=f"d{dossier.id}")
    ballot = service.ballot_of(campaign)
    if form.validate_on_submit():
        if ballot is None:
            form.choice.errors = [str(BALLOT_ERRORS["not_open"])]
        else:
            try:
                vote = service.cast_vote(ballot, dossier, current_user, form.choice.data, form.comment.data)
            except service.BallotError as error:
                db.session.rollback()
                form.choice.errors = [str(BALLOT_ERRORS[error.code])]
            else:
                if vote.forced:
                    flash(
                        _("Recorded as an abstention for %(name)s: you have a conflict.", name=dossier.full_name),
                        "warning",
                    )
                else:
                    flash(_("Your vote on %(name)s has been recorded.", name=dossier.full_name), "success")
                return redirect(url_for("honors.council_ballot", campaign_id=campaign.id, _anchor=f"d{dossier.id}"))
    return _ballot_page(campaign, {dossier.id: form})


@bp.route("/council/<int:campaign_id>/close", methods=["POST"])
@require("vote")
def council_close(campaign_id: int):
    """The chair closes the ballot."""
    campaign = member_campaign_or_404(campaign_id)
    ballot = service.ballot_of(campaign)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please reload the page and submit it again."), "danger")
    elif ballot is None:
        flash(str(BALLOT_ERRORS["not_open"]), "danger")
    else:
        try:
            service.close_ballot(ballot, by=current_user, reason="chair")
        except service.BallotError as error:
            db.session.rollback()
            flash(str(BALLOT_ERRORS[error.code]), "danger")
        else:
            flash(_("The ballot is closed."), "success")
    return redirect(url_for("honors.council_ballot", campaign_id=campaign.id))


@bp.route("/council/<int:campaign_id>/dossiers/<int:dossier_id>/files/<int:file_id>")
@require("vote")
def council_file(campaign_id: int, dossier_id: int, file_id: int):
    """An evidence file of a nominee on the ballot, once the ballot is opened."""
    campaign = member_campaign_or_404(campaign_id)
    ballot = service.ballot_of(campaign)
    dossier = db.session.get(Dossier, dossier_id)
    if ballot is None or ballot.status == "draft" or dossier is None:
        abort(404)
    if dossier.campaign_id != campaign.id or dossier.status != "eligible":
        abort(404)
    row = dossier_file_or_404(dossier, file_id)
    return send_stored(UPLOAD_FOLDER, row.stored_name, row.original_name, row.mimetype)
