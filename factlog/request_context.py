"""The id of the request (or CLI run) being served, so that events and log lines can be traced back to it.

The web layer sets it for each request, the CLI for each run; the domain reads it when it records events,
without knowing about Flask.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# What a client may send as X-Request-ID: short, printable, no spaces (it goes into logs and the log).
ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,127}$")

_request_id: ContextVar[str | None] = ContextVar("factlog_request_id", default=None)


def new_request_id(prefix: str = "") -> str:
    """A fresh id, e.g. ``cli:5b0c…``; ``prefix`` says where it came from."""
    return f"{prefix}{uuid.uuid4().hex}"


def acceptable(request_id: str | None) -> bool:
    return bool(request_id) and ACCEPTABLE_REQUEST_ID.match(request_id) is not None


def current_request_id() -> str | None:
    """The id set by the innermost ``using_request_id`` (or ``set_request_id``) of this context, if any."""
    return _request_id.get()


def set_request_id(request_id: str | None):
    """Set the id for this context; returns the token to pass to ``reset_request_id``."""
    return _request_id.set(request_id)


def reset_request_id(token) -> None:
    _request_id.reset(token)


@contextmanager
def using_request_id(request_id: str) -> Iterator[str]:
    """Within the block, events recorded and lines logged carry ``request_id``."""
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)
