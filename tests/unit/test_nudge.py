"""Nudging the workers after a commit: by task name, never raising, quick when the broker is down."""
from __future__ import annotations

import logging
import sqlite3
import time

from flask import Flask

from factlog.projections.nudge import CATCH_UP_TASK, broker_settings, nudge_projections, task_client


def app_with_broker(url: str, queue: str = "factlog") -> Flask:
    app = Flask(__name__)
    app.config.update(BROKER_URL=url, TASK_QUEUE=queue)
    return app


def test_a_burst_of_nudges_sends_the_catch_up_task_by_name_a_few_times_to_the_configured_queue(tmp_path):
    app = app_with_broker(f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}", queue="nudge-test")
    started = time.monotonic()
    for _ in range(50):
        assert nudge_projections(app) is True
    assert time.monotonic() - started < 0.5  # no write waits on the broker
    assert task_client(app).flush(5)
    with sqlite3.connect(tmp_path / "broker.sqlite") as broker:
        sent = broker.execute(
            "SELECT q.name, m.payload FROM kombu_message m JOIN kombu_queue q ON q.id = m.queue_id").fetchall()
    assert 1 <= len(sent) <= 3
    assert all(queue == "nudge-test" and CATCH_UP_TASK in payload for queue, payload in sent)


def test_without_an_app_a_nudge_is_a_no_op():
    assert nudge_projections() is False


def test_a_sent_task_names_its_queue(tmp_path):
    app = app_with_broker(f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}", queue="nudge-test")
    assert task_client(app).send(CATCH_UP_TASK) is True
    with sqlite3.connect(tmp_path / "broker.sqlite") as broker:
        (queue, payload), = broker.execute(
            "SELECT q.name, m.payload FROM kombu_message m JOIN kombu_queue q ON q.id = m.queue_id").fetchall()
    assert queue == "nudge-test" and CATCH_UP_TASK in payload


def test_a_dead_broker_is_logged_not_raised_and_does_not_stall_the_writer(caplog):
    app = app_with_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="factlog.projections.nudge"):
        assert task_client(app).send(CATCH_UP_TASK) is False
        assert task_client(app).send(CATCH_UP_TASK) is False  # skipped while the broker is known to be down
        nudge_projections(app)
        assert task_client(app).flush(5)
    assert time.monotonic() - started < 3
    assert len(caplog.records) == 1 and "periodic catch-up" in caplog.records[0].getMessage()


def test_the_client_is_built_on_first_use_and_kept_on_the_app(tmp_path):
    app = app_with_broker(f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}")
    assert "factlog.task_client" not in app.extensions
    assert task_client(app) is task_client(app)


def test_redis_gets_short_socket_timeouts_and_other_brokers_no_redis_options():
    redis = broker_settings({"BROKER_URL": "redis://127.0.0.1:6379/0"})
    assert redis["broker_transport_options"]["socket_connect_timeout"] <= 1
    assert "broker_transport_options" not in broker_settings({"BROKER_URL": "sqla+sqlite:///x.sqlite"})
