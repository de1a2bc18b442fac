"""Administrators: accounts, their roles and their status."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts import admin_bp as bp
from app.accounts import services
from app.accounts.forms import AccountForm, AccountStatusForm, GrantRoleForm
from app.accounts.models import RoleGrant, User
from app.accounts.permissions import require
from app.accounts.roles import ADMIN, ROLES
from app.extensions import db
from app.orgs.models import Organisation
from app.search import where_matches
from app.text import text_key

PER_PAGE = 50


def _organisations() -> list[Organisation]:
    orgs = db.session.scalars(select(Organisation).where(Organisation.is_active.is_(True))).all()
    return sorted(orgs, key=lambda o: text_key(o.name))


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/")
@require("manage_accounts")
def index():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    query = where_matches(select(User), User.search_name, q)
    if role in ROLES:
        query = query.where(User.role_grants.any(RoleGrant.role == role))
    # People lists are in Vietnamese order (given name first), sorted and paged by the database.
    query = query.order_by(User.sort_name, User.id)
    pagination = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("accounts/admin/index.html", pagination=pagination, q=q, role=role, roles=ROLES)


@bp.route("/new", methods=["GET", "POST"])
@require("manage_accounts")
def create():
    form = AccountForm(organisations=_organisations())
    if form.validate_on_submit():
        user = services.create_account(
            form.full_name.data,
            form.email.data,
            form.phone.data or "",
            form.organisation_id.data,
            form.role.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("The account of %(name)s has been created and the invitation sent.", name=user.full_name), "success")
        return redirect(url_for("accounts_admin.detail", user_id=user.id))
    return render_template("accounts/admin/create.html", form=form)


@bp.route("/<int:user_id>")
@require("manage_accounts")
def detail(user_id: int):
    user = _user_or_404(user_id)
    orgs = _organisations()
    org_names = {o.id: o.name for o in orgs}
    return render_template(
        "accounts/admin/detail.html",
        user=user,
        grant_form=GrantRoleForm(organisations=orgs),
        status_form=AccountStatusForm(),
        org_names=org_names,
    )


@bp.route("/<int:user_id>/roles", methods=["POST"])
@require("manage_accounts")
def grant(user_id: int):
    user = _user_or_404(user_id)
    orgs = _organisations()
    form = GrantRoleForm(organisations=orgs)
    if form.validate_on_submit():
        scope_id = form.organisation_id.data or None
        created = services.grant_role(
            user, form.role.data, by=current_user, scope_type="organisation" if scope_id else None, scope_id=scope_id
        )
        db.session.commit()
        if created:
            flash(_("The role has been granted."), "success")
        else:
            flash(_("%(name)s already holds this role.", name=user.full_name), "info")
        return redirect(url_for("accounts_admin.detail", user_id=user.id))
    return render_template(
        "accounts/admin/detail.html",
        user=user,
        grant_form=form,
        status_form=AccountStatusForm(),
        org_names={o.id: o.name for o in orgs},
    ), 400


@bp.route("/<int:user_id>/roles/<int:grant_id>/revoke", methods=["POST"])
@require("manage_accounts")
def revoke(user_id: int, grant_id: int):
    user = _user_or_404(user_id)
    grant = next((g for g in user.role_grants if g.id == grant_id), None) or abort(404)
    if user.id == current_user.id and grant.role == ADMIN and grant.scope_type is None:
        flash(_("You cannot remove your own administrator role."), "danger")
    else:
        services.revoke_role(grant, by=current_user)
        db.session.commit()
        flash(_("The role has been removed."), "info")
    return redirect(url_for("accounts_admin.detail", user_id=user.id))


@bp.route("/<int:user_id>/status", methods=["POST"])
@require("manage_accounts")
def toggle_active(user_id: int):
    user = _user_or_404(user_id)
    if AccountStatusForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "danger")
        else:
            services.set_active(user, not user.is_active_account, by=current_user)
            db.session.commit()
            flash(
                _("The account is now active.") if user.is_active_account else _("The account is deactivated."), "info"
            )
    return redirect(url_for("accounts_admin.detail", user_id=user.id))
