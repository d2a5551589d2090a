"""``factlog import FILE``: check the whole file, then record it in one transaction.

FILE may be a CSV of claims (``.csv``, or ``--csv``; ``--dry-run`` checks it and writes nothing). It may
also be an event-log dump from ``factlog export --ndjson`` (detected, or said with ``--ndjson``):
it is then restored, exactly, into the empty log (factlog/backup.py).
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from factlog.database import get_database
from factlog.importer.apply import import_file
from factlog.importer.csv_import import import_csv
from factlog.importer.csv_rows import DEFAULT_NAMESPACE
from factlog.importer.file_format import ImportFileError
from factlog.progress import Progress
from factlog.request_context import new_request_id, using_request_id


def _default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:import"


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--actor", envvar="FACTLOG_ACTOR", default=_default_actor,
              help="Who the events are recorded as caused by (default: cli:<login name>).")
@click.option("--csv", "as_csv", is_flag=True,
              help="FILE ('-': standard input) is a CSV of claims, one per row (docs/import-format.md). "
                   "Detected without the flag for a .csv file.")
@click.option("--dry-run", is_flag=True, help="CSV: check every row and report every problem; write nothing.")
@click.option("--namespace", default=DEFAULT_NAMESPACE, show_default=True,
              help="CSV: fixes the ids of what the file records; keep it when importing the file again.")
@click.option("--ndjson", is_flag=True,
              help="FILE ('-': standard input) is a dump from `factlog export --ndjson`: restore it into the "
                   "empty log. Detected without the flag for a file.")
@with_appcontext
def import_command(file: Path, actor: str, as_csv: bool, dry_run: bool, namespace: str, ndjson: bool) -> None:
    """Import sources and claims from FILE (YAML, JSON or CSV; docs/import-format.md), or restore a dump."""
    from factlog import backup

    if as_csv or file.suffix.lower() == ".csv":
        _import_csv(file, actor, namespace, dry_run)
        return
    if dry_run:
        raise click.UsageError("--dry-run checks a CSV file (--csv)")
    if ndjson or (str(file) != "-" and backup.is_dump(file)):
        backup.restore_command(file)
        return
    if str(file) == "-":
        raise click.UsageError("standard input is read only with --ndjson (a dump)")
    with get_database().session() as session, using_request_id(new_request_id("cli:")):
        progress = Progress(f"import {file.name}", None, sys.stderr, unit="records")
        try:
            result = import_file(session, file, actor, progress)
        except ImportFileError as error:
            raise click.ClickException(f"nothing was imported from {file.name}:\n" + "\n".join(
                f"  {problem}" for problem in error.problems)) from None
    progress.finish()
    counts = ", ".join(f"{count} {section}" for section, count in result.recorded.items())
    click.echo(f"imported {file.name}: recorded {counts}; {result.already_present} already present")


def _import_csv(file: Path, actor: str, namespace: str, dry_run: bool) -> None:
    name = "standard input" if str(file) == "-" else file.name
    data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    with get_database().session() as session, using_request_id(new_request_id("cli:")):
        progress = Progress(f"import {name}", None, sys.stderr, unit="commands")
        try:
            report = import_csv(session, data, actor, namespace=namespace, dry_run=dry_run, progress=progress)
        except ValueError as error:
            raise click.BadParameter(str(error).removeprefix("namespace: "),
                                     param_hint="--namespace") from None
    progress.finish()
    if not report.ok:
        count = f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}"
        heading = (f"{name}: {count} (dry run: nothing was written)" if dry_run
                   else f"nothing was imported from {name}: {count}")
        raise click.ClickException(heading + ":\n" + "\n".join(f"  {problem}" for problem in report.problems))
    if dry_run:
        click.echo(f"dry run of {name}: no problems; {report.summary()} (nothing was written)")
    else:
        click.echo(f"imported {name}: {report.summary()}")
