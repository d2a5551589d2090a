"""Fast set-based writes for projectors: COPY on PostgreSQL, executemany on SQLite; orjson to encode the JSON.

A rebuild writes millions of rows: row-by-row INSERTs (even pipelined) cost more than everything else, and so
did psycopg's per-value encoding of COPY rows in Python. Rows go as COPY text lines built by one encoder per
column type; JSON documents are compressed with lz4 where the server has it (pglz cost more than the parse).
"""
from __future__ import annotations

import operator
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import set_json_dumps
from sqlalchemy.orm import Session

from factlog.json_text import dumps, json_text
from factlog.sql import is_postgres

_fast_engines: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
# Turns lz4 TOAST compression on for the session where the server was built with it.
_LZ4 = ("SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
        "WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)")


# Read-model documents may hold dates: written as ISO 8601.
_document_json = partial(dumps, dates=True)


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def use_fast_json(engine: sa.Engine) -> None:
    """On this engine's PostgreSQL connections: psycopg encodes JSON with orjson and new JSON documents are
    compressed with lz4 (when the server has it). Idempotent.

    Decoding is the engine's business (factlog.database decodes JSONB with a guarded orjson)."""
    if engine.dialect.name != "postgresql" or engine in _fast_engines:
        return
    _fast_engines.add(engine)

    @sa.event.listens_for(engine, "connect")
    def _fast_json(dbapi_connection, _record) -> None:
        set_json_dumps(_document_json, dbapi_connection)
        with dbapi_connection.cursor() as cursor:
            cursor.execute(_LZ4)
        dbapi_connection.commit()


def insert_rows(session: Session, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (all with the same keys) into ``table`` in the session's transaction."""
    if not rows:
        return
    if not is_postgres(session):
        session.execute(sa.insert(table), rows)
        return
    copy_rows(session, table.name, [column for column in table.columns if column.name in rows[0]], rows)


def copy_rows(session: Session, table_name: str, columns: Sequence[sa.Column],
              rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL: COPY ``rows`` into ``table_name`` (``columns`` give each value's type)."""
    names = ", ".join(f'"{column.name}"' for column in columns)
    driver_connection = session.connection().connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(f'COPY "{table_name}" ({names}) FROM STDIN') as copy:
        # In chunks: the server takes one in while the next is encoded.
        for start in range(0, len(rows), _COPY_CHUNK):
            copy.write(copy_text(columns, rows[start:start + _COPY_CHUNK]))


_COPY_CHUNK = 2000
# COPY's text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(columns: Sequence[sa.Column], rows: Sequence[dict[str, Any]]) -> str:
    """The rows as COPY text lines.

    Fast path: every value formatted as it is (C-level ``%``), JSON as its COPY text (backslashes doubled:
    JSON text holds no raw tab, newline or carriage return), then the chunk checked with counts only: when
    its tabs and newlines are exactly the separators and its backslashes exactly those of the JSON and the
    NULLs, no other value needed escaping. Otherwise (a value holding a tab, a backslash, ...) each value is
    escaped on its own.
    """
    names = [column.name for column in columns]
    get = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    kinds = tuple("json" if isinstance(column.type, sa.JSON) else "date" if type(column.type) is sa.Date
                  else "" for column in columns)
    encoded = _encoded.get()
    json_copy = _json_copy if encoded is None or "json" not in kinds \
        else lambda value: _shared_json_copy(encoded, value)
    parts, backslashes = _line_formatter(kinds)(rows, get, json_copy)
    chunk = "".join(parts)
    if chunk.count("\t") == len(rows) * (len(names) - 1) and chunk.count("\n") == len(rows) \
            and "\r" not in chunk and chunk.count("\\") == backslashes:
        return chunk
    encoders = [(column.name, _encoder(column.type)) for column in columns]
    return "".join("\t".join([r"\N" if row[name] is None else encode(row[name]) for name, encode in encoders])
                   + "\n" for row in rows)


@lru_cache(maxsize=256)
def _line_formatter(kinds: tuple[str, ...]) -> Callable:
    """``format(rows, get, json_copy) -> (lines, backslashes)`` for rows of columns of these kinds ("json",
    "date", "" for the others): one loop compiled for the layout, each value converted inline (``\\N`` for
    None); ``backslashes`` counts those the lines must hold: one per NULL, and those of the JSON texts."""
    values = [f"v{number}" for number in range(len(kinds))]
    jsons = [value for value, kind in zip(values, kinds) if kind == "json"]
    convert = {"json": "{}", "date": "iso_date({})", "": "{}"}
    converted = [f"NULL if {value} is None else " + convert[kind].format(value)
                 for value, kind in zip(values, kinds)]
    lines = ["def format(rows, get, json_copy):",
             "    lines, backslashes = [], 0",
             "    append = lines.append",
             "    for row in rows:",
             "        values = get(row)",
             "        backslashes += values.count(None)",
             f"        {', '.join(values)}, = values"]
    for value in jsons:
        lines += [f"        if {value} is not None:",
                  f"            {value}, count = json_copy({value})",
                  "            backslashes += count"]
    lines += [f"        append(LINE % ({', '.join(converted)},))",
              "    return lines, backslashes"]
    namespace = {"NULL": r"\N", "iso_date": _iso_date, "LINE": "\t".join(["%s"] * len(kinds)) + "\n"}
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<copy lines {kinds}>", "exec"), namespace)  # noqa: S102 (from the kinds only)
    return namespace["format"]


_iso_date = lru_cache(maxsize=65536)(date.isoformat)  # "%s" of a date costs 4x a cached lookup
# id -> (the value, (its COPY text, backslashes)), within ``shared_json``: the value is kept so that its id
# is not reused.
_encoded: ContextVar[dict[int, tuple[Any, tuple[str, int]]] | None] = ContextVar("shared_json", default=None)


@contextmanager
def shared_json() -> Iterator[None]:
    """Within this block, a JSON value written to several tables (the same object: a claim's card) is encoded
    once. For rows that are never changed once built (as projectors' rows are)."""
    token = _encoded.set({})
    try:
        yield
    finally:
        _encoded.reset(token)


def _shared_json_copy(encoded: dict[int, tuple[Any, tuple[str, int]]], value: Any) -> tuple[str, int]:
    known = encoded.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    text = _json_copy(value)
    encoded[id(value)] = (value, text)
    return text


def _json_copy(value: Any) -> tuple[str, int]:
    """The value's JSON as COPY text, and how many backslashes that holds."""
    text = _json_text(value)
    backslashes = text.count("\\")
    return (text.replace("\\", "\\\\"), 2 * backslashes) if backslashes else (text, 0)


def _json_text(value: Any) -> str:
    return json_text(value, dates=True)  # JSON holds no raw tab, newline or carriage return


def _text(value: Any) -> str:
    return str(value).translate(_ESCAPES)


def _json(value: Any) -> str:
    return _json_copy(value)[0]


def _boolean(value: Any) -> str:
    return "t" if value else "f"


def _encoder(column_type: sa.types.TypeEngine) -> Callable[[Any], str]:
    if isinstance(column_type, sa.JSON):
        return _json
    if isinstance(column_type, sa.Boolean):
        return _boolean
    if isinstance(column_type, (sa.Date, sa.DateTime)):
        return _iso
    return str if isinstance(column_type, sa.Integer) else _text
