"""The rebuild's server floor: what PostgreSQL alone needs to take the rows a rebuild writes.

The rows the last rebuild wrote are saved as COPY text, then loaded into fresh copies of the tables the way
the rebuild loads them, with no Python in between: the same DDL (``TableSet.create`` without the deferred
keys and indexes), COPY from as many connections side by side as the rebuild has processes, search documents
through a staging table with the same weighted ``to_tsvector``, then the same keys, indexes and ANALYZE
(``build_query_indexes``). No rebuild of these read models can be faster on this machine: everything it does
besides (reading and folding the log, rendering and encoding rows) comes on top, on the same cores.
"""
from __future__ import annotations

import itertools
import os
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import sqlalchemy as sa

from factlog.projections.tables import REBUILD_SUFFIX

_CHUNK = 1 << 20
# Columns the server computes as the rows go in (workers/projectors/search.py), by live table name.
_COMPUTED = {"search_documents": "document"}


@contextmanager
def saved_rows(url: str) -> Iterator[dict[str, str]]:
    """The live rows of every table of the partitioned projections' read models in the database at ``url``,
    as COPY text files (search documents without their tsvector), by table name; removed afterwards."""
    from factlog.database import make_engine
    from workers.projectors import all_projections

    engine = make_engine(url)
    files: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="factlog-floor-") as directory:
        try:
            with engine.connect() as connection:
                cursor = connection.connection.driver_connection.cursor()
                for projection in all_projections():
                    if not projection.per_claim:
                        continue
                    for table in projection.read_model.tables:
                        columns = ", ".join(f'"{c.name}"' for c in _loaded_columns(table))
                        files[table.name] = os.path.join(directory, table.name)
                        with open(files[table.name], "wb") as out, \
                                cursor.copy(f'COPY (SELECT {columns} FROM "{table.name}") TO STDOUT') as copy:
                            out.writelines(copy)
        finally:
            engine.dispose()
        yield files


def load_floor(url: str, files: dict[str, str], connections: int, *,
               keep: bool = False) -> tuple[float, float]:
    """Seconds to load the saved rows into fresh copies (the rebuild's ``__rebuild`` tables, dropped
    afterwards unless ``keep``) and build their keys, indexes and statistics; and of those, the seconds the
    rows took to load."""
    from factlog.database import Database, make_engine
    from workers.bulk import use_fast_json
    from workers.projectors import all_projections
    from workers.rebuild import rebuild_target
    from workers.rebuild_processes import build_query_indexes

    database = Database(make_engine(url))
    use_fast_json(database.engine)  # the same TOAST compression as the rebuild's connections
    targets = [rebuild_target(projection) for projection in all_projections() if projection.per_claim]
    try:
        with database.session() as session:
            for target in targets:
                target.tables.create(session, defer_query_indexes=True, defer_keys=True)
            session.commit()
        copies = {live.name: target.tables[live.name] for target in targets
                  for live in target.projection.read_model.tables}
        parts = {table: _parts(path, connections) for table, path in files.items()}
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=connections) as pool:  # each its part of every table, as rebuilds
            jobs = [[(copies[t], files[t], parts[t][number]) for t in files] for number in range(connections)]
            for done in [pool.submit(_load, database, job) for job in jobs]:
                done.result()
        loaded = time.perf_counter()
        build_query_indexes(database, targets, connections)
        end = time.perf_counter()
        if not keep:
            with database.session() as session:
                for target in targets:
                    target.tables.drop(session)
                session.commit()
        return end - start, loaded - start
    finally:
        database.dispose()


def _loaded_columns(table: sa.Table) -> list[sa.Column]:
    """The columns a projector sends (the search document's tsvector is computed by the server)."""
    computed = _COMPUTED.get(table.name.removesuffix(REBUILD_SUFFIX))
    return [column for column in table.columns if column.name != computed]


def _parts(path: str, count: int) -> list[tuple[int, int]]:
    """``count`` byte ranges of about equal size that cut the file between lines."""
    size, bounds = os.path.getsize(path), [0]
    with open(path, "rb") as rows:
        for number in range(1, count):
            rows.seek(max(bounds[-1], size * number // count))
            rows.readline()  # on to the start of the next line
            bounds.append(min(size, rows.tell()))
    bounds.append(size)
    return list(itertools.pairwise(bounds))


def _load(database, tables: list[tuple[sa.Table, str, tuple[int, int]]]) -> None:
    from workers.projectors.search import insert_staged

    with database.session() as session:
        for table, path, (first, end) in tables:
            driver = session.connection().connection.driver_connection
            columns = _loaded_columns(table)
            names = ", ".join(f'"{column.name}"' for column in columns)
            computed = len(columns) < len(table.columns)
            target = table.name
            if computed:  # as the search projector writes: staging, then the weighted tsvector on the way in
                target = f"{table.name}__staging"
                session.execute(sa.text(f'CREATE TEMP TABLE "{target}" AS SELECT {names} FROM "{table.name}" '
                                        "WITH NO DATA"))
            with driver.cursor() as cursor, cursor.copy(f'COPY "{target}" ({names}) FROM STDIN') as copy, \
                    open(path, "rb") as rows:
                rows.seek(first)
                while first < end:
                    block = rows.read(min(_CHUNK, end - first))
                    copy.write(block)
                    first += len(block)
            if computed:
                insert_staged(session, table, target, [column.name for column in columns])
                session.execute(sa.text(f'DROP TABLE "{target}"'))
            session.commit()

