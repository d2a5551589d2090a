"""The worker's broker consumer: after a broker outage it reconnects within two seconds.

Celery's consumer retries a lost broker connection through kombu's defaults, waiting 2, 4, 6, ... up to 30
seconds between attempts; after a 30-second Redis outage the worker could sit idle for another 12 seconds
with the broker back. Views must catch up within seconds of the broker's return (tests/reliability), and an
attempt every two seconds costs the broker nothing.
"""
from __future__ import annotations

from functools import partial

from celery.worker.consumer import Consumer as CeleryConsumer

RETRY_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 2.0}


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn):
        conn.ensure_connection = partial(conn.ensure_connection, **RETRY_INTERVALS)
        return super().ensure_connected(conn)
