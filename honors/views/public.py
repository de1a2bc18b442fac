"""Public pages: the published honoree lists (name, title and degree, position, unit, field, category, nominating
body: never a birth date, phone, email or ID) and the verification page of an honor certificate (valid, revoked or
unknown; rate-limited like the contests' one)."""

from __future__ import annotations

from flask import abort, current_app, render_template

from app.extensions import db, limiter
from honors import bp
from honors.models.campaigns import Campaign
from honors.services import certificates as certificate_service
from honors.services import publication as publication_service


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.route("/honorees/")
def public_index():
    """The campaigns whose honorees are published, newest first."""
    return render_template("honors/public/index.html", campaigns=publication_service.published_campaigns())


@bp.route("/honorees/<int:campaign_id>")
def public_honorees(campaign_id: int):
    campaign = db.session.get(Campaign, campaign_id)
    honor_list = publication_service.public_list(campaign) if campaign is not None else None
    if honor_list is None:
        abort(404)
    return render_template("honors/public/honorees.html", campaign=campaign, honor_list=honor_list)


@bp.route("/verify/<token>")
@limiter.limit(_verify_limit)
def verify(token: str):
    """Whether an honor certificate is valid, revoked (and when) or unknown; never more than it prints."""
    certificate = certificate_service.by_token(token)
    response = current_app.make_response(
        (
            render_template("honors/public/verify.html", certificate=certificate),
            200 if certificate is not None else 404,
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
