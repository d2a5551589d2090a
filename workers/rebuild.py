"""Rebuild read models from position 0 into fresh tables while the old ones keep serving, then switch.

A rebuild builds into ``<table>__rebuild`` copies under the checkpoint ``<name>__rebuild``, batch by batch
(so a killed rebuild resumes where it stopped), reading the log once for all the projections rebuilt
together. On PostgreSQL it does so in processes side by side, each applying every projection to its share
of the claims (workers/rebuild_processes.py). The switch is one transaction: apply the last events, drop the
live tables, rename the copies into their place, and make the rebuild's checkpoint the live one.
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.database import Database
from factlog.projections.status import pending_events
from factlog.projections.tables import REBUILD_SUFFIX
from factlog.projections.tables import projection_checkpoints as checkpoints
from workers.bulk import use_fast_json
from workers.garbage import collected_per_batch
from workers.locks import held_lock, transaction_lock
from workers.progress import Progress
from workers.projection import Projection
from workers.rebuild_processes import (
    REBUILD_PROCESSES,
    build_partitioned,
    build_query_indexes,
    can_partition,
    forget_partitions,
    partitions,
)
from workers.runner import (
    Target,
    apply_batch,
    catch_up,
    common_position,
    handled_types,
    new_checkpoint_values,
    read_checkpoints,
    read_events,
)
from workers.tablesets import TableSet, rebuild_tables, switch

log = logging.getLogger(__name__)
REBUILD_LOCK = "projections__rebuild"
# SQLite: big batches, so a claim's follow-ups (reports, verdicts) mostly land in the batch that recorded it
# and its rows are written once, not rewritten batch after batch.
REBUILD_BATCH_SIZE = 20_000
# PostgreSQL: a batch is one transaction, and from its first write to its commit it holds back every log
# reader on the server (docs/event-store.md): 1.5-2 s at 20,000 events, 0.5-0.6 s at 5,000 (whole claims
# read side by side lose little by it; one process rewrites more: docs/projections.md).
POSTGRES_REBUILD_BATCH_SIZE = 5_000


def default_batch_size(database: Database) -> int:
    """Events per rebuild batch (and transaction) unless asked otherwise."""
    return POSTGRES_REBUILD_BATCH_SIZE if database.engine.dialect.name == "postgresql" else REBUILD_BATCH_SIZE

ProgressFactory = Callable[[str, int], Progress]


class RebuildRunning(RuntimeError):
    """Another process is rebuilding right now."""


def rebuild_target(projection: Projection) -> Target:
    return Target(projection, projection.name + REBUILD_SUFFIX, rebuild_tables(projection.read_model))


def due(database: Database, projections: Sequence[Projection]) -> list[Projection]:
    """Projections whose rows come from an older version than the code's, or whose rebuild was interrupted."""
    with database.session() as session:
        rows = read_checkpoints(session, [n for p in projections for n in (p.name, p.name + REBUILD_SUFFIX)])
    return [p for p in projections
            if p.name + REBUILD_SUFFIX in rows or (p.name in rows and rows[p.name].version < p.version)]


def rebuild(database: Database, projections: Sequence[Projection], *, restart: bool = False,
            batch_size: int | None = None, progress: ProgressFactory | None = None,
            processes: int | None = None) -> int:
    """Rebuild the projections and switch them live; return the number of events read.

    Resumes an interrupted rebuild of the same version unless ``restart``. Raises RebuildRunning if
    another rebuild holds the lock, ProjectionFailed if a projector fails (the rebuild can then resume).
    On PostgreSQL the claims are rebuilt in ``processes`` partitions side by side (default
    ``REBUILD_PROCESSES``; an interrupted rebuild resumes with its own number), then switched live together.
    ``batch_size``: events per batch, one transaction each (default ``default_batch_size``).
    """
    use_fast_json(database.engine)
    batch_size = batch_size or default_batch_size(database)
    with held_lock(database.engine, REBUILD_LOCK) as acquired:
        if not acquired:
            raise RebuildRunning("another rebuild is running; wait for it or stop it first")
        targets = [rebuild_target(projection) for projection in projections]
        processes = REBUILD_PROCESSES if processes is None else processes
        _prepare(database, targets, restart, defer_keys=can_partition(database, targets, processes))
        count = partitions(database, targets, processes)
        if count > 1:
            return _rebuild_partitioned(database, targets, count, batch_size, progress)
        read = 0
        for group in _groups_by_position(database, targets):
            label = "rebuild " + ", ".join(t.projection.name for t in group)
            with database.session() as session:
                total, _ = pending_events(session, common_position(group, read_checkpoints(
                    session, [t.checkpoint for t in group])), handled_types(group))
            meter = progress(label, total) if progress else Progress(label, total)
            with collected_per_batch(meter.update) as after_batch:
                catch_up(database, group, batch_size=batch_size, progress=after_batch)
            for target in group:
                target.tables.create_deferred(database.engine)
                target.tables.analyze(database.engine)
            read += meter.done + _switch(database, group, batch_size)
            meter.finish()
        return read


