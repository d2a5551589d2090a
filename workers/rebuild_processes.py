"""A rebuild on PostgreSQL, partitioned by claim: forked processes each apply every projection to their share
of the claims, so the log is read once in all and each claim is folded once (docs/projections.md).

The rebuild stops the partitions at a position ``P``, the log's head when it starts. First this process
applies every event that is not a claim event (source registrations, aliases, merges: a few thousand) up to
``P`` to the rebuild's tables, under checkpoints ``<name>__rebuild#sources``. Then each of the ``n``
processes applies the claim events of its streams (a hash of the stream id, filtered by the database) up to
``P``, under checkpoints ``<name>__rebuild#<k>/<n>``, moved in the same transaction as its rows; the
processes write disjoint rows of the same tables. When all are done, one transaction moves each
``<name>__rebuild`` checkpoint to ``P`` and drops the partial ones; the rebuild's switch applies what came
after ``P`` as usual. Killed at any point, the next rebuild resumes every partial checkpoint where it stopped
(with the same number of partitions) and catches the sources up to a new ``P`` first.

Why this writes what a serial rebuild writes: a projector applies a batch's source events before its claim
events, so a serial rebuild already renders a claim with the sources as the end of its batch leaves them;
here the "batch" before ``P`` simply holds every source event up to ``P``. A source merge re-renders the
claims already in the tables that mention it (on a resume: those the partitions applied before), as it
does when catching up. Only projections that declare ``per_claim`` (a claim's rows depend on its own
events and the sources alone) are partitioned; the others are caught up in this process first.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import re
import signal
import traceback
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from multiprocessing.connection import wait as wait_for_any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.database import Database
from factlog.eventstore import RecordedEvent
from factlog.eventstore.store import MAX_READ_LIMIT
from factlog.projections.tables import projection_checkpoints as checkpoints
from factlog.readmodels.claim_state import CLAIM_EVENTS, CLAIM_RECORDED
from workers.garbage import collected_per_batch
from workers.progress import Progress
from workers.runner import (
    EventBatch,
    ProjectionFailed,
    Reader,
    Target,
    catch_up,
    new_checkpoint_values,
    read_checkpoints,
)

log = logging.getLogger(__name__)
# Processes (and partitions) of a rebuild on PostgreSQL: one's Python runs while the server takes another's
# rows. More than the cores only adds contention. FACTLOG_REBUILD_PROCESSES=1: serial.
REBUILD_PROCESSES = max(1, int(os.environ.get("FACTLOG_REBUILD_PROCESSES") or min(2, os.cpu_count() or 1)))
# A partition's checkpoint: ``#<k>/<n>@<P>``, P the position the partitions stop at (kept across resumes).
SOURCES, PART = "#sources", re.compile(r"#(\d+)/(\d+)@(\d+)$")
EVENTS_PER_CLAIM = 3  # about (2.7 in bench/synthetic.py): its recording, its first report, follow-ups


def partitions(database: Database, targets: Sequence[Target], processes: int) -> int:
    """How many partitions to rebuild these targets in: those of an interrupted partitioned rebuild (its
    tables hold some of the claims: only its partitions can go on), else 1 (serial) where processes cannot
    help (SQLite: one writer), are not wanted or cannot be forked, or no projection can be partitioned, and
    where the copies hold events already (partitions read whole claims, from the start of the log)."""
    if database.engine.dialect.name != "postgresql" or not any(t.projection.per_claim for t in targets):
        return 1
    with database.session() as session:
        stored = _partial_checkpoints(session, targets)
        mains = read_checkpoints(session, [t.checkpoint for t in targets if t.projection.per_claim])
    counts = {int(match.group(2)) for name in stored if (match := PART.search(name))}
    if counts:
        return max(counts)
    if any(row.position for row in mains.values()):
        return 1
    return processes if can_partition(database, targets, processes) else 1


def can_partition(database: Database, targets: Sequence[Target], processes: int) -> bool:
    """Whether a new rebuild of these targets will be partitioned."""
    return database.engine.dialect.name == "postgresql" and any(t.projection.per_claim for t in targets) \
        and processes > 1 and _can_fork()


def _can_fork() -> bool:
    """Not in a daemonic process (a Celery pool worker), which may not have children."""
    return not multiprocessing.current_process().daemon


def build_partitioned(database: Database, targets: Sequence[Target], count: int, batch_size: int,
                      meter: Progress) -> None:
    """Apply every event up to the log's head to the ``per_claim`` targets, in ``count`` partitions side by
    side, and move their checkpoints there. ProjectionFailed if a projector fails (then resumable).

    The position they stop at is fixed when the partitions are first created, and kept in their checkpoints'
    names: a partition that resumes reads whole claims up to the same position as before."""
    targets = [target for target in targets if target.projection.per_claim]
    with database.session() as session:
        stored = _partial_checkpoints(session, targets)
        upto = max((int(match.group(3)) for name in stored if (match := PART.search(name))), default=None)
        if upto is None:
            upto = eventstore.head_position(session)
        mains = read_checkpoints(session, [target.checkpoint for target in targets])
        now = datetime.now(UTC)
        missing = [new_checkpoint_values(partial, now, mains[target.checkpoint].position)
                   for target in targets for partial in [sources_target(target)]
                   + [part_target(target, number, count, upto) for number in range(count)]
                   if partial.checkpoint not in stored and partial.projection.handles]
        if missing:
            session.execute(sa.insert(checkpoints), missing)
        session.commit()
    if not upto:
        return
    bounded = _reader(upto)
    for group in _by_position(database, [sources_target(t) for t in targets]):
        catch_up(database, group, batch_size=batch_size, progress=meter.update, reader=bounded)
    parts = [[part_target(target, number, count, upto) for target in targets] for number in range(count)]
    _run_children(database, parts, upto, batch_size, meter)
    with database.session() as session:
        applied = {name: row.events_applied for name, row in _partial_checkpoints(session, targets).items()}
        now = datetime.now(UTC)
        for target in targets:
            events = sum(n for name, n in applied.items() if name.rsplit("#", 1)[0] == target.checkpoint)
            session.execute(sa.update(checkpoints).where(checkpoints.c.name == target.checkpoint).values(
                position=upto, events_applied=checkpoints.c.events_applied + events, updated_at=now))
        session.execute(sa.delete(checkpoints).where(checkpoints.c.name.in_(list(applied))))
        session.commit()


def build_query_indexes(database: Database, targets: Sequence[Target], count: int) -> None:
    """Build the targets' deferred keys and indexes and gather their statistics, on ``count`` connections at
    once (the server does the work: threads, each its own table set; resumable, as the indexes a resumed
    rebuild finds are kept), concurrently: no transaction id held while they read (``create_deferred``)."""
    def build(target: Target) -> None:
        target.tables.create_deferred(database.engine, parallel_workers=False)
        target.tables.analyze(database.engine)

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="rebuild indexes") as pool:
        for done in [pool.submit(build, target) for target in targets]:
            done.result()


def no_parallel_workers(session: Session) -> None:
    """For the rest of this transaction, no parallel workers for queries or index builds: a rebuild's own
    processes and connections already keep every core busy, and the workers PostgreSQL started for a read of
    the log (a parallel scan) or an index build only competed with them (docs/performance.md, seventh round).
    """
    session.execute(sa.text("SELECT set_config('max_parallel_workers_per_gather', '0', true), "
                            "set_config('max_parallel_maintenance_workers', '0', true)"))  # one round trip


def sources_target(target: Target) -> Target:
    """The target's projection for every event but claim events, under its ``#sources`` checkpoint."""
    handles = tuple(event_type for event_type in target.projection.handles if event_type not in CLAIM_EVENTS)
    return Target(replace(target.projection, handles=handles), target.checkpoint + SOURCES, target.tables)


