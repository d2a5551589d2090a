"""One-row lookups that nearly every API request runs (the token, a read model's checkpoint), made cheap.

Built and compiled once; on PostgreSQL run straight on the session's psycopg connection, in the session's
transaction: for a one-row indexed lookup, SQLAlchemy's execution path (execution context, result set-up)
cost more than the query itself, round trip included. psycopg still prepares the statement on the server
after a few uses. Errors are SQLAlchemy's, as on every other path: the driver's error wrapped the way
SQLAlchemy wraps it (an unreachable database is an OperationalError: 503), and a connection the error
broke is invalidated so that the pool replaces it. Elsewhere (SQLite) the statement runs through the
session, whose column types turn stored text into dates. Rows come back as tuples in column order.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


class HotStatement:
    def __init__(self, build: Callable[[], sa.Select]):
        self._build = build
        self._statement: sa.Select | None = None
        self._sql: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def statement(self) -> sa.Select:
        with self._lock:
            if self._statement is None:
                self._statement = self._build()
            return self._statement

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple | None:
        """The first row for these parameters (bound by name), or None."""
        connection = session.connection()
        dialect = connection.dialect
        if dialect.name != "postgresql":
            row = session.execute(self.statement, params).first()
            return tuple(row) if row is not None else None
        sql = self._sql.get(dialect.name) or self._compile(dialect)
        driver = connection.connection.driver_connection
        try:
            return driver.execute(sql, params).fetchone()
        except dialect.loaded_dbapi.Error as error:
            broken = dialect.is_disconnect(error, driver, None)
            if broken:
                connection.invalidate(error)
            raise sa.exc.DBAPIError.instance(sql, dict(params), error, dialect.loaded_dbapi.Error,
                                             connection_invalidated=broken, dialect=dialect) from error

    def _compile(self, dialect: sa.Dialect) -> str:
        sql = str(self.statement.compile(dialect=dialect))
        self._sql[dialect.name] = sql
        return sql
