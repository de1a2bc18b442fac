"""Friendly error pages (HTML) and JSON errors for the API, for 400, 403, 404, 413, 429 and 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("Your account does not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has been moved.")),
    405: (_l("Method not allowed"), _l("This action is not allowed on this page.")),
    413: (_l("File too large"), _l("The file you sent is larger than allowed. Please choose a smaller file.")),
    429: (
        _l("Too many attempts"),
        _l("You have tried too many times in a short while. Please wait a moment and try again."),
    ),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged; please try again.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        return jsonify(error={"code": code, "title": str(title), "message": detail or str(message)}), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(400, str(_l("The form has expired. Please reload the page and submit it again.")))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        app.logger.exception("unhandled error on %s", request.path)
        return render_error(InternalServerError.code)
