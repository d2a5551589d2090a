"""``factlog projections ...``: status, catch-up and rebuild, plugged into the factlog CLI (flask.commands)."""
from __future__ import annotations

import json
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from factlog.database import get_database
from factlog.eventstore.held_back import held_back
from factlog.projections.status import projection_status
from workers import rebuild as rebuilding
from workers.progress import Progress
from workers.projectors import all_projections, projections_named
from workers.runner import ProjectionFailed, catch_up, live

projections_cli = AppGroup("projections", help="Read models built from the event log: status, catch-up, rebuild.")


def _selected(names: tuple[str, ...]) -> list:
    try:
        return projections_named(names)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@projections_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status_command(as_json: bool) -> None:
    """Each projection's version, checkpoint, the log's head, lag in events and seconds, and last error; on
    PostgreSQL, what waits behind the oldest open transaction (readers cannot see it yet) and who holds it."""
    with get_database().session() as session:
        stored = {status.name: status for status in projection_status(session)}
        held = held_back(session)
    rows = []
    for projection in all_projections():
        status = stored.pop(projection.name, None)
        data = status.to_json() if status else {"name": projection.name, "version": None, "position": None}
        data["code_version"] = projection.version
        data["outdated"] = status is not None and status.version < projection.version
        rows.append(data)
    rows.extend(status.to_json() | {"code_version": None, "outdated": False} for status in stored.values())
    if as_json:
        body = {"projections": rows} | ({"held_back": held.to_json()} if held is not None else {})
        click.echo(json.dumps(body, indent=2))
        return
    header = ("NAME", "VERSION", "CHECKPOINT", "HEAD", "LAG", "LAG S", "LAST ERROR")
    lines = [header]
    for row in rows:
        version = f"{row['version']}" if row["version"] is not None else "never run"
        if row["outdated"]:
            version += f" (code {row['code_version']})"
        error = row.get("last_error") or ""
        if error:
            error = f"at {row['last_error_position']}: {error}"[:80]
        lines.append((row["name"], version, _text(row["position"]), _text(row.get("head_position")),
                      _text(row.get("lag_events")), _text(row.get("lag_seconds")), error))
        rebuild = row.get("rebuild")
        if rebuild:
            lines.append(("  rebuilding", str(rebuild["version"]), _text(rebuild["position"]), "",
                          _text(rebuild["lag_events"]), "", rebuild.get("last_error") or ""))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    if held is not None and (held.events or held.holder is not None):
        click.echo(f"\nlog readers: {held.describe()}" if held.events
                   else f"\nlog readers: nothing waits; the oldest open transaction is {held.holder.describe()}")


def _text(value: object) -> str:
    return "-" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


@projections_cli.command("catch-up")
@click.argument("names", nargs=-1)
def catch_up_command(names: tuple[str, ...]) -> None:
    """Apply new events to the projections (all unless NAMES are given), in this process."""
    failed = False
    for projection in _selected(names):
        try:
            applied = catch_up(get_database(), [live(projection)],
                               batch_size=current_app.config.get("PROJECTIONS_BATCH_SIZE", 1000))
        except ProjectionFailed as failure:
            click.echo(str(failure), err=True)
            failed = True
            continue
        click.echo(f"{projection.name}: " + ("another runner is at work" if applied is None
                                             else f"{applied:,} events applied"))
    if failed:
        sys.exit(1)


@projections_cli.command("rebuild")
@click.argument("names", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Rebuild every projection (reading the log once).")
@click.option("--outdated", is_flag=True, help="Rebuild those whose stored version is older than the code's, "
                                              "and finish interrupted rebuilds.")
@click.option("--restart", is_flag=True, help="Start from position 0 even if an interrupted rebuild could resume.")
@click.option("--in-worker", is_flag=True, help="Ask a worker to do it instead of rebuilding in this process.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=None,
              help="Events per batch, one transaction each [default: "
                   f"{rebuilding.POSTGRES_REBUILD_BATCH_SIZE:,} on PostgreSQL, where a longer transaction holds "
                   f"back the log's readers; {rebuilding.REBUILD_BATCH_SIZE:,} on SQLite]")
def rebuild_command(names: tuple[str, ...], everything: bool, outdated: bool, restart: bool, in_worker: bool,
                    batch_size: int | None) -> None:
    """Rebuild NAMES from position 0 into fresh tables while the old ones serve, then switch atomically."""
    if sum(map(bool, (names, everything, outdated))) != 1:
        raise click.UsageError("name the projections, or pass --all or --outdated")
    projections = _selected(names) if names else all_projections()
    if outdated:
        projections = rebuilding.due(get_database(), projections)
        if not projections:
            click.echo("every projection is up to date")
            return
    if in_worker:
        from factlog.projections.nudge import task_client
        from workers.tasks import REBUILD_TASK

        sent = task_client().send(REBUILD_TASK, names=[p.name for p in projections], restart=restart,
                                  batch_size=batch_size)
        click.echo("sent to the workers" if sent else "could not reach the broker (see the log)")
        sys.exit(0 if sent else 1)
    started = time.monotonic()
    try:
        read = rebuilding.rebuild(get_database(), projections, restart=restart, batch_size=batch_size,
                                  progress=lambda label, total: Progress(label, total, sys.stderr))
    except (rebuilding.RebuildRunning, ProjectionFailed) as error:
        raise click.ClickException(str(error)) from None
    seconds = time.monotonic() - started
    click.echo(f"rebuilt {', '.join(p.name for p in projections)}: {read:,} events in {seconds:.1f}s "
               f"({read / seconds if seconds else 0:,.0f} events/s), switched live")
