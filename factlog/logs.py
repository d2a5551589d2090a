"""Structured logs: one JSON object per line (or readable text), and one line per request.

Every line logged while a request (or a CLI run) is being served carries its ``request_id``, the same id
that lands in the metadata of the events it records. ``FACTLOG_LOG_FORMAT`` chooses ``json`` (default) or
``text``; ``FACTLOG_LOG_LEVEL`` the level (default INFO).
"""
from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

from factlog import request_context

ACCESS_LOGGER = "factlog.access"
REQUEST_ID_HEADER = "X-Request-ID"
_HANDLER_MARK = "_factlog_handler"

access_log = logging.getLogger(ACCESS_LOGGER)


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _fields(record: logging.LogRecord) -> dict:
    """The structured fields of a line: ``extra={"fields": {...}}``, plus the current request id."""
    fields = dict(getattr(record, "fields", None) or {})
    request_id = request_context.current_request_id()
    if request_id is not None:
        fields.setdefault("request_id", request_id)
    return fields


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": _timestamp(record), "level": record.levelname.lower(), "logger": record.name,
                 "message": record.getMessage()}
        entry.update(_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value ...`` for people reading a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        line = f"{_timestamp(record)} {record.levelname:<7} {record.name}: {record.getMessage()}"
        line += f" {fields}" if fields else ""
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def make_formatter(log_format: str) -> logging.Formatter:
    return TextFormatter() if log_format == "text" else JsonFormatter()


def configure(log_format: str = "json", level: str = "INFO", *, force: bool = False) -> None:
    """Send every logger's lines to stderr in ``log_format``.

    Leaves logging alone when something else (a test runner, an embedding program) already configured the
    root logger, unless ``force``.
    """
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if getattr(handler, _HANDLER_MARK, False)]
    if root.handlers and not ours and not force:
        return
    for handler in ours:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper())


def init_app(app: Flask) -> None:
    """Give each request an id (``X-Request-ID``, accepted or generated) and log one line when it ends."""
    if not app.testing:
        configure(app.config.get("LOG_FORMAT", "json"), app.config.get("LOG_LEVEL", "INFO"))
    app.before_request(_start_request)
    app.after_request(_log_request)
    app.teardown_request(_end_request)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
    g.request_id_token = request_context.set_request_id(g.request_id)


def _log_request(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a request that failed before before_request ran
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    log_access(request.method, request.path, response.status_code, time.perf_counter() - g.request_started,
               request_id, current_user())
    return response


def log_access(method: str, path: str, status: int, seconds: float, request_id: str, user: str | None) -> None:
    """The one line each answered request leaves in the access log."""
    duration_ms = round(seconds * 1000, 2)
    access_log.info("%s %s %s %sms", method, path, status, duration_ms,
                    extra={"fields": {"method": method, "path": path, "status": status,
                                      "duration_ms": duration_ms, "request_id": request_id, "user": user}})


def request_id_for(offered: str | None) -> str:
    """The id a request is served under: the one the client sent (X-Request-ID) if acceptable, else a new one."""
    return offered if request_context.acceptable(offered) else request_context.new_request_id()


def _end_request(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        request_context.reset_request_id(token)


def current_user() -> str | None:
    """Who made the request: the API token's user, or the signed-in user of the web pages."""
    grant = g.get("api_grant")
    if grant is not None:
        return grant.user.email
    user = g.get("user")
    return getattr(user, "email", None) if user is not None else None
