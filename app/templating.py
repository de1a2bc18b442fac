"""Jinja filters and globals shared by every page: dates, settings, permissions."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask import Flask, g, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.accounts.forms import ROLE_LABELS
from app.accounts.scopes import scope_label
from app.audit.labels import action_label, object_label
from app.timefmt import format_date, format_datetime
from app.uploads import accept_attribute, expand_accepted


def site_settings() -> dict[str, str]:
    """The organisation's settings, read once per request."""
    if "site_settings" not in g:
        from app.orgs.models import get_settings

        g.site_settings = get_settings()
    return g.site_settings


def filesize(size: int | None) -> str:
    """Bytes as people read them, with a decimal comma: 1,5 MB."""
    if size is None:
        return ""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{size} B"


def decimal_text(value: Decimal | float | None) -> str:
    """A share or a score as a Vietnamese reader writes it, to 0.01: 33.33 -> "33,33"; 50.00 -> "50"; 0.5 -> "0,5"
    (a decimal comma, no useless zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


percent = decimal_text


def url_for_page(page: int) -> str:
    """The current URL with another page number, keeping every other query argument (but one named like an
    argument of the route, which the route's own value replaces). Built once per request with a marker for the
    number (a pager links a dozen pages), which each call replaces."""
    parts = g.get("_page_url")
    if parts is None:
        view_args = request.view_args or {}
        args = {k: v for k, v in request.args.to_dict().items() if k not in view_args and k != "page"}
        endpoint = request.endpoint or "main.index"
        url = url_for(endpoint, **view_args, **args, page=str(_ID_MARK))
        before, mark, after = url.partition(str(_ID_MARK))
        if not mark or str(_ID_MARK) in after or str(_ID_MARK) in before:  # a query holding the marker: never seen
            return url_for(endpoint, **view_args, **args, page=str(int(page)))
        parts = g._page_url = (before, after)
    before, after = parts
    return f"{before}{int(page)}{after}"


#: A number no route holds, standing for the id in the URL `url_with_id` builds once.
_ID_MARK = 918273645546372819


def url_with_id(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, **values, key=id)` for many ids (a link on every row of a table) at the cost of joining
    three strings: the URL is built once with a marker for the id, which each call replaces with the id. Ids are
    integers (an `int` route argument: nothing to quote)."""
    url = url_for(endpoint, **values, **{key: _ID_MARK})
    before, mark, after = url.partition(str(_ID_MARK))
    if not mark or str(_ID_MARK) in after:
        raise ValueError(f"{endpoint} does not show {key} once in its URL")
    return lambda id_: f"{before}{int(id_)}{after}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["site_settings"] = site_settings
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "vi")
    app.jinja_env.globals["url_for_page"] = url_for_page
    app.jinja_env.globals["url_with_id"] = url_with_id
    app.jinja_env.globals["can"] = lambda capability, target=None: (
        current_user.is_authenticated and current_user.can(capability, target)
    )
    app.jinja_env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.globals["scope_label"] = scope_label
    app.jinja_env.globals["action_label"] = action_label
    app.jinja_env.globals["object_label"] = object_label
    app.jinja_env.globals["accept_attribute"] = lambda groups: accept_attribute(expand_accepted(groups))
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["points"] = decimal_text
    app.jinja_env.add_extension("jinja2.ext.do")
