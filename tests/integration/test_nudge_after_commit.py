"""Writes nudge the projection workers after their commit, and only then."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

from factlog import create_app, sources
from factlog.database import get_database
from factlog.projections.nudge import CATCH_UP_TASK, task_client
from factlog.sources.commands import RegisterSource


def queued(broker_path) -> list[str]:
    if not broker_path.exists():
        return []
    with sqlite3.connect(broker_path) as broker:
        return [payload for (payload,) in broker.execute("SELECT payload FROM kombu_message")]


@pytest.fixture
def nudging_app(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"})
    yield app, tmp_path / "broker.sqlite"
    get_database(app).dispose()


def test_a_committed_append_sends_one_catch_up_nudge(nudging_app):
    app, broker = nudging_app
    with get_database(app).session() as session:
        sources.run(session, RegisterSource(uuid.uuid4(), "outlet", "Reuters"), "ed@example.org")
    assert task_client(app).flush(5)
    assert [CATCH_UP_TASK in payload for payload in queued(broker)] == [True]


def test_a_rolled_back_append_sends_nothing(nudging_app):
    app, broker = nudging_app
    with get_database(app).session() as session:
        sources.handle(session, RegisterSource(uuid.uuid4(), "outlet", "Reuters"), "ed@example.org")
        session.rollback()
        session.commit()
    assert "factlog.task_client" not in app.extensions or task_client(app).flush(5)
    assert queued(broker) == []
