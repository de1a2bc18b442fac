"""Jinja filters and globals shared by every page: dates, settings, permissions."""

from __future__ import annotations

from flask import Flask, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.accounts.forms import ROLE_LABELS
from app.accounts.scopes import scope_label
from app.audit.labels import action_label, object_label
from app.timefmt import format_date, format_datetime


def site_settings() -> dict[str, str]:
    """The organisation's settings, read once per request."""
    if "site_settings" not in g:
        from app.orgs.models import get_settings

        g.site_settings = get_settings()
    return g.site_settings


def url_for_page(page: int) -> str:
    """The current URL with another page number, keeping every other query argument."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for(request.endpoint or "main.index", **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["site_settings"] = site_settings
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "vi")
    app.jinja_env.globals["url_for_page"] = url_for_page
    app.jinja_env.globals["can"] = lambda capability, target=None: (
        current_user.is_authenticated and current_user.can(capability, target)
    )
    app.jinja_env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.globals["scope_label"] = scope_label
    app.jinja_env.globals["action_label"] = action_label
    app.jinja_env.globals["object_label"] = object_label
    app.jinja_env.add_extension("jinja2.ext.do")
