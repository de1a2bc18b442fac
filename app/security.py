"""Security headers on every response, with a Content-Security-Policy the pages satisfy (no inline code). A NUL
character, which PostgreSQL can neither store nor compare, never reaches a view's query: it is dropped from query
strings (as form fields drop control characters themselves, keeping what else was typed: see `app.forms.strip`),
and a JSON body carrying one is refused with a clear message."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


#: Sent with every response whose view did not set its own.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)

NUL_REFUSED = _l("The request contains a null character, which no field accepts. Please remove it and send again.")


def has_nul(value: object) -> bool:
    """Whether a string, or any string inside lists and dicts (a JSON body), holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if any(has_nul(k) or has_nul(v) for k, v in request.args.lists()):
            request.args = ImmutableMultiDict(  # type: ignore[misc]  (werkzeug's cached property takes it)
                [(k.replace("\x00", ""), v.replace("\x00", "")) for k, vs in request.args.lists() for v in vs]
            )
        body = request.get_json(silent=True) if request.is_json else None
        if has_nul(request.path) or has_nul(body):
            from app.errors import render_error

            return render_error(400, str(NUL_REFUSED))
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        """Each header unless the view set its own: the names present are read once (Werkzeug's `setdefault`
        scans every header for each name, which cost every response ~0.1 ms)."""
        headers = response.headers
        present = {name.lower() for name, _value in headers.items()}
        added = [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in present]
        if request.is_secure and "strict-transport-security" not in present:
            added.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        if request.endpoint and not request.endpoint.startswith("static") and "cache-control" not in present:
            # A signed-in page, or a form sent back with what was typed, is never stored by the browser.
            private = request.method == "POST" or _private()  # a POST answers no-store without asking who
            added.append(("Cache-Control", "no-store" if private else "no-cache"))
        headers.extend(added)
        return response


def _private() -> bool:
    from flask_login import current_user

    return bool(current_user and current_user.is_authenticated)
