"""The ``factlog`` command: Flask's CLI over ``create_app``.

factlog's own command groups are added to ``app.cli`` in ``create_app``; the worker package plugs its
``projections`` group in through the ``flask.commands`` entry point.
"""
from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():
    from factlog import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="factlog: sourced claims as an append-only log.")
def main() -> None:
    """Entry point of the ``factlog`` console script."""
