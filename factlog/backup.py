"""Back up and restore the event log as NDJSON: ``factlog export --ndjson`` and ``factlog import DUMP``.

One event per line, in log order, with every stored column. Importing a dump into an empty database
reproduces the log exactly (ids, positions, versions, order, data, metadata, times); the workers then
project it into the same read models. Accounts and API tokens are not events: back those up with the
database's own tools (docs/operations.md).
"""
from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

import click
from flask.cli import with_appcontext

from factlog import eventstore
from factlog.database import get_database
from factlog.eventstore import StoredEvent
from factlog.progress import Progress

FIELDS = ("position", "event_id", "stream_id", "stream_version", "event_type", "schema_version", "data",
          "metadata", "recorded_at", "idempotency_key")
# A line with these keys is an event of a dump (detection by ``factlog import``).
SIGNATURE = {"position", "event_id", "stream_id", "stream_version", "event_type", "data"}


class DumpError(ValueError):
    """A line of the dump cannot be read."""


def to_line(event: StoredEvent) -> str:
    return json.dumps({
        "position": event.position, "event_id": str(event.event_id), "stream_id": event.stream_id,
        "stream_version": event.stream_version, "event_type": event.event_type,
        "schema_version": event.schema_version, "data": event.data, "metadata": event.metadata,
        "recorded_at": event.recorded_at.isoformat(timespec="microseconds"),
        "idempotency_key": event.idempotency_key,
    }, ensure_ascii=False, separators=(",", ":"))


def from_line(line: str, number: int) -> StoredEvent:
    try:
        record = json.loads(line)
        missing = [name for name in FIELDS if name != "idempotency_key" and name not in record]
        if missing:
            raise DumpError(f"line {number}: missing {', '.join(missing)}")
        recorded_at = datetime.fromisoformat(record["recorded_at"])
        if recorded_at.tzinfo is None:
            raise DumpError(f"line {number}: recorded_at needs its UTC offset")
        return StoredEvent(int(record["position"]), uuid.UUID(record["event_id"]), record["stream_id"],
                           int(record["stream_version"]), record["event_type"], int(record["schema_version"]),
                           record["data"], record["metadata"], recorded_at, record.get("idempotency_key"))
    except DumpError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise DumpError(f"line {number}: not an event of a factlog dump ({error})") from None


def read_lines(handle: IO[str]) -> Iterator[StoredEvent]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield from_line(line, number)


def is_dump(path: Path) -> bool:
    """True when the file's first line is an event of a dump (as opposed to a YAML/JSON import file)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and SIGNATURE <= set(record)
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return False


def write_dump(session, output: IO[str], progress: Progress | None = None) -> int:
    """Write every event to ``output``; return how many."""
    count = 0
    for event in eventstore.iter_stored(session):
        output.write(to_line(event) + "\n")
        count += 1
        if progress:
            progress.update(1)
    return count


def restore_dump(session, lines: Iterable[StoredEvent], progress: Progress | None = None) -> int:
    """Restore into the empty log and commit; RestoreRefused (nothing written) otherwise."""
    count = eventstore.restore(session, lines, progress=progress.update if progress else None)
    session.commit()
    return count


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or FILE written beside itself and renamed into place only when complete."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


@click.command("export")
@click.option("--ndjson", is_flag=True,
              help="One JSON event per line (the default, and so far the only format).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to FILE (complete or not at all) instead of standard output.")
@with_appcontext
def export_command(ndjson: bool, output: Path | None) -> None:
    """Stream every event of the log, in log order, with every stored column (a backup)."""
    with get_database().session() as session:
        total = eventstore.count_events(session)
        progress = Progress("export", total, sys.stderr)
        with _output(output) as handle:
            count = write_dump(session, handle, progress)
        session.rollback()
    progress.finish()
    if output is not None:
        click.echo(f"exported {count:,} events to {output}", err=True)
    if count < total:
        click.echo(f"note: {total - count:,} more events were committed by transactions that started before "
                   "one still running, so no log reader sees them yet (docs/event-store.md); export again to "
                   "include them", err=True)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


def restore_command(path: Path) -> None:
    """``factlog import --ndjson DUMP``: restore a dump into the empty log, then nudge the workers."""
    from factlog.projections.nudge import nudge_projections

    stdin = str(path) == "-"
    total = None if stdin else _count_lines(path)
    handle = sys.stdin if stdin else open(path, encoding="utf-8")
    try:
        with get_database().session() as session:
            progress = Progress(f"restore {'stdin' if stdin else path.name}", total, sys.stderr)
            try:
                count = restore_dump(session, read_lines(handle), progress)
            except (DumpError, eventstore.RestoreRefused) as error:
                raise click.ClickException(f"nothing was restored: {error}") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    progress.finish()
    nudge_projections()
    click.echo(f"restored {count:,} events; the workers now project them (`factlog projections status`)")
