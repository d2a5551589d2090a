"""Fixtures the integration tests share (the app, its database and clients are in tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.support.web import make_user, sign_in


@pytest.fixture
def editor(client, db):
    """The test client, signed in as an editor."""
    sign_in(client, make_user(db, "editor"))
    return client
