"""Tell the projection workers there is something new in the log, after the commit and never failing it.

``nudge_projections()`` only raises a flag: a sender thread (one per process, started on demand) sends one
``factlog.projections.catch_up`` task for however many nudges arrived meanwhile, so a burst of appends
becomes a few catch-up runs and no write ever waits on the broker. If the broker is down the write still
stands, the failure is logged, and the workers' periodic catch-up (beat) picks the events up.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from celery import Celery
from flask import Flask, current_app, has_app_context

CATCH_UP_TASK = "factlog.projections.catch_up"
EXTENSION_KEY = "factlog.task_client"
# After a failed send, skip further attempts for this long: a dead broker must not be hammered.
QUIET_AFTER_FAILURE_SECONDS = 2.0
BROKER_TIMEOUT_SECONDS = 1.0
# Nudges arriving within this long of a send share the next one.
COALESCE_SECONDS = 0.02
# A sender thread with nothing to send for this long ends; the next nudge starts another.
SENDER_IDLE_SECONDS = 5.0
FLUSH_AT_EXIT_SECONDS = 2.0

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
        self._lock = threading.Lock()
        self._pending = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._sender: threading.Thread | None = None
        self._pid = os.getpid()

    def send(self, task_name: str, **kwargs: Any) -> bool:
        """Send a task now; on any broker failure log it and return False instead of raising."""
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

    def nudge_soon(self) -> None:
        """Ask the sender thread to send one catch-up task; returns at once."""
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's thread does not exist here
                self._pid, self._sender = os.getpid(), None
            self._pending.set()
            self._idle.clear()
            if self._sender is None:
                self._sender = threading.Thread(target=self._send_pending, name="factlog-nudge", daemon=True)
                self._sender.start()

    def flush(self, timeout: float) -> bool:
        """Wait until every nudge so far has been sent (or given up on); False on timeout."""
        return self._idle.wait(timeout)

    def _send_pending(self) -> None:
        while True:
            if not self._pending.wait(SENDER_IDLE_SECONDS):
                with self._lock:
                    if not self._pending.is_set():
                        self._sender = None
                        return
                continue
            self._pending.clear()
            self.send(CATCH_UP_TASK)
            time.sleep(COALESCE_SECONDS)
            with self._lock:
                if not self._pending.is_set():
                    self._idle.set()


def task_client(app: Flask | None = None) -> TaskClient:
    """The app's task client, created on first use."""
    app = app or current_app
    client = app.extensions.get(EXTENSION_KEY)
    if client is None:
        with _create_lock:
            client = app.extensions.get(EXTENSION_KEY)
            if client is None:
                client = app.extensions[EXTENSION_KEY] = TaskClient(app.config)
                atexit.register(client.flush, FLUSH_AT_EXIT_SECONDS)  # a CLI command exits right after its commit
    return client


def nudge_projections(app: Flask | None = None) -> bool:
    """Ask the workers to catch up with the log. Call it after the commit; it returns at once, never raises.

    False when there is no app to take the broker settings from (a script outside any app context).
    """
    if app is None and not has_app_context():
        log.debug("no app: not nudging the projection workers (the periodic catch-up will run)")
        return False
    task_client(app).nudge_soon()
    return True
