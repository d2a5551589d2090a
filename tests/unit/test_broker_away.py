"""A worker without its broker catches up by itself, and asks for a catch-up the moment the broker is back."""
from __future__ import annotations

import threading
from types import SimpleNamespace

from factlog.projections.nudge import CATCH_UP_TASK
from workers.broker_away import BrokerAway
from workers.celery_app import MAINTAIN_TASK, celery_settings
from workers.consumer import RETRY_INTERVALS


class FakeCelery:
    """The little of a Celery app BrokerAway uses: beat's interval, a task to call, a way to send."""

    def __init__(self, interval: float = 0.01):
        self.conf = SimpleNamespace(beat_schedule={"projections-maintain": {"schedule": interval}})
        self.runs = threading.Semaphore(0)
        self.tasks = {CATCH_UP_TASK: self._catch_up}
        self.sent: list[str] = []

    def _catch_up(self) -> int:
        self.runs.release()
        return 1

    def send_task(self, name: str) -> None:
        self.sent.append(name)


def test_a_worker_without_the_broker_catches_up_by_itself_until_it_is_back():
    app = FakeCelery()
    away = BrokerAway(app)
    away.began()
    assert all(app.runs.acquire(timeout=30) for _ in range(3))
    away.ended()
    assert app.sent == [MAINTAIN_TASK]


def test_the_first_connection_and_a_repeated_loss_ask_for_nothing_more():
    app = FakeCelery(interval=3600)
    away = BrokerAway(app)
    away.ended()  # connected, never lost
    assert app.sent == []
    away.began()
    away.began()  # each failed attempt says so again: still one outage
    away.ended()
    away.ended()
    assert app.sent == [MAINTAIN_TASK]


def test_a_catch_up_that_fails_is_tried_again_at_the_next_interval():
    app = FakeCelery()
    calls = threading.Semaphore(0)

    def failing() -> int:
        calls.release()
        raise RuntimeError("the database is away too")

    app.tasks[CATCH_UP_TASK] = failing
    away = BrokerAway(app)
    away.began()
    assert all(calls.acquire(timeout=30) for _ in range(2))
    away.stop()


def test_the_worker_tries_to_reconnect_every_second_at_most():
    assert RETRY_INTERVALS["interval_max"] <= 1.0


def test_the_worker_never_gives_up_on_the_broker():
    # Celery's default (100 attempts) made a worker exit after 100 s of outage at one attempt a second.
    settings = celery_settings({"BROKER_URL": "redis://127.0.0.1:6379/0"})
    assert settings["broker_connection_max_retries"] is None
    assert settings["worker_consumer"] == "workers.consumer:Consumer"
