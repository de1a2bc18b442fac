"""Language and time zone of each request: Vietnamese unless the visitor chose English."""

from __future__ import annotations

from flask import current_app, g, session
from flask_login import current_user


def select_locale() -> str:
    """The language chosen in this browser's session, else the account's, else Vietnamese. On the JSON API the
    account is the token's (`g.api_user`): the API never signs anyone in from the session cookie, so the cookie's
    account is neither looked up nor asked."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    account = g.get("api_user")
    if account is None and current_user and current_user.is_authenticated:
        account = current_user
    if account is not None and account.locale in languages:
        return account.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