def part_target(target: Target, number: int, count: int, upto: int) -> Target:
    """The target's projection for the claim events of partition ``number`` (0-based) of ``count``, which
    stops at position ``upto``."""
    handles = tuple(event_type for event_type in target.projection.handles if event_type in CLAIM_EVENTS)
    return Target(replace(target.projection, handles=handles),
                  f"{target.checkpoint}#{number + 1}/{count}@{upto}", target.tables)


def forget_partitions(session: Session, target: Target) -> None:
    """Delete the target's partial checkpoints (a rebuild starting over)."""
    session.execute(sa.delete(checkpoints).where(checkpoints.c.name.startswith(target.checkpoint + "#",
                                                                               autoescape=True)))


def _partial_checkpoints(session: Session, targets: Sequence[Target]) -> dict[str, sa.Row]:
    names = [checkpoints.c.name.startswith(target.checkpoint + "#", autoescape=True) for target in targets]
    return {row.name: row for row in session.execute(sa.select(checkpoints).where(sa.or_(*names)))} \
        if names else {}


def _by_position(database: Database, targets: Sequence[Target]) -> list[list[Target]]:
    """The targets with events to read, in groups at one checkpoint position each."""
    targets = [target for target in targets if target.projection.handles]
    with database.session() as session:
        rows = read_checkpoints(session, [target.checkpoint for target in targets])
    groups: dict[int, list[Target]] = {}
    for target in targets:
        groups.setdefault(rows[target.checkpoint].position, []).append(target)
    return list(groups.values())


