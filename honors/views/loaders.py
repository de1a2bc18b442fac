"""The records honors URLs name, or 404, and the campaigns an organizer manages.

An organizer of another body gets 404 for a campaign (for them it does not exist), as on the contests' pages;
accounts that organize nothing get 403 from `require`. A nominator gets 404 for a dossier of another body."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select

from app.accounts.roles import grants_allow
from app.extensions import db
from app.orgs.models import Organisation, descendant_ids
from app.text import text_key
from honors.models.campaigns import BodyNominator, Campaign, Dossier, DossierFile, NominatingBody


def _managed_or_404(record, campaign: Campaign):
    if record is None or not current_user.can("manage_campaign", campaign):
        abort(404)
    return record


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    return _managed_or_404(campaign, campaign)


def managed_dossier_or_404(dossier_id: int) -> Dossier:
    dossier = db.session.get(Dossier, dossier_id)
    return _managed_or_404(dossier, dossier.campaign if dossier else None)


def body_of_campaign_or_404(campaign: Campaign, body_id: int) -> NominatingBody:
    body = db.session.get(NominatingBody, body_id)
    if body is None or body.campaign_id != campaign.id:
        abort(404)
    return body


def nominator_row_or_404(body: NominatingBody, row_id: int) -> BodyNominator:
    row = db.session.get(BodyNominator, row_id)
    if row is None or row.body_id != body.id:
        abort(404)
    return row


# --- Nominators ----------------------------------------------------------------------------------------------


def own_body_or_404(body_id: int) -> NominatingBody:
    """A body the signed-in account nominates for (404 for any other)."""
    body = db.session.get(NominatingBody, body_id)
    if body is None or not body.has_nominator(current_user) or not current_user.can("nominate", body.campaign):
        abort(404)
    return body


def own_dossier_or_404(dossier_id: int) -> Dossier:
    """A dossier of a body the signed-in account nominates for (404 for another body's)."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        abort(404)
    own_body_or_404(dossier.body_id)
    return dossier


def readable_dossier_or_404(dossier_id: int) -> Dossier:
    """A dossier its body's nominators or the campaign's organizers may read."""
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        abort(404)
    if current_user.can("manage_campaign", dossier.campaign):
        return dossier
    return own_dossier_or_404(dossier_id)


def dossier_file_or_404(dossier: Dossier, file_id: int) -> DossierFile:
    row = db.session.get(DossierFile, file_id)
    if row is None or row.dossier_id != dossier.id:
        abort(404)
    return row


# --- What an organizer manages --------------------------------------------------------------------------------


def managed_campaigns() -> list[Campaign]:
    """The campaigns of the bodies (and below) this account organizes, and the campaigns it organizes directly,
    newest first (one query, plus one per level of bodies)."""
    grants = [g for g in current_user.grants if grants_allow([g], "manage_campaign")]
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())
    if not any(g.scope is None for g in grants):
        org_ids: set[int] = set()
        campaign_ids: set[int] = set()
        for grant in grants:
            if grant.scope_type == "organisation":
                org_ids |= descendant_ids(grant.scope_id)
            elif grant.scope_type == "campaign":
                campaign_ids.add(grant.scope_id)
        query = query.where(or_(Campaign.organisation_id.in_(org_ids), Campaign.id.in_(campaign_ids)))
    return list(db.session.scalars(query))


def organising_bodies() -> list[Organisation]:
    """The active bodies this organizer may run a campaign for, in Vietnamese alphabetical order."""
    bodies = db.session.scalars(select(Organisation).where(Organisation.is_active)).all()
    return sorted((o for o in bodies if current_user.can("manage_campaign", o)), key=lambda o: text_key(o.name))


def nominating_candidates(campaign: Campaign) -> list[Organisation]:
    """Active organisations that may be added as nominating bodies: any not already in the campaign."""
    taken = {b.organisation_id for b in campaign.bodies}
    bodies = db.session.scalars(select(Organisation).where(Organisation.is_active)).all()
    return sorted((o for o in bodies if o.id not in taken), key=lambda o: text_key(o.name))
