"""Accounts: sign-up, login, passwords, API tokens; administrators manage accounts and roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")
admin_bp = Blueprint("accounts_admin", __name__, url_prefix="/admin/accounts")

from app.accounts import admin_views, views  # noqa: E402,F401
