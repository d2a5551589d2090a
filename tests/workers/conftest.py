"""Fixtures for tests that run a real Celery worker process."""
from __future__ import annotations

import pytest
import redis

from factlog import create_app
from factlog.database import get_database
from tests.support.workers import WorkerProcess


def _forget_queue(broker_url: str, queue: str) -> None:
    client = redis.Redis.from_url(broker_url)
    keys = [key for key in client.scan_iter(match=f"*{queue}*")]
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def start_worker(tmp_path):
    """Call with (database_url, broker_url) to get a started worker; stopped (and its queue deleted) after."""
    workers = []

    def start(database_url: str, broker_url: str, **options) -> WorkerProcess:
        worker = WorkerProcess(tmp_path, database_url, broker_url, **options)
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()
        if worker.env["FACTLOG_BROKER_URL"].startswith("redis://"):
            try:
                _forget_queue(worker.env["FACTLOG_BROKER_URL"], worker.queue)
            except redis.RedisError:
                pass


@pytest.fixture
def worker_app_factory():
    """Flask apps (for appending and reading in the test) on the worker's database, broker and queue."""
    apps = []

    def make(worker: WorkerProcess):
        app = create_app(worker.app_config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        get_database(app).dispose()
