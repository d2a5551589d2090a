"""The worker's broker consumer: survives losing the broker while it holds a task, reconnects within 2 s.

Two fixes over Celery's consumer for a Redis broker that goes away and comes back:

- Celery retries a lost broker connection through kombu's defaults, waiting 2, 4, 6, ... up to 30 seconds
  between attempts; after a 30-second Redis outage the worker could sit idle for another 12 seconds with
  the broker back. Views must catch up within seconds of the broker's return (tests/reliability), and an
  attempt every two seconds costs the broker nothing.
- When the connection is lost while the worker holds a message it has not started yet (received, so not
  acknowledged), Celery closes the broken connection after releasing its transport, and kombu's Redis
  channel then tries to put that message back through the released connection: an AttributeError that
  Celery does not expect ("Unrecoverable error") and the whole worker exits. The message is safe without
  that step: kombu keeps every delivered, unacknowledged message in Redis and restores it after the
  visibility timeout; and factlog's tasks are catch-ups that the periodic maintenance repeats anyway.
"""
from __future__ import annotations

import logging
from functools import partial

from celery.worker.consumer import Consumer as CeleryConsumer

RETRY_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 2.0}

log = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn):
        conn.ensure_connection = partial(conn.ensure_connection, **RETRY_INTERVALS)
        return super().ensure_connected(conn)

    def on_connection_error_after_connected(self, exc):
        try:
            super().on_connection_error_after_connected(exc)
        except AttributeError as error:  # kombu restoring held messages through the released connection
            self.connection = None
            log.warning("the broker went away while this worker held unstarted tasks; they stay in the broker "
                        "and are restored from there (%s)", error)
