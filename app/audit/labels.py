"""What audit actions and record types are called on screen; each package registers its own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, object] = {
    "account.signup": _l("Signed up"),
    "account.login": _l("Logged in"),
    "account.login_failed": _l("Failed login"),
    "account.update": _l("Changed account details"),
    "account.password_change": _l("Changed password"),
    "account.password_reset_requested": _l("Asked for a password reset"),
    "account.create": _l("Created an account"),
    "account.activate": _l("Activated an account"),
    "account.deactivate": _l("Deactivated an account"),
    "role.grant": _l("Granted a role"),
    "role.revoke": _l("Removed a role"),
    "api_token.create": _l("Created an API token"),
    "api_token.revoke": _l("Revoked an API token"),
    "organisation.create": _l("Created an organisation"),
    "organisation.update": _l("Changed an organisation"),
    "settings.update": _l("Changed the settings"),
}

OBJECT_LABELS: dict[str, object] = {
    "users": _l("Account"),
    "api_tokens": _l("API token"),
    "organisations": _l("Organisation"),
    "settings": _l("Settings"),
}


def register_labels(actions: dict[str, object], objects: dict[str, object] | None = None) -> None:
    ACTION_LABELS.update(actions)
    OBJECT_LABELS.update(objects or {})


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def object_label(code: str) -> str:
    return str(OBJECT_LABELS.get(code, code))
