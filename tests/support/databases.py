"""Fresh, migrated databases for tests: a SQLite file, or a PostgreSQL database cloned from a template."""
from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path

import sqlalchemy as sa

from factlog.config import normalize_database_url
from factlog.database import make_engine
from factlog.migrations import upgrade
from tests.support.services import POSTGRES_URL

_RUN = f"factlog_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
_counter = itertools.count()


def _admin_engine() -> sa.Engine:
    return sa.create_engine(normalize_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT",
                            poolclass=sa.pool.NullPool)


def postgres_url(database: str) -> str:
    return str(sa.make_url(normalize_database_url(POSTGRES_URL)).set(database=database)
               .render_as_string(hide_password=False))


class PostgresDatabases:
    """Creates one migrated template per test run and clones it for each test (CREATE DATABASE ... TEMPLATE)."""

    def __init__(self) -> None:
        self.template = f"{_RUN}_template"
        self.created: list[str] = []
        self._admin = _admin_engine()
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(postgres_url(self.template))
        upgrade(engine)
        engine.dispose()

    def new(self) -> str:
        name = f"{_RUN}_{next(_counter)}"
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return postgres_url(name)

    def drop(self, url: str) -> None:
        name = sa.make_url(url).database
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(postgres_url(name))
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._admin.dispose()


class SqliteDatabases:
    """Migrates one template file per test run and copies it for each test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.sqlite"
        engine = make_engine(f"sqlite:///{self.template}")
        upgrade(engine)
        engine.dispose()  # closing the last connection checkpoints the WAL into the file

    def new(self) -> str:
        path = self.directory / f"{next(_counter)}.sqlite"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"
