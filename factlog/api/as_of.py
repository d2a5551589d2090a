"""``?as_of=`` / ``?as_of_position=`` on the API's read views: documented here, checked by
``factlog.as_of_query`` (a 400 with a message per field), answered by the as-of queries (docs/as-of.md)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, request
from flask_smorest import abort
from marshmallow import ValidationError

from factlog import as_of_query
from factlog.database import get_session
from factlog.readmodels import as_of

AS_OF_400 = ("A moment factlog cannot answer as of: not a time or position, both given, no such position, or "
             "more events after it than a view re-folds (FACTLOG_AS_OF_MAX_EVENTS).")


AsOfQuery = as_of_query.AsOfFields


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


def said(response: Response, moment: as_of.Moment) -> Response:
    """The response with the moment it answers as of in its headers (the documents keep their schema)."""
    response.headers["Factlog-As-Of-Position"] = str(moment.position)
    response.headers["Factlog-As-Of"] = moment.describe()
    return response
