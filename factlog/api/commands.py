"""What every API write shares: loading the command through its one schema, the expected version from
``If-Match``, and turning domain refusals into problem details."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import request
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields

from factlog import eventstore
from factlog.api import links
from factlog.api.auth import SECURITY, current_grant
from factlog.api.idempotency import store_key
from factlog.database import get_session
from factlog.errors import DomainError
from factlog.eventstore import ConcurrencyError
from factlog.sources.duplicates import LikelyDuplicateSource


class CommandResultSchema(Schema):
    """What a write answers: the stream's new version (send it as If-Match next time) and what was written."""

    id = fields.UUID(required=True, metadata={"description": "The claim or source the command changed."})
    version = fields.Integer(required=True)
    positions = fields.List(fields.Integer(), required=True, metadata={"description": "Positions in the log."})
    replayed = fields.Boolean(required=True, metadata={
        "description": "True when an earlier request with the same Idempotency-Key already made this change."})


def if_match_version() -> int | None:
    """The version named by ``If-Match: "3"`` (or ``3``), or None without the header."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) < 1:
        abort(400, message='If-Match must name the version you last saw, e.g. If-Match: "3"')
    return int(value)


def load_command(schema: type[Schema], **from_url: Any) -> Any:
    """The command built from the JSON body and the values the URL fixes (ids), through the one schema."""
    body = request.get_json(silent=False)  # malformed JSON: 400 from Flask
    if not isinstance(body, dict):
        abort(422, message="the request body must be a JSON object", messages={"json": {
            "_schema": ["Invalid input type."]}})
    for key, value in from_url.items():
        if key in body and str(body[key]) != str(value):
            abort(422, message=f"{key} in the body differs from the URL",
                  messages={"json": {key: ["Must match the URL."]}})
    data = {**body, **{key: str(value) for key, value in from_url.items()}}
    version = if_match_version()
    if version is not None and "expected_version" in schema().fields:
        if "expected_version" in body and body["expected_version"] != version:
            abort(422, message="If-Match and expected_version disagree",
                  messages={"json": {"expected_version": ["Must match If-Match."]}})
        data["expected_version"] = version
    with refusals():
        return schema().load(data)


@contextmanager
def refusals() -> Iterator[None]:
    """Map validation errors, version conflicts and domain rules to 422 / 409 problem details."""
    try:
        yield
    except ValidationError as error:
        abort(422, messages={"json": error.messages})
    except ConcurrencyError as error:
        abort(409, message=str(error), extra={"current_version": error.actual},
              headers={"ETag": f'"{error.actual}"'})
    except LikelyDuplicateSource as error:
        abort(409, message=error.message, extra={"candidates": [c.to_dict() for c in error.candidates]})
    except DomainError as error:
        abort(422, message=error.message,
              messages={"json": {error.field: [error.message]}} if error.field else None)


def command_result(entity_id, result) -> tuple[dict, dict]:
    """The body and headers answering a write."""
    body = {"id": entity_id, "version": result.last_version, "positions": list(result.positions),
            "replayed": result.duplicate}
    return body, {"ETag": f'"{result.last_version}"'}


def documented_write(blp, schema, *, conflict: str, status: int = 200):
    """Document a write on ``blp``: its request body (the command's one schema), its answer and errors."""
    errors = ((401, "No or unknown token."), (403, "The token or its user may not do this."), (409, conflict),
              (422, "The command is not valid, or a rule forbids it (errors says why, per field)."))

    versioned = "expected_version" in (schema() if isinstance(schema, type) else schema).fields

    def decorator(view):
        view = blp.doc(security=SECURITY, requestBody={
            "required": True, "content": {"application/json": {"schema": schema}}},
            **({"parameters": [links.IF_MATCH]} if versioned else {}))(view)
        view = blp.response(status, CommandResultSchema)(view)
        for code, description in errors:
            view = blp.alt_response(code, schema="Problem", description=description)(view)
        return view

    return decorator


def require_stream(stream_id: str, missing: str) -> None:
    """404 with ``missing`` as the message when the stream has no events."""
    if eventstore.stream_version(get_session(), stream_id) == 0:
        abort(404, message=missing)


def run_command(service, command, entity_id) -> tuple[dict, dict]:
    """Carry out a command as the token's user (with the request's Idempotency-Key) and answer it."""
    session, key = get_session(), store_key()
    with refusals():
        try:
            result = service.run(session, command, current_grant().user.actor, idempotency_key=key)
        except (ConcurrencyError, DomainError):
            # A retry racing its own first request (which the client gave up waiting for) decides against
            # the state that request just committed: a version conflict, a "likely duplicate". If the first
            # request made the change under this key, the retry answers with it instead of refusing it.
            session.rollback()
            result = eventstore.find_append(session, key) if key is not None else None
            if result is None:
                raise
    return command_result(entity_id, result)


def run_creation(service, command, entity_id) -> tuple[dict, dict]:
    """``run_command`` for a command that creates its entity under an id this request made up.

    A retry under the same Idempotency-Key that arrives before the first request's answer was kept (it timed
    out, or both ran at once) appends nothing: it must answer with the entity the first request created
    (its stream is ``<kind>-<id>``), not with the fresh id its own command was given.
    """
    body, headers = run_command(service, command, entity_id)
    if body["replayed"]:
        result = eventstore.find_append(get_session(), store_key())
        body["id"] = result.stream_id.split("-", 1)[1]
    return body, headers
