"""Tell the projection workers there is something new in the log, after the commit and never failing it.

The event is already committed when this runs: if the broker is down the write still stands, the failure
is logged, and the workers' periodic catch-up (beat) picks the event up a few seconds later.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Mapping

from celery import Celery
from flask import Flask, current_app

CATCH_UP_TASK = "factlog.projections.catch_up"
EXTENSION_KEY = "factlog.task_client"
# After a failed send, skip further attempts for this long: a dead broker must not slow every write.
QUIET_AFTER_FAILURE_SECONDS = 2.0
BROKER_TIMEOUT_SECONDS = 1.0

log = logging.getLogger(__name__)
_create_lock = threading.Lock()


def broker_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Celery settings shared by factlog's sending client and the workers: broker, queue, timeouts."""
    url = config["BROKER_URL"]
    settings: dict[str, Any] = {
        "broker_url": url,
        "task_default_queue": config.get("TASK_QUEUE", "factlog"),
        "broker_connection_timeout": BROKER_TIMEOUT_SECONDS,
        "task_ignore_result": True,
    }
    if url.startswith(("redis://", "rediss://")):
        settings["broker_transport_options"] = {
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS, "socket_timeout": BROKER_TIMEOUT_SECONDS,
        }
    return settings


class TaskClient:
    """Sends tasks by name; knows nothing of the ``workers`` package that runs them."""

    def __init__(self, config: Mapping[str, Any]):
        settings = broker_settings(config)
        # One connection attempt per send: kombu would otherwise retry connecting for seconds.
        settings["broker_transport_options"] = settings.get("broker_transport_options", {}) | {"max_retries": 0}
        self.celery = Celery("factlog-client", set_as_current=False)
        self.celery.conf.update(settings, broker_connection_retry=False, broker_connection_max_retries=0)
        self.quiet_until = 0.0

    def send(self, task_name: str, **kwargs: Any) -> bool:
        """Send a task; on any broker failure log it and return False instead of raising."""
        if time.monotonic() < self.quiet_until:
            log.debug("broker failed recently; not sending %s (the periodic catch-up will run it)", task_name)
            return False
        try:
            self.celery.send_task(task_name, kwargs=kwargs, retry=False, ignore_result=True)
        except Exception as error:  # noqa: BLE001 - any broker failure must leave the committed write alone
            self.quiet_until = time.monotonic() + QUIET_AFTER_FAILURE_SECONDS
            log.warning("could not send %s to the broker (%s: %s); the periodic catch-up will run it",
                        task_name, type(error).__name__, error)
            return False
        return True


def task_client(app: Flask | None = None) -> TaskClient:
    """The app's task client, created on first use."""
    app = app or current_app
    client = app.extensions.get(EXTENSION_KEY)
    if client is None:
        with _create_lock:
            client = app.extensions.get(EXTENSION_KEY)
            if client is None:
                client = app.extensions[EXTENSION_KEY] = TaskClient(app.config)
    return client


def nudge_projections(app: Flask | None = None) -> bool:
    """Ask the workers to catch up with the log. Call it after the commit; it never raises."""
    return task_client(app).send(CATCH_UP_TASK)
