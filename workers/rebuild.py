"""Rebuild read models from position 0 into fresh tables while the old ones keep serving, then switch.

A rebuild builds into ``<table>__rebuild`` copies under the checkpoint ``<name>__rebuild``, batch by batch
(so a killed rebuild resumes where it stopped), reading the log once for all the projections rebuilt
together. The switch is one transaction: apply the last events, drop the live tables, rename the copies
into their place, and make the rebuild's checkpoint the live one.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait as wait_for_any
from contextlib import ExitStack
from datetime import UTC, datetime

import sqlalchemy as sa

from factlog.database import Database
from factlog.projections.status import pending_events
from factlog.projections.tables import REBUILD_SUFFIX
from factlog.projections.tables import projection_checkpoints as checkpoints
from workers.bulk import use_fast_json
from workers.locks import held_lock, transaction_lock
from workers.progress import Progress
from workers.projection import Projection
from workers.runner import (
    Target,
    ProjectionFailed,
    apply_batch,
    catch_up,
    common_position,
    handled_types,
    new_checkpoint_values,
    read_checkpoints,
    read_events,
)
from workers.tablesets import rebuild_tables, switch

log = logging.getLogger(__name__)
REBUILD_LOCK = "projections__rebuild"
# Big batches: a claim's follow-ups (reports, verdicts) then mostly land in the batch that recorded it, so
# its rows are written once, not rewritten batch after batch. A batch is one transaction, and a writing
# transaction holds back the log readers' visibility line (docs/event-store.md) while it runs: seconds here.
REBUILD_BATCH_SIZE = 20_000
# On PostgreSQL a rebuild of several projections runs them side by side in this many processes (each with its
# own connection, reading the log for its own projections): one's Python runs while the server takes
# another's rows. More processes than cores only adds reads of the log. FACTLOG_REBUILD_PROCESSES=1: serial.
REBUILD_PROCESSES = max(1, int(os.environ.get("FACTLOG_REBUILD_PROCESSES") or min(2, os.cpu_count() or 1)))
# What rebuilding each projection costs, relatively (Python and server CPU, 200,000 events): the processes
# get about equal shares. Unknown projections count 1.
_COST = {"attribution": 4, "timelines": 3, "search": 2, "links": 1}

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
            batch_size: int = REBUILD_BATCH_SIZE, progress: ProgressFactory | None = None,
            processes: int | None = None) -> int:
    """Rebuild the projections and switch them live; return the number of events read.

    Resumes an interrupted rebuild of the same version unless ``restart``. Raises RebuildRunning if
    another rebuild holds the lock, ProjectionFailed if a projector fails (the rebuild can then resume).
    On PostgreSQL several projections are rebuilt side by side in up to ``processes`` processes
    (default ``REBUILD_PROCESSES``), then switched live together.
    """
    use_fast_json(database.engine)
    with held_lock(database.engine, REBUILD_LOCK) as acquired:
        if not acquired:
            raise RebuildRunning("another rebuild is running; wait for it or stop it first")
        targets = [rebuild_target(projection) for projection in projections]
        _prepare(database, targets, restart)
        groups = _process_groups(database, targets, REBUILD_PROCESSES if processes is None else processes)
        if len(groups) > 1:
            return _rebuild_side_by_side(database, targets, groups, batch_size, progress)
        read = 0
        for group in _groups_by_position(database, targets):
            label = "rebuild " + ", ".join(t.projection.name for t in group)
            with database.session() as session:
                total, _ = pending_events(session, common_position(group, read_checkpoints(
                    session, [t.checkpoint for t in group])), handled_types(group))
            meter = progress(label, total) if progress else Progress(label, total)
            catch_up(database, group, batch_size=batch_size, progress=meter.update)
            with database.session() as session:
                for target in group:
                    target.tables.create_query_indexes(session)
                    target.tables.analyze(session)
                session.commit()
            read += meter.done + _switch(database, group, batch_size)
            meter.finish()
        return read


def _prepare(database: Database, targets: Sequence[Target], restart: bool) -> None:
    """Create empty copies and a rebuild checkpoint at 0, unless a rebuild of the same version can resume."""
    now = datetime.now(UTC)
    with database.session() as session:
        rows = read_checkpoints(session, [target.checkpoint for target in targets])
        for target in targets:
            row = rows.get(target.checkpoint)
            if not restart and row is not None and row.version == target.projection.version \
                    and target.tables.exists(session):
                log.info("resuming the rebuild of %s from position %s", target.projection.name, row.position)
                continue
            target.tables.create(session, defer_query_indexes=True)
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


# -- side by side: each process catches its own projections up on its own connection -----------------------

def _process_groups(database: Database, targets: Sequence[Target], processes: int) -> list[list[Target]]:
    """The targets split into up to ``processes`` groups of about equal cost; one group where processes
    cannot help (SQLite: one writer) or are not wanted."""
    if processes <= 1 or len(targets) <= 1 or database.engine.dialect.name != "postgresql" \
            or multiprocessing.current_process().daemon:
        return [list(targets)]
    groups: list[list[Target]] = [[] for _ in range(min(processes, len(targets)))]
    costs = [0] * len(groups)
    for target in sorted(targets, key=lambda t: -_COST.get(t.projection.name, 1)):
        cheapest = costs.index(min(costs))
        groups[cheapest].append(target)
        costs[cheapest] += _COST.get(target.projection.name, 1)
    return [group for group in groups if group]


def _rebuild_side_by_side(database: Database, targets: Sequence[Target], groups: list[list[Target]],
                          batch_size: int, progress: ProgressFactory | None) -> int:
    with database.session() as session:
        rows = read_checkpoints(session, [t.checkpoint for t in targets])
        start = min(rows[t.checkpoint].position for t in targets)
        total, _ = pending_events(session, start, handled_types(targets))
    label = "rebuild " + ", ".join(t.projection.name for t in targets)
    meter = progress(label, total) if progress else Progress(label, total)
    _run_children(database, groups, batch_size, meter)
    read = _switch(database, targets, batch_size, count_after=start)
    meter.finish()
    return read


def _run_children(database: Database, groups: list[list[Target]], batch_size: int, meter: Progress) -> None:
    """Catch every group up (and build its query-only indexes) in a process of its own; wait for all.

    A child's failure is raised here once every child has stopped (what the others applied is kept in their
    checkpoints). A child dies with this process (SIGKILL included), so a killed rebuild leaves no runner
    behind; its checkpoints let the next rebuild resume.
    """
    context = multiprocessing.get_context("fork")
    children, receivers = [], []
    try:
        for number, group in enumerate(groups):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(database, group, batch_size, sender, os.getpid()),
                                    name="rebuild " + ", ".join(t.projection.name for t in group), daemon=True)
            child.start()
            sender.close()
            children.append(child)
            receivers.append(receiver)
        done = [0] * len(groups)
        failures: list[tuple] = []
        running = set(range(len(groups)))
        while running:
            wait_for_any([receivers[number] for number in running], timeout=5)
            for number in sorted(running):
                while number in running and receivers[number].poll():
                    try:
                        kind, payload = receivers[number].recv()
                    except EOFError:  # gone without a word: killed
                        running.discard(number)
                        children[number].join()
                        failures.append(("crashed", children[number].name, children[number].exitcode))
                        break
                    if kind == "progress":
                        done[number] += payload
                        if min(done) > meter.done:
                            meter.update(min(done) - meter.done)
                    else:
                        running.discard(number)
                        if kind == "failed":
                            failures.append(payload)
        if failures:
            _raise(failures[0])
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
            child.join()
        for receiver in receivers:
            receiver.close()


def _child(database: Database, group: list[Target], batch_size: int, sender, parent: int) -> None:
    _die_with(parent)
    database.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    try:
        for same in _groups_by_position(database, group):
            catch_up(database, same, batch_size=batch_size, progress=lambda count: sender.send(("progress", count)))
        with database.session() as session:
            for target in group:
                target.tables.create_query_indexes(session)
                target.tables.analyze(session)
            session.commit()
        sender.send(("done", None))
    except BaseException as error:  # noqa: BLE001: everything goes to the parent
        if isinstance(error, ProjectionFailed):
            sender.send(("failed", ("projection", error.checkpoint, error.position, _portable(error.error))))
        else:
            sender.send(("failed", ("error", _portable(error), traceback.format_exc())))
    finally:
        sender.close()
        database.engine.dispose()


def _die_with(parent: int) -> None:
    """Linux: the kernel kills this process when its parent dies."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


