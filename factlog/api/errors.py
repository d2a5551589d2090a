"""Errors as RFC 9457 problem details: ``{"type", "title", "status", "detail", "errors"}``."""
from __future__ import annotations

from flask import Response, json, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "https://factlog.example/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ProblemSchema(Schema):
    """The body of every API error."""

    type = fields.String(metadata={"description": "A URI naming the kind of problem."})
    title = fields.String(metadata={"description": "The HTTP status' short text."})
    status = fields.Integer()
    detail = fields.String(metadata={"description": "What went wrong, for a person."})
    errors = fields.Dict(metadata={"description": "Per-field messages (422), keyed by location and field."})
    current_version = fields.Integer(metadata={"description": "The stream's version, on a 409 conflict."})
    candidates = fields.List(fields.Dict(), metadata={"description": (
        "Likely duplicates, on a 409 for a source: id, name, kind, matched_name, match (same name, initials or "
        "spelling), score (0-100) and why, in words.")})


def problem(status: int, detail: str, *, title: str | None = None, slug: str | None = None,
            **extra) -> Response:
    """A problem-details response."""
    body = {
        "type": PROBLEM_TYPE + (slug or str(status)),
        "title": title or _title(status),
        "status": status,
        "detail": detail,
        **{key: value for key, value in extra.items() if value is not None},
    }
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)


def _title(status: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(status, "Error")


def http_exception_as_problem(error: HTTPException) -> Response:
    """Turn an HTTPException raised under /api into problem details (webargs' 422s carry per-field errors)."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    detail = data.get("message")
    if detail is None:
        detail = ("the request is not valid; see errors for each field" if messages is not None
                  else error.description or _title(error.code or 500))
    headers = getattr(error, "data", {}).get("headers") if isinstance(getattr(error, "data", None), dict) else None
    response = problem(error.code or 500, detail, errors=messages, **data.get("extra", {}))
    if headers:
        response.headers.update(headers)
    return response


def wants_problem() -> bool:
    return request.path.startswith("/api/")
