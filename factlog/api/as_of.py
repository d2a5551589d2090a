"""``?as_of=`` / ``?as_of_position=`` on the API's read views: documented here, checked by
``factlog.as_of_query`` (a 400 with a message per field), answered by the as-of queries (docs/as-of.md)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields

from factlog import as_of_query
from factlog.database import get_session
from factlog.readmodels import as_of

AS_OF_400 = ("A moment factlog cannot answer as of: not a time or position, both given, no such position, or "
             "more events after it than a view re-folds (FACTLOG_AS_OF_MAX_EVENTS).")


class AsOfQuery(Schema):
    """The two parameters, documented; their values are checked by ``requested`` (400, not 422: the moment
    is refused as a whole, with the reason)."""

    as_of = fields.Raw(metadata={"type": "string", "format": "date-time", "description": (
        "Answer as of this time (ISO 8601, e.g. 2024-11-28T12:00Z; UTC when no zone is given): the log up to "
        "the last event recorded at or before it, in log order. See docs/as-of.md.")})
    as_of_position = fields.Raw(metadata={"type": "integer", "minimum": 0, "description": (
        "Answer as of this log position: the event at it and everything before it in log order. "
        "Give as_of or as_of_position, not both.")})


def without_moment(args: dict[str, Any]) -> dict[str, Any]:
    """A view's other query arguments."""
    return {name: value for name, value in args.items() if name not in as_of_query.NAMES}


def requested(projections: Iterable[str]) -> as_of.Past | None:
    """The moment this request asks for, ready for views over these projections (None: now); aborts 400."""
    try:
        args = as_of_query.load_args(request.args)
        return as_of_query.past(get_session(), args, projections)
    except ValidationError as error:
        abort(400, message="as_of or as_of_position is not valid; see errors", messages={"query": error.messages})
    except as_of.AsOfError as error:
        abort(400, message=error.message, messages={"query": {error.field: [error.message]}})


def requested_moment() -> as_of.Moment | None:
    """The moment alone (a view that reads one claim's stream needs no read model); aborts 400."""
    try:
        return as_of_query.moment(get_session(), as_of_query.load_args(request.args))
    except ValidationError as error:
        abort(400, message="as_of or as_of_position is not valid; see errors", messages={"query": error.messages})
    except as_of.AsOfError as error:
        abort(400, message=error.message, messages={"query": {error.field: [error.message]}})


def described(moment: as_of.Moment) -> dict[str, Any]:
    """What a response says of the moment it answers as of."""
    return {"position": moment.position, "recorded_at": moment.recorded_at, "asked_time": moment.asked_time,
            "described": moment.describe()}


class AsOfOut(Schema):
    position = fields.Integer(metadata={"description": "The last event included, in log order (0: none)."})
    recorded_at = fields.DateTime(allow_none=True, metadata={"description": "When that event was recorded."})
    asked_time = fields.DateTime(allow_none=True, metadata={"description": "The time asked for, if any."})
    described = fields.String(metadata={"description": "The moment in words, as the pages' banner says it."})
