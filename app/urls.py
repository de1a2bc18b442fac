"""URL rules and redirect targets: ids in URLs bounded to what the database holds; redirects that stay on this
site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request, url_for
from werkzeug.routing import IntegerConverter

#: The largest key of an INTEGER column (PostgreSQL's is 32-bit): a larger id in a URL is simply not found,
#: instead of an overflow in the database driver.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: non-negative, at most MAX_ID (anything else is a 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Must run before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter


def safe_next(default_endpoint: str = "main.index") -> str:
    """The `next` argument when it is a path on this site, otherwise the default page."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target and not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(default_endpoint)
