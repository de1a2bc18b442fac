"""Redirect targets that stay on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(default_endpoint: str = "main.index") -> str:
    """The `next` argument when it is a path on this site, otherwise the default page."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target and not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(default_endpoint)
