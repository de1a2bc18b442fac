"""The two decorators of signed-in pages: `login_required` (any account) and `require` (a named capability,
optionally for a record found from the view's arguments). Both settle the request's language before the view runs
(`language_settled`, which other decorators of signed-in pages use too).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import flask_login
from flask import abort
from flask_babel import get_locale
from flask_login import current_user

from app.accounts.roles import CAPABILITIES
from app.extensions import login_manager


def language_settled(view: Callable) -> Callable:
    """`view`, the request's language settled before it runs, while the signed-in account is as read: settled
    later, at a message after a commit (which expires the account), it would read the account again only to learn
    its language."""

    @wraps(view)
    def settled(*args: Any, **kwargs: Any):
        get_locale()
        return view(*args, **kwargs)

    return settled


def login_required(view: Callable) -> Callable:
    """Flask-Login's `login_required` (anonymous visitors go to the login page), the language settled."""
    return flask_login.login_required(language_settled(view))


def require(capability: str, scope: Callable[..., Any] | None = None):
    """Let the view run only for a signed-in account holding `capability`, the language settled.

    Anonymous visitors go to the login page; others without the capability get 403. `scope`, when
    given, receives the view's keyword arguments and returns the record the capability must hold for.
    """
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def decorator(view: Callable) -> Callable:
        run = language_settled(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            target = scope(**kwargs) if scope is not None else None
            if not current_user.can(capability, target):
                abort(403)
            return run(*args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
