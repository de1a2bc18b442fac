"""Published results as JSON, under /api/results/: public data, so no token is asked. The body of a version is its
stored canonical payload byte for byte, so that its SHA-256 (also sent as the ETag) is the hash shown on the
results page.

A blueprint of its own (the /api prefix of the foundation's API blueprint, which results does not touch),
registered on the application when the results blueprint is; its operations are declared with
`app.api.openapi.operation` like every other API route."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from app.api.openapi import operation, register_schema
from app.extensions import csrf
from results.models import Publication
from results.services.publication import latest_publication, publication_version, versions
from results.snapshot import FORMAT, iso_datetime

api_bp = Blueprint("results_api", __name__, url_prefix="/api/results")
csrf.exempt(api_bp)

_DECIMAL = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}
_TEXT = {"type": "string"}

RESULTS = register_schema(
    "PublishedResults",
    {
        "type": "object",
        "description": (
            "A published version of an edition's results (format "
            f"{FORMAT!r}): canonical JSON (keys sorted, no spaces, UTF-8 in NFC, decimals as strings to 0.01, "
            "times in ISO 8601 UTC). Its SHA-256 is the published content hash."
        ),
        "required": [
            "format",
            "version",
            "published_at",
            "change_note",
            "contest",
            "decision",
            "ranking",
            "normalisation",
            "fields",
            "tiers",
            "entries",
            "awards",
        ],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": 1},
            "published_at": {"type": "string", "format": "date-time"},
            "change_note": _TEXT,
            "contest": {
                "type": "object",
                "required": ["id", "name", "kind", "year", "organisation"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": _TEXT,
                    "kind": _TEXT,
                    "year": {"type": "integer"},
                    "number": {"type": ["integer", "null"]},
                    "level": _TEXT,
                    "organisation": _TEXT,
                },
            },
            "decision": {
                "type": ["object", "null"],
                "required": ["number", "signed_on", "signer"],
                "properties": {
                    "number": _TEXT,
                    "signed_on": {"type": "string", "format": "date"},
                    "signer": _TEXT,
                    "signer_title": _TEXT,
                },
            },
            "ranking": {
                "type": "object",
                "required": ["round", "scope", "criteria", "tie_break", "board_decisions"],
                "properties": {
                    "round": {
                        "type": "object",
                        "properties": {"id": {"type": "integer"}, "name": _TEXT, "kind": _TEXT},
                    },
                    "scope": {"enum": ["field", "overall", "age_group"]},
                    "criteria": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "name", "max_points"],
                            "properties": {"key": _TEXT, "name": _TEXT, "max_points": _DECIMAL},
                        },
                    },
                    "tie_break": {
                        "type": "array",
                        "description": "Links compared in order when scores are equal: a criterion's mean score "
                        "(higher first), then 'board', the Organising Board's recorded decision.",
                        "items": {
                            "type": "object",
                            "required": ["key", "criterion"],
                            "properties": {"key": _TEXT, "criterion": {"type": ["string", "null"]}},
                        },
                    },
                    "board_decisions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"entries": {"type": "array", "items": _TEXT}, "reason": _TEXT},
                        },
                    },
                },
            },
            "normalisation": {
                "type": "object",
                "required": ["method", "normalise", "min_sheets", "judges"],
                "properties": {
                    "method": _TEXT,
                    "normalise": {"type": "boolean"},
                    "min_sheets": {"type": "integer"},
                    "divergence_threshold": _DECIMAL,
                    "judges": {
                        "type": "array",
                        "description": "Judges by number only (Giám khảo 1..n), never by name.",
                        "items": {
                            "type": "object",
                            "required": ["judge", "sheets", "mean", "spread", "normalised"],
                            "properties": {
                                "judge": {"type": "integer"},
                                "sheets": {"type": "integer"},
                                "mean": _DECIMAL,
                                "spread": _DECIMAL,
                                "normalised": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
            "fields": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "code", "name"],
                    "properties": {"id": {"type": "integer"}, "code": _TEXT, "name": _TEXT},
                },
            },
            "tiers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["code", "name", "special"],
                    "properties": {
                        "code": _TEXT,
                        "name": _TEXT,
                        "special": {"type": "boolean"},
                        "quota": {"type": ["integer", "null"]},
                        "min_score": _DECIMAL,
                        "rule": {"type": ["string", "null"]},
                    },
                },
            },
            "entries": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "code", "title", "field_id", "authors", "score", "rank"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "integer"},
                        "code": _TEXT,
                        "title": _TEXT,
                        "field_id": {"type": ["integer", "null"]},
                        "age_group": _TEXT,
                        "unit": _TEXT,
                        "authors": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name", "unit", "locality"],
                                "additionalProperties": False,
                                "properties": {"name": _TEXT, "unit": _TEXT, "locality": _TEXT},
                            },
                        },
                        "score": _DECIMAL,
                        "raw": _DECIMAL,
                        "normalised": _DECIMAL,
                        "rank": {"type": ["integer", "null"]},
                        "tied": {"type": "boolean"},
                        "judges": {"type": "integer"},
                        "criteria": {"type": "object", "additionalProperties": _DECIMAL},
                    },
                },
            },
            "awards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["entry_id", "code", "tier", "name", "special"],
                    "description": "An award to an entry, to one of its authors (`person`), or a special prize to "
                    "a unit: then `entry_id` is null, `code` empty and `unit` holds the unit's name (the key exists "
                    "only on a unit's prize).",
                    "properties": {
                        "entry_id": {"type": ["integer", "null"]},
                        "code": _TEXT,
                        "tier": _TEXT,
                        "name": _TEXT,
                        "special": {"type": "boolean"},
                        "rank": {"type": ["integer", "null"]},
                        "score": _DECIMAL,
                        "source": {"enum": ["rule", "manual"]},
                        "person": _TEXT,
                        "unit": _TEXT,
                    },
                },
            },
        },
    },
)

VERSION = register_schema(
    "ResultVersion",
    {
        "type": "object",
        "required": ["version", "published_at", "content_hash", "change_note", "url"],
        "properties": {
            "version": {"type": "integer"},
            "published_at": {"type": "string", "format": "date-time"},
            "content_hash": {"type": "string", "description": "SHA-256 of the version's JSON, in hex"},
            "change_note": _TEXT,
            "url": {"type": "string"},
        },
    },
)


def _payload(publication: Publication | None, *, latest: bool) -> Response:
    if publication is None:
        response = jsonify(
            error={"code": 404, "title": "Not Found", "message": "No results of this edition are published."}
        )
        response.status_code = 404
        return response
    response = Response(publication.payload, mimetype="application/json")
    response.set_etag(publication.content_hash)
    # A version never changes; the latest may be replaced by a correction.
    response.cache_control.public = True
    response.cache_control.max_age = 300 if latest else 86400
    return response.make_conditional(request)


@operation(
    api_bp,
    "/<int:contest_id>",
    summary="An edition's published results (latest version)",
    auth=False,
    tag="results",
    response=RESULTS,
)
def latest(contest_id: int):
    """The latest published version of the edition's results; 404 before the first publication. The body is the
    published canonical JSON: its SHA-256 (also the ETag) is the hash shown on the results page."""
    return _payload(latest_publication(contest_id), latest=True)


@operation(
    api_bp,
    "/<int:contest_id>/v/<int:version>",
    summary="One published version of an edition's results",
    auth=False,
    tag="results",
    response=RESULTS,
)
def version(contest_id: int, version: int):
    """A published version, earlier ones included (they stay readable after a correction)."""
    return _payload(publication_version(contest_id, version), latest=False)


@operation(
    api_bp,
    "/<int:contest_id>/versions",
    summary="The published versions of an edition's results",
    auth=False,
    tag="results",
    response={"type": "array", "items": VERSION},
)
def version_list(contest_id: int):
    """Every published version, newest first, with its time, hash and change note (empty list before the
    first publication)."""
    return jsonify(
        [
            {
                "version": p.version,
                "published_at": iso_datetime(p.published_at),
                "content_hash": p.content_hash,
                "change_note": p.change_note,
                "url": url_for("results_api.version", contest_id=contest_id, version=p.version),
            }
            for p in versions(contest_id)
        ]
    )


def init_app(state) -> None:
    """Register the API blueprint on the application the results blueprint is registered on."""
    state.app.register_blueprint(api_bp)
