"""Every API operation is declared once with `operation`; the OpenAPI document is built from those
declarations and the URL map, so it cannot drift from the code (a test checks no /api/ route escapes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, abort, g, jsonify, request
from werkzeug.routing import Rule

from app.reads import autocommit_session
from app.timefmt import utcnow
from app.urls import MAX_ID

#: Shared JSON schemas; domain packages add theirs with `register_schema`.
SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "title", "message"],
                "properties": {
                    "code": {"type": "integer"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                },
            }
        },
    }
}


@dataclass
class Operation:
    endpoint: str
    method: str
    summary: str
    description: str = ""
    tag: str = "general"
    auth: bool = True
    capability: str | None = None
    response: dict[str, Any] = field(default_factory=lambda: {"type": "object"})
    query: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    errors: dict[int, str] = field(default_factory=dict)


OPERATIONS: dict[tuple[str, str], Operation] = {}


def register_schema(name: str, schema: dict[str, Any]) -> dict[str, str]:
    """Add a named schema to the document and return a `$ref` to it."""
    SCHEMAS[name] = schema
    return ref(name)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def query_param(name: str, description: str, schema: dict | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def operation(
    bp: Blueprint,
    rule: str,
    *,
    summary: str,
    methods: tuple[str, ...] = ("GET",),
    description: str = "",
    tag: str = "general",
    auth: bool = True,
    capability: str | None = None,
    response: dict[str, Any] | None = None,
    query: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    errors: dict[int, str] | None = None,
    autocommit: bool = False,
) -> Callable:
    """Route an API view and declare it for the OpenAPI document in one step.

    With `auth` the caller must send `Authorization: Bearer <token>`; with `capability` the token's
    account must also hold it (403 otherwise). The view finds the account in `g.api_user` (an
    `app.accounts.models.ApiAccount`: plain values and `can`, not a `User` record). `body` is the JSON schema of
    the request body; `errors` maps the other status codes the view answers (with the Error body) to what they
    mean. 404 (for paths with parameters) and 400 (for query parameters or a body) are declared anyway.
    `autocommit`: the request runs without a transaction on PostgreSQL (`app.reads.autocommit_session`), from the
    token's read on; only for a view whose every write is one statement that stands alone.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            if auth:
                _authenticate(capability, autocommit=autocommit)
            elif autocommit:
                autocommit_session()
            return view(*args, **kwargs)

        endpoint = f"{bp.name}.{view.__name__}"
        for method in methods:
            OPERATIONS[(endpoint, method)] = Operation(
                endpoint=endpoint,
                method=method,
                summary=summary,
                description=description or (view.__doc__ or "").strip(),
                tag=tag,
                auth=auth,
                capability=capability,
                response=response or {"type": "object"},
                query=query or [],
                body=body,
                errors=errors or {},
            )
        bp.add_url_rule(rule, view_func=wrapped, methods=list(methods))
        return wrapped

    return decorator


def _authenticate(capability: str | None, *, autocommit: bool = False) -> None:
    """The token's account in `g.api_user`, or 401 (403 without `capability`); with `autocommit`, the request's
    session runs without a transaction from the token's read on (no connection is taken for a request that sends
    no token)."""
    from sqlalchemy import update

    from app.accounts.models import ApiToken
    from app.extensions import db

    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    sent = scheme.lower() == "bearer" and raw.strip()
    if sent and autocommit:
        autocommit_session()
    account = ApiToken.find_active(raw.strip()) if sent else None
    if account is None:
        response = jsonify(
            error={
                "code": 401,
                "title": "Unauthorized",
                "message": "Send a valid API token as 'Authorization: Bearer <token>'.",
            }
        )
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="sangtao"'
        abort(response)
    now = utcnow()
    if account.token_last_used_at is None or now - account.token_last_used_at > timedelta(minutes=5):
        # at most one write every five minutes per token
        db.session.execute(update(ApiToken).where(ApiToken.id == account.token_id).values(last_used_at=now))
        db.session.commit()
    g.api_user = account
    if capability and not account.can(capability):
        abort(403)


_CONVERTER = re.compile(r"<(?:(?P<conv>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
_TYPES = {"int": {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "float": {"type": "number"}}


def _openapi_path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    params: list[dict[str, Any]] = []

    def repl(match: re.Match) -> str:
        params.append(
            {
                "name": match["name"],
                "in": "path",
                "required": True,
                "schema": _TYPES.get(match["conv"] or "", {"type": "string"}),
            }
        )
        return "{" + match["name"] + "}"

    return _CONVERTER.sub(repl, rule.rule), params


def build_document(app: Flask, title: str, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared operation, at the paths the URL map really serves."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op = OPERATIONS.get((rule.endpoint, method))
            if op is None:
                continue
            path, params = _openapi_path(rule)
            responses: dict[str, Any] = {
                "200": {"description": "OK", "content": {"application/json": {"schema": op.response}}}
            }
            if op.auth:
                responses["401"] = {
                    "description": "Missing or invalid token",
                    "content": {"application/json": {"schema": ref("Error")}},
                }
            errors = dict(op.errors)
            if op.capability:
                errors.setdefault(403, f"The account lacks the '{op.capability}' capability")
            if params:
                errors.setdefault(404, "No such record")
            if op.query or op.body is not None:
                errors.setdefault(400, "The request is not valid")
            for code, meaning in sorted(errors.items()):
                responses[str(code)] = {
                    "description": meaning,
                    "content": {"application/json": {"schema": ref("Error")}},
                }
            entry: dict[str, Any] = {
                "operationId": op.endpoint.replace(".", "_"),
                "summary": op.summary,
                "tags": [op.tag],
                "parameters": params + op.query,
                "responses": responses,
            }
            if op.description:
                entry["description"] = op.description
            if op.body is not None:
                entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
            if not op.auth:
                entry["security"] = []
            paths.setdefault(path, {})[method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    }
