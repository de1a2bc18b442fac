"""Language and time zone of each request: Vietnamese unless the visitor chose English."""

from __future__ import annotations

from flask import current_app, g, has_app_context, has_request_context, session
from flask_babel import get_translations
from flask_login import current_user


def select_locale() -> str:
    """The language chosen in this browser's session, else the account's, else Vietnamese. On the JSON API the
    account is the token's (`g.api_user`): the API never signs anyone in from the session cookie, so the cookie's
    account is neither looked up nor asked."""
    if not has_request_context():  # a command or a background export: the default, unless forced (force_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
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


def request_translations():
    """The request's translations, looked up once: Flask-Babel's own template callables look them up again for every
    string (the babel context, the locale and its identifier, the catalogue cache: ~50 times a page). Kept where
    Flask-Babel keeps the request's locale, so `refresh()` (a language changed) and `force_locale` (a mail in the
    recipient's language) reset them as they reset the locale."""
    if not has_app_context():
        return get_translations()
    context = g.get("_flask_babel")
    found = getattr(context, "babel_translations", None) if context is not None else None
    if found is None:
        found = get_translations()  # makes the babel context
        context = g.get("_flask_babel")
        if context is not None:
            context.babel_translations = found
    return found


def install_template_gettext(app) -> None:
    """The templates' `_`, `gettext`, `ngettext`... through `request_translations` (as Flask-Babel installs them,
    new-style: keyword arguments formatted and escaped)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
