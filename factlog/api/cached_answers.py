"""A cached page answered before Flask sees the request: the same checks, one round trip, a fraction of the
CPU.

A request for a page the page cache holds (factlog/api/page_cache.py) needs three things settled: the bearer
token is live and may read, the projection has not moved since the page was built, and the answer carries
what every answer carries. Through Flask that cost two round trips and ~1.6-2.0 ms of CPU per request (the
request context, routing, flask-smorest's decorators, the session), while the work itself is a dictionary
lookup: under 32 clients on two cores the server topped out near 600 pages/s. Here the token and the
projection's mark come back from one indexed query on a pooled connection, and the cached body goes out
with the headers Flask would have sent (the security headers, ETag, X-Request-ID), an access-log line and
the request's latency metric, as for any other request.

Anything else goes to Flask, which answers it as before (and serves cache hits itself where it can): a
request with a body, a conditional one (``If-None-Match``: Flask answers 304), an unknown, revoked or
read-less token (Flask gives the 401 or 403), a token whose last use is due to be stamped (once a minute),
a projection that has moved (Flask rebuilds the page), a database that fails (Flask gives the 503). Every
cached page comes from a view that needs the read permission (``serves_cached``); the shortcut asks for
nothing less.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import Flask

from factlog import logs, metrics, security_headers
from factlog.accounts import tokens
from factlog.api.page_cache import Entry, PageCache
from factlog.database import Database
from factlog.hot_statements import HotStatement
from factlog.projections.tables import projection_checkpoints

PERMISSION = "read"  # what every view with cached pages requires
MARK_COLUMNS = 3  # the projection's mark: the columns _grant_and_mark_query adds, last in the row


def _grant_and_mark_query() -> sa.Select:
    """The live token's grant (as ``tokens.grant_query``) and the named projection's mark, in one row."""
    c = projection_checkpoints
    return (tokens.grant_query()
            .outerjoin(c, c.c.name == sa.bindparam("projection"))
            .add_columns(c.c.position, c.c.version, c.c.started_at))


_GRANT_AND_MARK = HotStatement(_grant_and_mark_query)


def request_key(environ: dict) -> str:
    """The page cache's key for this request: Flask's ``request.full_path``, from the WSGI environ."""
    path = environ.get("PATH_INFO") or ""
    path = "/" + path.encode("latin1").decode(errors="replace").lstrip("/")
    return f"{path}?{environ.get('QUERY_STRING', '').encode('latin1').decode()}"


class CachedAnswers:
    """WSGI middleware in front of the Flask app: answers current page-cache hits itself."""

    def __init__(self, wsgi_app: Callable, cache: PageCache, database: Database):
        self.wsgi_app, self.cache, self.database = wsgi_app, cache, database
        self.headers = security_headers.api_headers()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET":
            answer = self._answer(environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self.wsgi_app(environ, start_response)

    def _answer(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes] | None:
        started = time.perf_counter()
        scheme, _, secret = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        secret = secret.strip()
        if (scheme.lower() != "bearer" or not secret or environ.get("HTTP_IF_NONE_MATCH")
                or environ.get("CONTENT_LENGTH", "0") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in environ):
            return None
        try:
            key = request_key(environ)
        except UnicodeDecodeError:
            return None
        entry = self.cache.entry(key)
        if entry is None or entry.etag_header is None:  # kept without a request: nothing to answer with
            return None
        grant = self._current_grant(secret, entry)
        if grant is None:
            return None
        self.cache.hit(key, entry)
        request_id = logs.request_id_for(environ.get("HTTP_X_REQUEST_ID"))
        body = entry.page.body
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                   ("ETag", entry.etag_header), (logs.REQUEST_ID_HEADER, request_id), *self.headers]
        seconds = time.perf_counter() - started
        metrics.observe_request("GET", entry.route, 200, seconds)
        logs.log_access("GET", key.partition("?")[0], 200, seconds, request_id, grant.user.email)
        return "200 OK", headers, body

    def _current_grant(self, secret: str, entry: Entry) -> tokens.Grant | None:
        """The token's grant if it may read without a stamp due and ``entry`` is still current; else None."""
        try:
            with self.database.read_engine.connect() as connection:
                row = _GRANT_AND_MARK.first_on(connection, {"token_hash": tokens.token_hash(secret),
                                                            "projection": entry.projection})
        except sa.exc.SQLAlchemyError:
            return None  # Flask meets the same failure and answers it (503 for an unreachable database)
        if row is None or tuple(row[-MARK_COLUMNS:]) != entry.mark:
            return None
        grant, stamp_due = tokens.grant_from_row(row[:-MARK_COLUMNS])
        if stamp_due or not grant.can(PERMISSION):
            return None
        return grant


def init_app(app: Flask, cache: PageCache, database: Database) -> None:
    """Put the shortcut in front of the app (outermost: it needs nothing a middleware would add)."""
    if cache.max_bytes > 0:
        app.wsgi_app = CachedAnswers(app.wsgi_app, cache, database)
