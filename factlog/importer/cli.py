"""``factlog import FILE``: check the whole file, then record it in one transaction."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask.cli import with_appcontext

from factlog.database import get_database
from factlog.importer.apply import import_file
from factlog.importer.file_format import ImportFileError


def _default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:import"


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", envvar="FACTLOG_ACTOR", default=_default_actor,
              help="Who the events are recorded as caused by (default: cli:<login name>).")
@with_appcontext
def import_command(file: Path, actor: str) -> None:
    """Import sources and claims from FILE (YAML or JSON; format in docs/import-format.md)."""
    with get_database().session() as session:
        try:
            result = import_file(session, file, actor)
        except ImportFileError as error:
            raise click.ClickException(f"nothing was imported from {file.name}:\n" + "\n".join(
                f"  {problem}" for problem in error.problems)) from None
    counts = ", ".join(f"{count} {section}" for section, count in result.recorded.items())
    click.echo(f"imported {file.name}: recorded {counts}; {result.already_present} already present")
