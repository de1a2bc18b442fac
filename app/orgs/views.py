"""Administrators: the organisation's settings and logo, organisations, administrative units."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.orgs import bp, services
from app.orgs.forms import KIND_LABELS, LOGO_MAX_BYTES, OrganisationForm, SettingsForm
from app.orgs.models import AdministrativeUnit, Organisation, get_settings
from app.search import where_matches
from app.text import text_key
from app.uploads import UploadError, save_image, upload_dir


def _all_orgs() -> list[Organisation]:
    return sorted(db.session.scalars(select(Organisation)), key=lambda o: text_key(o.name))


def _units() -> list[AdministrativeUnit]:
    return list(
        db.session.scalars(select(AdministrativeUnit).order_by(AdministrativeUnit.level, AdministrativeUnit.code))
    )


@bp.route("/settings", methods=["GET", "POST"])
@require("manage_settings")
def settings():
    current = get_settings()
    form = SettingsForm(data={"org_name": current["org_name"], "org_short_name": current["org_short_name"]})
    if form.validate_on_submit():
        values = {"org_name": form.org_name.data, "org_short_name": form.org_short_name.data}
        if form.remove_logo.data:
            values["logo"] = ""
        elif form.logo.data:
            try:
                values["logo"] = save_image(
                    form.logo.data,
                    "logo",
                    LOGO_MAX_BYTES,
                    {
                        "too_large": _("The logo must be at most 2 MB."),
                        "not_image": _("The logo must be a PNG, JPEG or WebP image."),
                    },
                )
            except UploadError as exc:
                form.logo.errors.append(str(exc))
        if not form.logo.errors:
            services.update_settings(values)
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("orgs.settings"))
    return render_template("orgs/settings.html", form=form, settings=current)


@bp.route("/settings/logo")
def logo():
    """The organisation's logo (public: it heads every page)."""
    name = get_settings()["logo"]
    if not name:
        abort(404)
    response = send_from_directory(upload_dir("logo"), name, max_age=3600)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/organisations")
@require("manage_organisations")
def organisations():
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    query = where_matches(select(Organisation), Organisation.search_name, q)
    if kind in KIND_LABELS:
        query = query.where(Organisation.kind == kind)
    orgs = sorted(db.session.scalars(query), key=lambda o: text_key(o.name))
    return render_template("orgs/organisations.html", organisations=orgs, q=q, kind=kind, kinds=KIND_LABELS)


def _edit_organisation(org: Organisation | None):
    orgs = [o for o in _all_orgs() if org is None or o.id != org.id]
    form = OrganisationForm(obj=org, organisations=orgs, units=_units())
    if request.method == "GET" and org is not None:
        form.parent_id.data = org.parent_id or 0
        form.admin_unit_id.data = org.admin_unit_id or 0
    if form.validate_on_submit():
        try:
            saved = services.save_organisation(org, form.data)
        except ValueError:
            form.parent_id.errors.append(_("An organisation cannot belong to itself or to a body below it."))
        else:
            db.session.commit()
            flash(_("“%(name)s” has been saved.", name=saved.name), "success")
            return redirect(url_for("orgs.organisations"))
    return render_template("orgs/organisation_form.html", form=form, org=org)


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("manage_organisations")
def create_organisation():
    return _edit_organisation(None)


@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@require("manage_organisations")
def edit_organisation(org_id: int):
    return _edit_organisation(db.session.get(Organisation, org_id) or abort(404))


@bp.route("/units")
@require("manage_organisations")
def units():
    """Administrative units with their validity and successors (the 2025 reform is visible here)."""
    return render_template("orgs/units.html", units=_units())
