"""Fast writes for projectors: COPY on PostgreSQL, executemany on SQLite; orjson to encode the JSON.

A rebuild writes millions of rows: row-by-row INSERTs (even pipelined) cost more than everything else.
"""
from __future__ import annotations

import json
import weakref
from typing import Any, Sequence

import orjson
import sqlalchemy as sa
from psycopg.types.json import Jsonb, set_json_dumps
from sqlalchemy.orm import Session


_fast_engines: "weakref.WeakSet[sa.Engine]" = weakref.WeakSet()


def _dumps(value: Any) -> bytes | str:
    """orjson, except where it refuses (an integer beyond 64 bits): then json, which keeps it exact."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False)


def use_fast_json(engine: sa.Engine) -> None:
    """Have psycopg encode the JSON that projectors write (COPY) with orjson on this engine. Idempotent.

    Decoding is the engine's business (factlog.database decodes JSONB with a guarded orjson)."""
    if engine.dialect.name != "postgresql" or engine in _fast_engines:
        return
    _fast_engines.add(engine)

    @sa.event.listens_for(engine, "connect")
    def _fast_json(dbapi_connection, _record) -> None:
        set_json_dumps(_dumps, dbapi_connection)


def insert_rows(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (all with the same keys) into ``table`` in the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(table), rows)
        return
    columns = [column for column in table.columns if column.name in rows[0]]
    json = [isinstance(column.type, sa.JSON) for column in columns]
    names = [column.name for column in columns]
    statement = f'COPY "{table.name}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) FROM STDIN'
    driver_connection = session.connection().connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([Jsonb(row[name]) if is_json and row[name] is not None else row[name]
                            for name, is_json in zip(names, json)])
