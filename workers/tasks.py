"""Celery tasks: catch up (nudged after appends), maintain (beat: heal missed nudges, resume rebuilds), rebuild.

Tasks take names and flags, never objects. They return how many events they applied: results are not stored
(``task_ignore_result``), but the task's log line reports the number (workers/observability.py).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from celery.signals import worker_ready
from flask import current_app

from factlog import eventstore
from factlog.database import get_database
from factlog.projections.nudge import CATCH_UP_TASK
from workers import rebuild as rebuilding
from workers.celery_app import MAINTAIN_TASK
from workers.held_back import DEFAULT_WARN_SECONDS, warn_if_held_back
from workers.projectors import all_projections, projections_named
from workers.runner import DEFAULT_BATCH_SIZE, ProjectionFailed, catch_up, live

REBUILD_TASK = "factlog.projections.rebuild"
MAX_RETRY_DELAY_SECONDS = 60

log = logging.getLogger(__name__)


class _Covered:
    """The log's head when this worker process last began a catch-up that then ran every projection itself.

    A nudge is sent after its commit; if nothing became visible in the log since such a run began, that run
    already applied the nudge's events and the task can return at once. Without this, a busy API (100 writes
    a second, each nudging) queued more no-op catch-ups (~15 ms each: four locks, checkpoints and reads)
    than one worker could run, and freshness fell further behind the longer the load lasted.
    """

    head: int | None = None


def catch_up_all() -> tuple[int, list[ProjectionFailed]]:
    """Catch every live projection up; a failing projection does not hold the others back.

    Returns the events applied (summed over the projections) and the failures.
    """
    applied, failures, _ = _catch_up_every_projection()
    return applied, failures


def _catch_up_every_projection() -> tuple[int, list[ProjectionFailed], bool]:
    database, batch_size = get_database(), current_app.config.get("PROJECTIONS_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    applied, failures, ran_all = 0, [], True
    for projection in all_projections():
        try:
            count = catch_up(database, [live(projection)], batch_size=batch_size)
        except ProjectionFailed as failure:
            failures.append(failure)
            continue
        ran_all = ran_all and count is not None  # None: another runner held it
        applied += count or 0
    return applied, failures, ran_all


@shared_task(name=CATCH_UP_TASK, bind=True, max_retries=8)
def catch_up_projections(self) -> int:
    """Apply new events to every projection; retried with backoff while a projector fails."""
    with get_database().session() as session:
        head = eventstore.head_position(session)
    if head == _Covered.head:
        return 0
    applied, failures, ran_all = _catch_up_every_projection()
    if failures:
        raise self.retry(exc=failures[0], countdown=min(MAX_RETRY_DELAY_SECONDS, 2 ** self.request.retries))
    if ran_all:
        _Covered.head = head
    return applied


@shared_task(name=MAINTAIN_TASK)
def maintain_projections() -> int:
    """Periodic: start or resume the rebuilds that are due, then catch up whatever a lost nudge left behind;
    warn when an open transaction holds the log's readers back."""
    warn_if_held_back(get_database(), current_app.config.get("HELD_BACK_WARN_SECONDS", DEFAULT_WARN_SECONDS))
    due = rebuilding.due(get_database(), all_projections())
    if due:
        rebuild_projections.delay(names=[projection.name for projection in due])
    applied, failures = catch_up_all()
    for failure in failures:
        log.warning("%s", failure)
    return applied


@shared_task(name=REBUILD_TASK)
def rebuild_projections(names: Sequence[str] | None = None, restart: bool = False,
                        batch_size: int | None = None) -> int:
    """Rebuild the named projections (all if none) from position 0 and switch them live."""
    try:
        return rebuilding.rebuild(get_database(), projections_named(names), restart=restart,
                                  batch_size=batch_size)
    except rebuilding.RebuildRunning:
        log.info("a rebuild is already running; this request is covered by it or by the next maintenance run")
        return 0


@worker_ready.connect
def _maintain_on_start(sender, **_kwargs) -> None:
    # Resume an interrupted rebuild and apply what arrived while no worker ran, without waiting for beat.
    sender.app.send_task(MAINTAIN_TASK)
