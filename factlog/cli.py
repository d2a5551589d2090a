"""The ``factlog`` command: Flask's CLI over ``create_app`` plus factlog's own commands."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from factlog import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="factlog: sourced claims as an append-only log.")
def main() -> None:
    """Entry point of the ``factlog`` console script."""


def _register_commands() -> None:
    from factlog.migrations import db_cli

    main.add_command(db_cli)


_register_commands()
