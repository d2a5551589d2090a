"""Catch a projection up with the log, batch by batch, exactly once.

Each batch is one transaction: take the projection's lock (return at once if another runner has it), read
the checkpoint, read the next events *before writing anything* (docs/event-store.md), apply them with the
projector, move the checkpoint to the last event read, commit. A redelivered task, a worker killed
mid-batch or two racing workers therefore never apply an event twice nor skip one.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import Database
from factlog.eventstore import RecordedEvent
from factlog.eventstore.store import MAX_READ_LIMIT
from factlog.projections.tables import projection_checkpoints as checkpoints
from workers.bulk import use_fast_json
from workers.locks import transaction_lock
from workers.projection import Projection
from workers.projectors.batch import shared_folds
from workers.tablesets import TableSet

log = logging.getLogger(__name__)
DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class Target:
    """A projection applied to a table set under a checkpoint row: the live one, or a rebuild."""

    projection: Projection
    checkpoint: str
    tables: TableSet


def live(projection: Projection) -> Target:
    return Target(projection, projection.name, projection.live_tables())


class ProjectionFailed(Exception):
    """A projector raised on an event; its batch was rolled back and the error recorded in its checkpoint."""

    def __init__(self, checkpoint: str, position: int, error: BaseException):
        self.checkpoint, self.position, self.error = checkpoint, position, error
        super().__init__(f"projection {checkpoint!r} failed on the event at position {position}: "
                         f"{type(error).__name__}: {error}")


class _BatchFailed(Exception):
    def __init__(self, target: Target, events: Sequence[RecordedEvent], error: BaseException):
        super().__init__(str(error))
        self.target, self.events, self.error = target, events, error


class EventBatch(list):
    """Events a reader read, and the log position its read got to when that is not the last event's: a
    reader of whole claims (a partitioned rebuild) takes claims up to the last one recorded, each with its
    later events too; the checkpoint moves to that claim's recording."""

    def __init__(self, events: Sequence[RecordedEvent], position: int):
        super().__init__(events)
        self.position = position


Reader = Callable[[Session, int, int, Sequence[str]], list[RecordedEvent]]


def read_to(events: Sequence[RecordedEvent], after: int) -> int:
    """The position a read of ``events`` after ``after`` got to."""
    if isinstance(events, EventBatch):
        return events.position
    return events[-1].position if events else after


def catch_up(database: Database, targets: Sequence[Target], *, batch_size: int = DEFAULT_BATCH_SIZE,
             progress: Callable[[int], None] | None = None, reader: Reader | None = None) -> int | None:
    """Apply every event after the targets' (equal) checkpoint; return how many, None if another runner has them.

    Several targets share one read of the log per batch (a rebuild of all projections reads it once).
    ``reader(session, after, limit, types)`` reads the events (default ``read_events``: the whole log; a
    partitioned rebuild reads a share of it up to a position).
    On a projector error, the events before the failing one are still applied, then ProjectionFailed names it.
    """
    use_fast_json(database.engine)
    applied, one_by_one = 0, 0
    while True:
        size = 1 if one_by_one else batch_size
        try:
            ran = _run_batch(database, targets, size, reader or read_events)
        except _BatchFailed as failed:
            if size > 1:
                one_by_one = len(failed.events)  # apply the events before the failing one, to find it
                # Said, because it is slow, and because a batch that fails only whole is a reader's bug.
                log.warning("%s: a batch of %d events failed (%s); applying them one read at a time to find "
                            "the failing event", failed.target.checkpoint, len(failed.events), failed.error)
                continue
            position = _first_failing(database, failed.target, failed.events).position
            _record_error(database, failed.target, position, failed.error)
            raise ProjectionFailed(failed.target.checkpoint, position, failed.error) from failed.error
        if ran is None:
            return applied or None
        count, moved = ran
        if not moved:
            # Reading until a batch comes back empty also covers nudges that arrived while we held the lock.
            return applied
        applied += count
        one_by_one = max(0, one_by_one - max(count, 1))
        if progress is not None and count:
            progress(count)


def _run_batch(database: Database, targets: Sequence[Target], batch_size: int,
               reader: Reader) -> tuple[int, bool] | None:
    """Run one batch: (events applied, whether the checkpoints moved), or None if another runner has them."""
    with database.session() as session, ExitStack() as locks:
        for target in sorted(targets, key=lambda t: t.checkpoint):
            if not locks.enter_context(transaction_lock(session, target.checkpoint)):
                session.rollback()
                return None
        rows = read_checkpoints(session, [target.checkpoint for target in targets])
        after = common_position(targets, rows)
        events = reader(session, after, batch_size, handled_types(targets))
        position = read_to(events, after)
        if position == after:
            unseen = [target for target in targets if target.checkpoint not in rows]
            if not unseen:
                session.rollback()
                return 0, False
            # A projection whose events the log does not hold yet has still run: say so in its status.
            now = datetime.now(UTC)
            session.execute(sa.insert(checkpoints), [new_checkpoint_values(target, now) for target in unseen])
            session.commit()
            return 0, False
        apply_batch(session, targets, rows, events, position)
        session.commit()
        return len(events), True


