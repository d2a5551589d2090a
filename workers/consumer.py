"""The worker's broker consumer: survives losing the broker while it holds a task, reconnects within 1 s,
and keeps the views current while the broker is away (workers/broker_away.py).

Fixes over Celery's consumer for a Redis broker that goes away and comes back:

- Celery retries a lost broker connection through kombu's defaults, waiting 2, 4, 6, ... up to 30 seconds
  between attempts; after a 30-second Redis outage the worker could sit idle for another 12 seconds with
  the broker back. Views must catch up within seconds of the broker's return (tests/reliability), and an
  attempt a second costs the broker nothing.
- While it has no broker the worker catches up by itself, and sends ``maintain`` as soon as it has
  reconnected, instead of waiting for beat's next tick.
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

from workers.broker_away import BrokerAway

# Attempts 0.5 s, then every 1 s after a lost connection (kombu sleeps in whole seconds, then the rest).
RETRY_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 1.0}

log = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.broker_away = BrokerAway(self.app)

    def ensure_connected(self, conn):
        conn.ensure_connection = partial(self._ensure_connection, conn.ensure_connection)
        connected = super().ensure_connected(conn)
        self.broker_away.ended()
        return connected

    def _ensure_connection(self, ensure, errback=None, *args, **kwargs):
        def on_error(exc, interval):
            self.broker_away.began()  # lost, or never had it (a worker started while the broker is down)
            return errback(exc, interval) if errback is not None else None

        return ensure(on_error, *args, **(kwargs | RETRY_INTERVALS))

    def on_connection_error_after_connected(self, exc):
        self.broker_away.began()
        try:
            super().on_connection_error_after_connected(exc)
        except AttributeError as error:  # kombu restoring held messages through the released connection
            self.connection = None
            log.warning("the broker went away while this worker held unstarted tasks; they stay in the broker "
                        "and are restored from there (%s)", error)

    def shutdown(self):
        self.broker_away.stop()
        super().shutdown()
