"""Find the PostgreSQL and Redis servers the integration tests use, or explain why a test is skipped.

With ``FACTLOG_REQUIRE_SERVICES=1`` (CI sets it) a missing server fails the test instead of skipping it.
"""
from __future__ import annotations

import os
import socket
from functools import cache
from urllib.parse import urlsplit

import pytest

POSTGRES_URL = os.environ.get("FACTLOG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("FACTLOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("FACTLOG_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


@cache
def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def require(name: str, url: str) -> None:
    """Skip (or, in CI, fail) the calling test when the server behind ``url`` does not answer."""
    if _reachable(url):
        return
    message = f"{name} is not reachable at {urlsplit(url).netloc}; start it to run this test"
    if services_required():
        pytest.fail(message + " (FACTLOG_REQUIRE_SERVICES is set)")
    pytest.skip(message)
