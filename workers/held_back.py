"""The worker's warning when an open transaction holds the log's readers back (PostgreSQL)."""
from __future__ import annotations

import logging

from factlog.database import Database
from factlog.eventstore.held_back import HeldBack, held_back

log = logging.getLogger("factlog.log_readers")
DEFAULT_WARN_SECONDS = 10.0


def warn_if_held_back(database: Database, after_seconds: float = DEFAULT_WARN_SECONDS) -> HeldBack | None:
    """Log a warning naming the transaction that holds committed events from the log's readers for longer
    than ``after_seconds``; return what holds them (None on SQLite or when nothing waits that long)."""
    with database.session() as session:
        held = held_back(session)
        session.rollback()
    if held is None or not held.events or held.seconds <= after_seconds:
        return None
    holder = held.holder
    log.warning("the log's readers are held back: %s; projections, the feed and webhooks wait until it ends "
                "(docs/operations.md, 'Readers held back')", held.describe(),
                extra={"fields": {"held_back_events": held.events, "held_back_seconds": held.seconds,
                                  "holder_pid": holder.pid if holder else None,
                                  "holder_database": holder.database if holder else None,
                                  "holder_application": holder.application_name if holder else None}})
    return held
