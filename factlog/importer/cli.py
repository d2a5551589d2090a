"""``factlog import FILE``: check the whole file, then record it in one transaction.

FILE may also be an event-log dump from ``factlog export --ndjson`` (detected, or said with ``--ndjson``):
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
@click.option("--ndjson", is_flag=True,
              help="FILE ('-': standard input) is a dump from `factlog export --ndjson`: restore it into the "
                   "empty log. Detected without the flag for a file.")
@with_appcontext
def import_command(file: Path, actor: str, ndjson: bool) -> None:
    """Import sources and claims from FILE (YAML or JSON; docs/import-format.md), or restore a dump."""
    from factlog import backup

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