def read_events(session: Session, after: int, limit: int, types: Sequence[str]) -> list[RecordedEvent]:
    """Up to ``limit`` events after ``after``, in pages of at most what ``read_all`` returns at once."""
    events: list[RecordedEvent] = []
    while len(events) < limit:
        wanted = min(limit - len(events), MAX_READ_LIMIT)
        page = eventstore.read_all(session, after=events[-1].position if events else after, limit=wanted,
                                   types=types)
        events += page
        if len(page) < wanted:
            break
    return events


def common_position(targets: Sequence[Target], rows: dict[str, sa.Row]) -> int:
    positions = {rows[t.checkpoint].position if t.checkpoint in rows else 0 for t in targets}
    if len(positions) != 1:
        raise ValueError(f"checkpoints {sorted(rows)} are at different positions {sorted(positions)}; "
                         "catch them up one by one")
    return positions.pop()


def handled_types(targets: Sequence[Target]) -> list[str]:
    return sorted({event_type for target in targets for event_type in target.projection.handles})


def apply_batch(session: Session, targets: Sequence[Target], rows: dict[str, sa.Row],
                events: Sequence[RecordedEvent], position: int | None = None) -> None:
    """Apply events read in this transaction to every target and move their checkpoints to ``position``
    (default: the last event's).

    Targets applied together share the fold of each claim (``shared_folds``): they are at one checkpoint."""
    with shared_folds():
        filtered: dict[frozenset[str], Sequence[RecordedEvent]] = {}
        for target in targets:
            types = frozenset(target.projection.handles)
            if len(targets) == 1:
                handled = events
            elif types in filtered:
                handled = filtered[types]  # the same list: a shared fold is recognised at once
            else:
                handled = filtered[types] = [event for event in events if event.type in types]
            if not handled:
                continue
            try:
                target.projection.apply(session, handled, target.tables)
            except Exception as error:
                session.rollback()
                raise _BatchFailed(target, events, error) from error
    position = events[-1].position if position is None else position
    for target in targets:
        _save_checkpoint(session, target, rows.get(target.checkpoint), events, position)


def _first_failing(database: Database, target: Target, events: Sequence[RecordedEvent]) -> RecordedEvent:
    """The event a one-read batch fails on (a whole claim's read holds several): the last of the shortest
    prefix the projector fails on, each prefix applied and rolled back."""
    handled = [event for event in events if event.type in target.projection.handles]
    for number in range(1, len(handled)):
        with database.session() as session:
            try:
                with shared_folds():
                    target.projection.apply(session, handled[:number], target.tables)
            except Exception:  # noqa: BLE001 (any error is the projector's failure)
                return handled[number - 1]
            finally:
                session.rollback()
    return handled[-1] if handled else events[0]


def read_checkpoints(session: Session, names: Sequence[str]) -> dict[str, sa.Row]:
    query = sa.select(checkpoints).where(checkpoints.c.name.in_(list(names)))
    return {row.name: row for row in session.execute(query)}


def new_checkpoint_values(target: Target, now: datetime, position: int = 0) -> dict:
    return {"name": target.checkpoint, "version": target.projection.version, "position": position,
            "event_types": sorted(target.projection.handles), "events_applied": 0, "started_at": now,
            "updated_at": now}


def _save_checkpoint(session: Session, target: Target, row: sa.Row | None,
                     events: Sequence[RecordedEvent], last: int) -> None:
    now = datetime.now(UTC)
    if row is None:
        values = new_checkpoint_values(target, now, last) | {"events_applied": len(events)}
        session.execute(sa.insert(checkpoints).values(**values))
        return
    values = {"position": last, "events_applied": checkpoints.c.events_applied + len(events), "updated_at": now,
              "event_types": sorted(target.projection.handles)}
    if row.last_error_position is not None and any(e.position == row.last_error_position for e in events):
        values |= {"last_error": None, "last_error_at": None, "last_error_position": None}
    session.execute(sa.update(checkpoints).where(checkpoints.c.name == target.checkpoint).values(**values))


def _record_error(database: Database, target: Target, position: int, error: BaseException) -> None:
    now = datetime.now(UTC)
    message = f"{type(error).__name__}: {error}"[:4000]
    log.error("projection %s failed on the event at position %s: %s", target.checkpoint, position, message)
    errors = {"last_error": message, "last_error_at": now, "last_error_position": position}
    with database.session() as session:
        dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
        statement = dialect.insert(checkpoints).values(**new_checkpoint_values(target, now), **errors)
        session.execute(statement.on_conflict_do_update(index_elements=[checkpoints.c.name], set_=errors))
        session.commit()
