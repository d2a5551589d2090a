"""Run Alembic migrations against the app's database: ``factlog db upgrade`` and friends."""
from __future__ import annotations

import os
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Engine

db_cli = AppGroup("db", help="Create and migrate the database schema.")


def migrations_directory() -> Path:
    """``FACTLOG_MIGRATIONS_DIR``, else the ``migrations/`` folder beside the package or in the working dir."""
    candidates = [os.environ.get("FACTLOG_MIGRATIONS_DIR"), Path(__file__).resolve().parent.parent / "migrations",
                  Path.cwd() / "migrations"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "env.py").is_file():
            return Path(candidate)
    raise click.ClickException("cannot find the migrations folder; set FACTLOG_MIGRATIONS_DIR")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_directory()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the engine's database to ``revision`` in one transaction."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert the engine's database down to ``revision`` in one transaction."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The database's revision(s), comma-separated; None for an unmigrated database."""
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


def head_revision() -> str | None:
    """The latest revision(s) in migrations/, comma-separated."""
    return ",".join(sorted(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())) or None


def _engine() -> Engine:
    from factlog.database import get_database

    return get_database(current_app).engine


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    engine = _engine()
    before = current_revision(engine)
    upgrade(engine, revision)
    after = current_revision(engine)
    click.echo(f"database at {after}" + ("" if after != before else " (already up to date)"))


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION ("base" removes every table)."""
    engine = _engine()
    downgrade(engine, revision)
    click.echo(f"database at {current_revision(engine)}")


@db_cli.command("current")
def current_command() -> None:
    """Print the database's revision and the latest one."""
    click.echo(f"database: {current_revision(_engine())}\nlatest:   {head_revision()}")


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True, help="Diff the tables against the database.")
def revision_command(message: str, autogenerate: bool) -> None:
    """Create a new migration file in migrations/versions."""
    engine = _engine()
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=autogenerate)
