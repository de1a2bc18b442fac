"""Sign-up, login, logout, passwords and the account's own page."""

from __future__ import annotations

from functools import cache

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from app.accounts import bp, services
from app.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from app.accounts.models import ApiToken, User
from app.accounts.permissions import login_required
from app.extensions import db, limiter, login_manager
from app.urls import safe_next


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in account with its role grants, in one query: every signed-in page asks what it may do. Its
    organisation (joined by default, with that body's parents and places) is read only by the pages that show it."""
    if not user_id.isdigit():
        return None
    return db.session.scalars(_signed_in_query(), {"user_id": int(user_id)}).unique().first()


@cache
def _signed_in_query():
    """`load_user`'s query, built once (every signed-in request runs it)."""
    return (
        select(User)
        .where(User.id == bindparam("user_id"))
        .options(joinedload(User.role_grants), lazyload(User.organisation))
    )


login_manager.login_view = "auth.login"


@login_manager.unauthorized_handler
def _unauthorized():
    """Anonymous visitors: JSON 401 on the API, otherwise the login page that returns here afterwards."""
    if request.path.startswith("/api/"):
        abort(401)
    flash(_("Please log in to open this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if form.validate_on_submit():
        user = services.register(form.full_name.data, form.email.data, form.phone.data or "", form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Welcome, %(name)s! Your account is ready.", name=user.full_name), "success")
        return redirect(url_for("main.index"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next())
        form.password.errors.append(_("The email or the password is not correct."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form._email, form._full_name = current_user.email, current_user.full_name
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is not correct."))
        else:
            services.change_password(current_user, form.password.data)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses this address, a link to reset the password has been sent to it."), "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/request_reset.html", form=form)


def _set_password_page(token: str, salt: str, template: str, done_message: str):
    user = services.load_token(token, salt)
    if user is None:
        flash(_("This link is invalid, has expired or has already been used. Please ask for a new one."), "danger")
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    form._email, form._full_name = user.email, user.full_name
    if form.validate_on_submit():
        services.change_password(user, form.password.data, via=salt)
        db.session.commit()
        login_user(user)
        flash(done_message, "success")
        return redirect(url_for("main.index"))
    return render_template(template, form=form, user=user)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    return _set_password_page(
        token, services.RESET_SALT, "accounts/reset_password.html", _("Your new password is set.")
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def accept_invitation(token: str):
    return _set_password_page(
        token, services.INVITE_SALT, "accounts/accept_invitation.html", _("Your account is ready.")
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.full_name.data, form.phone.data or "", form.locale.data)
        db.session.commit()
        session["lang"] = form.locale.data
        refresh()  # the language was settled before the view ran: the message is said in the one just chosen
        flash(_("Your details have been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    form = ApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        _token, new_token = services.create_api_token(current_user, form.name.data)
        db.session.commit()
        form = ApiTokenForm(formdata=None)
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("accounts/api_tokens.html", form=form, tokens=tokens, new_token=new_token)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        services.revoke_api_token(token, by=current_user)
        db.session.commit()
        flash(_("The token “%(name)s” has been revoked.", name=token.name), "info")
    return redirect(url_for("auth.api_tokens"))
