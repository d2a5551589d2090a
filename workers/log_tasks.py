"""Celery task that grows the log's Merkle tree and signs a tree head (beat, every FACTLOG_LOG_SIGN_INTERVAL s)."""
from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from flask import current_app

from factlog.database import get_database
from factlog.transparency.signing import configured_key
from workers import log_tree
from workers.celery_app import SIGN_LOG_TASK as SIGN_TASK


# One run adds one batch (FACTLOG_LOG_TREE_BATCH_SIZE, 2,000 events: ~0.15 s here) and, with more waiting,
# sends itself to the back of the queue, so a worker process goes back to the catch-ups queued meanwhile
# between batches. Building the whole tree in one run (a new deployment over 1,000,000 events: 70 s) held a
# one-process worker, and so freshness, for as long (bench freshness-rebuild's first window: p50 47 s).
@shared_task(name=SIGN_TASK)
def grow_and_sign() -> int:
    """Add the next batch of new events to the tree; once it has them all, sign a head if it grew. Returns
    the events added by this run."""
    database = get_database()
    batch_size = max(1, current_app.config.get("LOG_TREE_BATCH_SIZE") or log_tree.BATCH_SIZE)
    added = log_tree.grow(database, batch_size=batch_size, max_batches=1) or 0
    if added >= batch_size:
        grow_and_sign.delay()  # more may be waiting: the head is signed once the tree has caught up
        return added
    log_tree.sign_head(database, configured_key(current_app.config, current_app.instance_path))
    return added


@worker_ready.connect
def _sign_on_start(sender, **_kwargs) -> None:
    # A worker starting after a pause (or on an old log) builds the tree without waiting for beat.
    sender.app.send_task(SIGN_TASK)
