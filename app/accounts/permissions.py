"""One decorator checks a named capability, optionally for a record found from the view's arguments."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_babel import get_locale
from flask_login import current_user

from app.accounts.roles import CAPABILITIES
from app.extensions import login_manager


def require(capability: str, scope: Callable[..., Any] | None = None):
    """Let the view run only for a signed-in account holding `capability`.

    Anonymous visitors go to the login page; others without the capability get 403. `scope`, when
    given, receives the view's keyword arguments and returns the record the capability must hold for. The
    request's language is settled before the view runs.
    """
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            target = scope(**kwargs) if scope is not None else None
            if not current_user.can(capability, target):
                abort(403)
            # The request's language, settled while the account is as read: settled later, at a message after a
            # commit (which expires the account), it would read the account again only to learn its language.
            get_locale()
            return view(*args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
