"""Celery task that grows the log's Merkle tree and signs a tree head (beat, every FACTLOG_LOG_SIGN_INTERVAL s)."""
from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from flask import current_app

from factlog.database import get_database
from factlog.transparency.signing import configured_key
from workers import log_tree
from workers.celery_app import SIGN_LOG_TASK as SIGN_TASK


@shared_task(name=SIGN_TASK)
def grow_and_sign() -> int:
    """Add the new events to the tree, then sign a head if it grew; returns the events added."""
    database = get_database()
    added = log_tree.grow(database) or 0
    log_tree.sign_head(database, configured_key(current_app.config, current_app.instance_path))
    return added


@worker_ready.connect
def _sign_on_start(sender, **_kwargs) -> None:
    # A worker starting after a pause (or on an old log) builds the tree without waiting for beat.
    sender.app.send_task(SIGN_TASK)
