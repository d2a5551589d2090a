"""While a worker cannot reach the broker it catches the views up itself; when the broker is back, at once.

Nudges and beat's periodic maintenance both travel through the broker. Without this, a broker outage froze
the views for as long as it lasted, and its end was followed by three waits in a row: the worker's next
reconnection attempt, beat's next tick (up to ``FACTLOG_CATCH_UP_INTERVAL``; a failed publish also holds beat
for 0.6 s), then one catch-up of everything written during the outage, which on a busy machine took seconds
(tests/reliability/test_broker_outage.py once saw the views catch up 12.6 s after Redis returned).

Now the worker's main process runs the catch-up every ``FACTLOG_CATCH_UP_INTERVAL`` seconds for as long as
the broker is away (the projections' locks and checkpoints make it safe beside any other runner), and sends
``maintain`` the moment it has reconnected. What is left to apply then is at most one interval's writes.
"""
from __future__ import annotations

import logging
import threading

from celery import Celery

from factlog.projections.nudge import CATCH_UP_TASK
from workers.celery_app import MAINTAIN_TASK

MAINTAIN_ENTRY = "projections-maintain"  # beat's entry in workers/celery_app.py: its interval is ours

log = logging.getLogger(__name__)


class BrokerAway:
    """Started when the consumer loses (or cannot get) the broker, ended when it has connected."""

    def __init__(self, celery_app: Celery):
        self.celery_app = celery_app
        self.interval = float(celery_app.conf.beat_schedule[MAINTAIN_ENTRY]["schedule"])
        self._away: threading.Event | None = None  # set when the broker is back; one per outage

    def began(self) -> None:
        if self._away is not None:
            return
        # A thread of each outage's own: a catch-up still running from the previous one only finishes.
        self._away = back = threading.Event()
        thread = threading.Thread(target=self._catch_up_until, args=(back,), name="factlog-broker-away",
                                  daemon=True)
        thread.start()
        log.warning("the broker is away: this worker catches the views up itself every %.1f s until it is "
                    "back", self.interval)

    def ended(self) -> None:
        """The broker is back: stop catching up from here and have the workers catch up at once."""
        if self._away is None:
            return
        self._away.set()
        self._away = None
        try:
            self.celery_app.send_task(MAINTAIN_TASK)
        except Exception as error:  # noqa: BLE001 - the broker went again; beat's next tick covers it
            log.warning("could not send %s after reconnecting (%s: %s)", MAINTAIN_TASK, type(error).__name__,
                        error)
            return
        log.info("the broker is back: sent %s", MAINTAIN_TASK)

    def stop(self) -> None:
        if self._away is not None:
            self._away.set()
            self._away = None

    def _catch_up_until(self, back: threading.Event) -> None:
        catch_up = self.celery_app.tasks[CATCH_UP_TASK]
        while not back.wait(self.interval):
            try:
                applied = catch_up()  # in this process, in the Flask app's context (workers/celery_app.py)
            except Exception as error:  # noqa: BLE001 - a failing projection or database: said, tried again
                log.warning("catching up without the broker failed (%s: %s); trying again in %.1f s",
                            type(error).__name__, error, self.interval)
                continue
            if applied:
                log.info("caught up %d events without the broker", applied)