def _claims_reader(upto: int, share: tuple[int, int]) -> Reader:
    """Reads whole claims of one share of the streams: claims recorded after ``after`` and up to ``upto``
    (about ``limit`` events: a claim is read with about three), each with every event of its stream (of the
    ``types``) up to ``upto``; the read gets to the last of those claims' recording. So each claim's rows are
    written once, and never looked up or replaced (its copy's keys and indexes are built at the end). A
    claim event whose claim was never recorded is not read (the domain refuses those)."""
    def read(session: Session, after: int, limit: int, types: Sequence[str]) -> list[RecordedEvent]:
        no_parallel_workers(session)
        claims = eventstore.range_streams(session, after, upto, max(1, limit // EVENTS_PER_CLAIM),
                                          types=[CLAIM_RECORDED], share=share)
        if not claims:
            return []
        events = eventstore.read_streams(session, [stream_id for _, stream_id in claims], types=types,
                                         upto=upto)
        return EventBatch(events, claims[-1][0])
    return read


def _reader(upto: int, share: tuple[int, int] | None = None) -> Reader:
    """Reads the events up to ``upto`` (of one share of the streams), in pages of at most ``read_range``'s."""
    def read(session: Session, after: int, limit: int, types: Sequence[str]) -> list[RecordedEvent]:
        found: list[RecordedEvent] = []
        while len(found) < limit:
            wanted = min(limit - len(found), MAX_READ_LIMIT)
            page = eventstore.read_range(session, found[-1].position if found else after, upto, wanted,
                                         types=types, share=share)
            found += page
            if len(page) < wanted:
                break
        return found
    return read


# -- the processes ----------------------------------------------------------------------------------------

def _run_children(database: Database, parts: list[list[Target]], upto: int, batch_size: int,
                  meter: Progress) -> None:
    """Catch every partition up to ``upto`` in a process of its own; wait for all.

    A child's failure is raised here once every child has stopped (what the others applied is kept in their
    checkpoints). A child dies with this process (SIGKILL included), so a killed rebuild leaves no runner
    behind; its checkpoints let the next rebuild resume. Where no child can be forked (resuming in a Celery
    worker), the partitions are caught up here, one after the other.
    """
    if not _can_fork():
        with collected_per_batch(meter.update) as after_batch:
            for number, part in enumerate(parts):
                for group in _by_position(database, part):
                    catch_up(database, group, batch_size=batch_size, progress=after_batch,
                             reader=_claims_reader(upto, (number, len(parts))))
        return
    context = multiprocessing.get_context("fork")
    children, receivers = [], []
    try:
        for number, part in enumerate(parts):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=_child, name=f"rebuild partition {number + 1}/{len(parts)}",
                                    args=(database, part, _claims_reader(upto, (number, len(parts))),
                                          batch_size, sender, os.getpid()), daemon=True)
            child.start()
            sender.close()
            children.append(child)
            receivers.append(receiver)
        failures: list[tuple] = []
        running = set(range(len(parts)))
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
                        meter.update(payload)  # the partitions read disjoint events
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


def _child(database: Database, part: list[Target], reader: Reader, batch_size: int, sender,
           parent: int) -> None:
    _die_with(parent)
    database.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    try:
        with collected_per_batch(lambda count: sender.send(("progress", count))) as after_batch:
            for group in _by_position(database, part):
                catch_up(database, group, batch_size=batch_size, reader=reader, progress=after_batch)
        sender.send(("done", None))
    except BaseException as error:  # noqa: BLE001 (everything goes to the parent)
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
    except Exception:  # noqa: BLE001, S110
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
