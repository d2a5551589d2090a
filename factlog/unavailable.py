"""When the database cannot be reached (restarting, failing over, out of connections), answer 503 with
``Retry-After`` instead of a 500: the request did nothing the client cannot safely retry (with the same
Idempotency-Key for an API write, which may have been committed just before the connection dropped)."""
from __future__ import annotations

import logging

from flask import Flask, Response, request
from sqlalchemy import exc

from factlog.api.errors import problem, wants_problem

RETRY_AFTER_SECONDS = 2
MESSAGE = "the database is unavailable right now; try again in a few seconds"

log = logging.getLogger(__name__)


# No connection, a connection lost mid-statement, a server shutting down, or no free pooled connection.
# (Statements the database refuses, such as a broken constraint, are IntegrityError or ProgrammingError.)
UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def init_app(app: Flask) -> None:
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, _database_unavailable)


def _database_unavailable(error: exc.SQLAlchemyError):
    log.warning("database unavailable during %s %s: %s", request.method, request.path,
                str(getattr(error, "orig", None) or error).splitlines()[0][:300])
    if wants_problem():
        response = problem(503, MESSAGE, slug="database-unavailable")
    else:
        response = Response(MESSAGE[0].upper() + MESSAGE[1:] + ".\n", status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