def _prepare(database: Database, targets: Sequence[Target], restart: bool, defer_keys: bool) -> None:
    """Create empty copies and a rebuild checkpoint at 0, unless a rebuild of the same version can resume.
    ``defer_keys``: the partitions will load whole claims, so the copies the partitions fill are created
    without the keys of their claim rows."""
    now = datetime.now(UTC)
    with database.session() as session:
        rows = read_checkpoints(session, [target.checkpoint for target in targets])
        for target in targets:
            row = rows.get(target.checkpoint)
            if not restart and row is not None and row.version == target.projection.version \
                    and target.tables.exists(session):
                log.info("resuming the rebuild of %s from position %s", target.projection.name, row.position)
                continue
            target.tables.create(session, defer_query_indexes=True,
                                 defer_keys=defer_keys and target.projection.per_claim)
            forget_partitions(session, target)
            session.execute(sa.delete(checkpoints).where(checkpoints.c.name == target.checkpoint))
            session.execute(sa.insert(checkpoints).values(**new_checkpoint_values(target, now)))
        session.commit()


def _groups_by_position(database: Database, targets: Sequence[Target]) -> list[list[Target]]:
    with database.session() as session:
        rows = read_checkpoints(session, [target.checkpoint for target in targets])
    return _by_position(targets, rows)


def _by_position(targets: Sequence[Target], rows: dict[str, sa.Row]) -> list[list[Target]]:
    position = lambda target: rows[target.checkpoint].position if target.checkpoint in rows else 0
    return [list(group) for _, group in itertools.groupby(sorted(targets, key=position), key=position)]


def _rebuild_partitioned(database: Database, targets: Sequence[Target], count: int, batch_size: int,
                         progress: ProgressFactory | None) -> int:
    """Catch the projections that cannot be partitioned up here, the others in ``count`` partitions side by
    side; build the query-only indexes (``count`` tables at once); switch all live together."""
    with database.session() as session:
        rows = read_checkpoints(session, [t.checkpoint for t in targets])
        start = min(rows[t.checkpoint].position for t in targets)
        total, _ = pending_events(session, start, handled_types(targets))
    label = "rebuild " + ", ".join(t.projection.name for t in targets)
    meter = progress(label, total) if progress else Progress(label, total)
    with collected_per_batch(meter.update) as after_batch:
        for group in _groups_by_position(database, [t for t in targets if not t.projection.per_claim]):
            catch_up(database, group, batch_size=batch_size, progress=after_batch)
    build_partitioned(database, targets, count, batch_size, meter)
    build_query_indexes(database, targets, count)
    read = _switch(database, targets, batch_size, count_after=start)
    meter.finish()
    return read


def _switch(database: Database, group: Sequence[Target], batch_size: int, count_after: int | None = None) -> int:
    """Apply the last events and switch the copies live in one transaction; return the events applied (or,
    with ``count_after``, the events of the group's types after that position)."""
    names = sorted({n for t in group for n in (t.projection.name, t.checkpoint)})
    applied = 0
    while True:
        with database.session() as session, ExitStack() as locks:
            for name in names:  # waits for the live runners' current batch
                locks.enter_context(transaction_lock(session, name, wait=True))
            rows = read_checkpoints(session, [target.checkpoint for target in group])
            # Targets caught up apart may stop at different positions: each set at one position reads on.
            batches = [(same, read_events(session, common_position(same, rows), batch_size, handled_types(same)))
                       for same in _by_position(group, rows)]
            more = any(len(events) == batch_size for _, events in batches)
            if not more:
                _lock_live_tables(session, group)
            for same, events in batches:
                if events:
                    apply_batch(session, same, rows, events)
                    applied += len(events)
            if more:
                session.commit()  # more to come: keep transactions short, switch on a later round
                continue
            if count_after is not None:
                applied, _ = pending_events(session, count_after, handled_types(group))
            for target in group:
                switch(session, target.tables)
                session.execute(sa.delete(checkpoints).where(checkpoints.c.name == target.projection.name))
                session.execute(sa.update(checkpoints).where(checkpoints.c.name == target.checkpoint)
                                .values(name=target.projection.name))
            session.commit()
            log.info("switched %s live", ", ".join(t.projection.name for t in group))
            return applied


def _lock_live_tables(session: Session, group: Sequence[Target]) -> None:
    """PostgreSQL: take the locks the switch's DROP needs before its first write, so that waiting for the
    live tables' readers to finish holds no transaction id (a lock takes none), only the switch itself."""
    if session.get_bind().dialect.name != "postgresql":
        return
    live = [table.name for target in group for table in TableSet(target.tables.read_model).tables]
    session.execute(sa.text("LOCK TABLE " + ", ".join(f'"{name}"' for name in live) + " IN ACCESS EXCLUSIVE MODE"))
