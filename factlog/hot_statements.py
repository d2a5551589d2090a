"""Small reads that nearly every API request runs (the token, a read model's checkpoint, a page of a timeline),
made cheap.

Built and compiled once; on PostgreSQL run straight on the session's (or connection's) psycopg connection, in
its transaction: for an indexed lookup of a row or a page, SQLAlchemy's execution path (execution context, result set-up)
cost more than the query itself, round trip included. psycopg still prepares the statement on the server
after a few uses. Errors are SQLAlchemy's, as on every other path: the driver's error wrapped the way
SQLAlchemy wraps it (an unreachable database is an OperationalError: 503), and a connection the error
broke is invalidated so that the pool replaces it. Elsewhere (SQLite) the statement runs through
SQLAlchemy, whose column types turn stored text into dates. Rows come back as tuples in column order.
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
        self._sql: dict[str, tuple[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    @property
    def statement(self) -> sa.Select:
        with self._lock:
            if self._statement is None:
                self._statement = self._build()
            return self._statement

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple | None:
        """The first row for these parameters (bound by name), or None."""
        rows = self._run(session.connection(), params, one=True)
        return rows[0] if rows else None

    def all(self, session: Session, params: Mapping[str, Any]) -> list[tuple]:
        return self._run(session.connection(), params, one=False)

    def first_on(self, connection: sa.Connection, params: Mapping[str, Any]) -> tuple | None:
        """``first`` on a connection, for code that runs without a session."""
        rows = self._run(connection, params, one=True)
        return rows[0] if rows else None

    def _run(self, connection: sa.Connection, params: Mapping[str, Any], *, one: bool) -> list[tuple]:
        dialect = connection.dialect
        if dialect.name != "postgresql":
            result = connection.execute(self.statement, params)
            return [tuple(row) for row in (result.fetchmany(1) if one else result.all())]
        sql, constants = self._sql.get(dialect.name) or self._compile(dialect)
        driver = connection.connection.driver_connection
        try:
            cursor = driver.execute(sql, {**constants, **params})
            return cursor.fetchmany(1) if one else cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            broken = dialect.is_disconnect(error, driver, None)
            if broken:
                connection.invalidate(error)
            raise sa.exc.DBAPIError.instance(sql, dict(params), error, dialect.loaded_dbapi.Error,
                                             connection_invalidated=broken, dialect=dialect) from error

    def _compile(self, dialect: sa.Dialect) -> tuple[str, dict[str, Any]]:
        """The SQL, and the values of the parameters the statement holds itself (``column == 0``)."""
        compiled = self.statement.compile(dialect=dialect)
        constants = {name: value for name, value in compiled.params.items() if value is not None}
        self._sql[dialect.name] = (str(compiled), constants)
        return self._sql[dialect.name]