class _StandIn(Exception):
    pass


def _portable(error: BaseException) -> BaseException | tuple[str, str]:
    """The error itself if it survives pickling, else its type's name and its message."""
    try:
        copy = pickle.loads(pickle.dumps(error))
        if type(copy) is type(error) and str(copy) == str(error):
            return error
    except Exception:  # noqa: BLE001
        pass
    return (type(error).__name__, str(error))


def _restored(error: BaseException | tuple[str, str]) -> BaseException:
    if isinstance(error, BaseException):
        return error
    name, message = error
    return type(name, (_StandIn,), {})(message)


def _raise(failure: tuple) -> None:
    if failure[0] == "projection":
        _, checkpoint, position, error = failure
        error = _restored(error)
        raise ProjectionFailed(checkpoint, position, error) from error
    if failure[0] == "crashed":
        raise RuntimeError(f"the rebuild process for {failure[1]} died (exit code {failure[2]})")
    _, error, text = failure
    error = _restored(error)
    log.error("a rebuild process failed:\n%s", text)
    raise error


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
            more = False
            # Targets rebuilt side by side stop at different positions: each set at one position reads on.
            for same in _by_position(group, rows):
                events = read_events(session, common_position(same, rows), batch_size, handled_types(same))
                if events:
                    apply_batch(session, same, rows, events)
                    applied += len(events)
                more |= len(events) == batch_size
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
