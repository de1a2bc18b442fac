"""API endpoints of the foundation; later packages declare theirs with `operation` the same way."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app, g, jsonify, request
from sqlalchemy import select

from app.api import bp
from app.api.openapi import build_document, operation, query_param, register_schema
from app.extensions import db
from app.orgs.models import AdministrativeUnit, Organisation
from app.search import where_matches
from app.text import text_key

API_VERSION = "1.0.0"

ACCOUNT = register_schema(
    "Account",
    {
        "type": "object",
        "required": ["id", "email", "full_name", "roles"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "full_name": {"type": "string"},
            "organisation_id": {"type": ["integer", "null"]},
            "roles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "role": {"type": "string"},
                        "scope_type": {"type": ["string", "null"]},
                        "scope_id": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
)
ORGANISATION = register_schema(
    "Organisation",
    {
        "type": "object",
        "required": ["id", "name", "kind"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
            "kind": {"type": "string"},
            "parent_id": {"type": ["integer", "null"]},
            "admin_unit_id": {"type": ["integer", "null"]},
        },
    },
)
UNIT = register_schema(
    "AdministrativeUnit",
    {
        "type": "object",
        "required": ["id", "code", "name", "level"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "level": {"type": "integer"},
            "parent_id": {"type": ["integer", "null"]},
            "valid_from": {"type": ["string", "null"], "format": "date"},
            "valid_to": {"type": ["string", "null"], "format": "date"},
            "successor_id": {"type": ["integer", "null"]},
        },
    },
)


@operation(bp, "/openapi.json", summary="This OpenAPI document", auth=False, tag="meta", response={"type": "object"})
def openapi_document():
    """The OpenAPI 3.1 description of every endpoint, generated from the code."""
    return jsonify(build_document(current_app, "sangtao API", API_VERSION))


@operation(bp, "/me", summary="The account the token belongs to", tag="accounts", response=ACCOUNT)
def me():
    """The token's account with its roles."""
    user = g.api_user
    return jsonify(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        organisation_id=user.organisation_id,
        roles=[asdict(grant) for grant in user.grants],  # role, scope_type, scope_id, as RoleGrant.describe()
    )


@operation(
    bp,
    "/organisations",
    summary="Organisations",
    tag="organisations",
    response={"type": "array", "items": ORGANISATION},
    query=[query_param("q", "Search in names, ignoring diacritics and case")],
)
def organisations():
    """Active organisations in Vietnamese alphabetical order."""
    query = select(Organisation).where(Organisation.is_active.is_(True))
    query = where_matches(query, Organisation.search_name, request.args.get("q"))
    orgs = sorted(db.session.scalars(query), key=lambda o: text_key(o.name))
    return jsonify(
        [
            {
                "id": o.id,
                "name": o.name,
                "short_name": o.short_name,
                "kind": o.kind,
                "parent_id": o.parent_id,
                "admin_unit_id": o.admin_unit_id,
            }
            for o in orgs
        ]
    )


@operation(
    bp,
    "/administrative-units",
    summary="Administrative units",
    tag="places",
    response={"type": "array", "items": UNIT},
    query=[query_param("level", "1 province, 2 district, 3 commune", {"type": "integer", "minimum": 1, "maximum": 3})],
)
def administrative_units():
    """Provinces, districts and communes with their validity dates and successors."""
    query = select(AdministrativeUnit).order_by(AdministrativeUnit.level, AdministrativeUnit.code)
    level = request.args.get("level", type=int)
    if level is not None and not 1 <= level <= 3:
        return jsonify([])  # no unit has that level (and PostgreSQL's integers would overflow on some)
    if level:
        query = query.where(AdministrativeUnit.level == level)
    return jsonify(
        [
            {
                "id": u.id,
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "level": u.level,
                "parent_id": u.parent_id,
                "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                "valid_to": u.valid_to.isoformat() if u.valid_to else None,
                "successor_id": u.successor_id,
            }
            for u in db.session.scalars(query)
        ]
    )
