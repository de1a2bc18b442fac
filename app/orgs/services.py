"""State changes on organisations and settings; audited, committed by the caller."""

from __future__ import annotations

from app.audit.service import record, snapshot
from app.extensions import db
from app.orgs.models import Organisation, descendant_ids, get_settings, set_setting

ORG_FIELDS = ("name", "short_name", "kind", "parent_id", "admin_unit_id", "address", "email", "phone", "is_active")


def save_organisation(org: Organisation | None, data: dict) -> Organisation:
    """Create (org None) or update an organisation from cleaned form data."""
    is_new = org is None
    org = org or Organisation()
    before = None if is_new else snapshot(org, ORG_FIELDS)
    if data.get("parent_id") and org.id and data["parent_id"] in descendant_ids(org.id):
        raise ValueError("an organisation cannot belong to itself or to a body below it")
    org.set_name(data["name"], data.get("short_name") or "")
    org.kind = data["kind"]
    org.parent_id = data.get("parent_id") or None
    org.admin_unit_id = data.get("admin_unit_id") or None
    org.address = data.get("address") or ""
    org.email = (data.get("email") or "").lower()
    org.phone = data.get("phone") or ""
    org.is_active = bool(data.get("is_active", True))
    db.session.add(org)
    db.session.flush()
    record(
        "organisation.create" if is_new else "organisation.update", org, before=before, after=snapshot(org, ORG_FIELDS)
    )
    return org


def update_settings(values: dict[str, str]) -> None:
    before = get_settings()
    for key, value in values.items():
        set_setting(key, value)
    record(
        "settings.update",
        object_type="settings",
        object_id="site",
        before={k: before.get(k) for k in values},
        after=values,
    )
