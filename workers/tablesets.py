"""The tables a projector writes: the live read model, or a ``__rebuild`` copy of it switched live later.

A copy has the same columns and keys under suffixed names (table, indexes, constraints, since PostgreSQL
index names are schema-wide). ``switch`` drops the live tables and renames the copy into their place, inside
the caller's transaction: both PostgreSQL and SQLite run that DDL transactionally.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import conv

from factlog.projections.tables import REBUILD_SUFFIX
from factlog.readmodels import QUERY_ONLY, ReadModel
from factlog.schema import metadata as live_metadata


class TableSet:
    """Table objects by their live name, pointing at the live tables or at a suffixed copy."""

    def __init__(self, read_model: ReadModel, suffix: str = ""):
        self.read_model = read_model
        self.suffix = suffix
        if suffix:
            copies = sa.MetaData(naming_convention=live_metadata.naming_convention)
            self._tables = {table.name: _copy(table, copies, suffix) for table in read_model.tables}
        else:
            self._tables = {table.name: table for table in read_model.tables}
        self._virtual = {table.name: table.name + suffix for table in read_model.virtual_tables}

    def __getitem__(self, live_name: str) -> sa.Table:
        return self._tables[live_name]

    def virtual(self, live_name: str) -> str:
        """The actual name of a virtual table (an FTS5 index) in this set."""
        return self._virtual[live_name]

    @property
    def tables(self) -> list[sa.Table]:
        return list(self._tables.values())

    def exists(self, session: Session) -> bool:
        inspector = sa.inspect(session.connection())
        return all(inspector.has_table(table.name) for table in self.tables)

    def create(self, session: Session, *, defer_query_indexes: bool = False,
               defer_keys: bool = False) -> None:
        """Drop any leftovers of this set and create it empty; without its query-only indexes if deferred, and
        (PostgreSQL, ``defer_keys``) without the keys and indexes of its tables of claim rows: a rebuild
        loading whole claims never looks those rows up. ``create_deferred`` builds them once the rows are in.
        """
        self.drop(session)
        connection = session.connection()
        dialect = connection.dialect.name
        for table in self.tables:
            connection.execute(sa.schema.CreateTable(table))
            keyless = defer_keys and dialect == "postgresql" and _of_claims(table)
            for constraint in _keys(table) if keyless else ():
                connection.exec_driver_sql(f'ALTER TABLE "{table.name}" DROP CONSTRAINT "{constraint.name}"')
            for index in table.indexes:
                if _applies(index, dialect) and not keyless \
                        and not (defer_query_indexes and index.info.get(QUERY_ONLY)):
                    index.create(connection)
        for virtual in self.read_model.virtual_tables:
            statement = virtual.create_statement(dialect, self.virtual(virtual.name))
            if statement:
                connection.exec_driver_sql(statement)

    def create_deferred(self, engine: sa.Engine, *, parallel_workers: bool = True) -> None:
        """Build the keys and indexes ``create`` deferred (those missing: a resumed rebuild may have some). A
        key built here also checks the rows loaded without it: a row written twice fails the rebuild.

        PostgreSQL, on a connection of its own (call it with no transaction open on these tables): each index
        is built ``CONCURRENTLY``, which holds no transaction id while it reads the table, so a build of
        seconds or minutes does not hold back the log's readers (docs/event-store.md), and a key is then
        attached to its finished unique index (``USING INDEX``: a catalog change). ``parallel_workers=False``:
        none for the builds (the rebuild's own connections already keep every core busy)."""
        if engine.dialect.name == "sqlite":
            return  # ``switch`` creates every index under its live name there
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not parallel_workers:
                connection.exec_driver_sql("SET max_parallel_maintenance_workers = 0")
            tables = {"tables": [f'"{table.name}"' for table in self.tables]}
            # An interrupted concurrent build leaves its index invalid: built again.
            for name in connection.execute(sa.text(
                    "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) AND NOT i.indisvalid"), tables).scalars():
                connection.exec_driver_sql(f'DROP INDEX IF EXISTS "{name}"')
            existing = set(connection.execute(sa.text(
                "SELECT conname FROM pg_constraint WHERE conrelid = ANY(CAST(:tables AS regclass[]))"),
                tables).scalars())
            indexes = set(connection.execute(sa.text(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = ANY(CAST(:tables AS regclass[]))"), tables).scalars())
            for table in self.tables:
                for constraint in _keys(table):
                    if constraint.name in existing:
                        continue
                    columns = ", ".join(f'"{column.name}"' for column in constraint.columns)
                    if constraint.name not in indexes:
                        connection.exec_driver_sql(f'CREATE UNIQUE INDEX CONCURRENTLY "{constraint.name}" '
                                                   f'ON "{table.name}" ({columns})')
                    kind = "PRIMARY KEY" if isinstance(constraint, sa.PrimaryKeyConstraint) else "UNIQUE"
                    connection.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD CONSTRAINT "{constraint.name}" '
                                               f'{kind} USING INDEX "{constraint.name}"')
                for index in table.indexes:
                    if _applies(index, "postgresql") and index.name not in indexes:
                        ddl = str(sa.schema.CreateIndex(index).compile(dialect=connection.dialect)).strip()
                        connection.exec_driver_sql(_CONCURRENTLY.sub(r"CREATE \1INDEX CONCURRENTLY ", ddl))

    def analyze(self, engine: sa.Engine) -> None:
        """PostgreSQL: gather the planner's statistics for freshly loaded copies before they go live, a table
        per transaction (each takes an id only to store its statistics).

        Without them, until autovacuum got to the renamed tables, queries and the live catch-up were planned
        on tables PostgreSQL had no statistics for."""
        if engine.dialect.name != "postgresql":
            return
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in self.tables:
                connection.exec_driver_sql(f'ANALYZE "{table.name}"')

    def drop(self, session: Session) -> None:
        connection = session.connection()
        for table in reversed(self.tables):
            table.drop(connection, checkfirst=True)
        for virtual in self.read_model.virtual_tables:
            if virtual.create_statement(connection.dialect.name, "x"):
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{self.virtual(virtual.name)}"')


_CONCURRENTLY = re.compile(r"^CREATE (UNIQUE )?INDEX ")


def _of_claims(table: sa.Table) -> bool:
    """A table of claim rows (it has a ``claim_id``): written claim by claim, found by claim."""
    return "claim_id" in table.c


def _keys(table: sa.Table) -> list[sa.Constraint]:
    return [constraint for constraint in table.constraints
            if isinstance(constraint, (sa.PrimaryKeyConstraint, sa.UniqueConstraint)) and constraint.name]


def rebuild_tables(read_model: ReadModel) -> TableSet:
    return TableSet(read_model, REBUILD_SUFFIX)


def switch(session: Session, copy: TableSet) -> None:
    """Replace the live tables by ``copy`` (same transaction as the caller's checkpoint change)."""
    live = TableSet(copy.read_model)
    live.drop(session)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    for live_table in live.tables:
        copied = copy[live_table.name]
        connection.exec_driver_sql(f'ALTER TABLE "{copied.name}" RENAME TO "{live_table.name}"')
        if postgres:
            _rename_postgres_names(connection, live_table, copied)
        else:
            # SQLite index names are schema-wide and cannot be renamed: recreate them under the live names.
            for index in copied.indexes:
                if _applies(index, "sqlite"):
                    connection.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
            for index in live_table.indexes:
                if _applies(index, "sqlite"):
                    index.create(connection)
    for virtual in copy.read_model.virtual_tables:
        if virtual.create_statement(connection.dialect.name, "x"):
            connection.exec_driver_sql(f'ALTER TABLE "{copy.virtual(virtual.name)}" RENAME TO "{virtual.name}"')


def _rename_postgres_names(connection: sa.Connection, live_table: sa.Table, copied: sa.Table) -> None:
    for live_constraint, copied_constraint in _pairs(live_table.constraints, copied.constraints):
        if isinstance(live_constraint, sa.ForeignKeyConstraint):
            continue
        connection.exec_driver_sql(f'ALTER TABLE "{live_table.name}" RENAME CONSTRAINT '
                                   f'"{copied_constraint.name}" TO "{live_constraint.name}"')
    for live_index, copied_index in _pairs(live_table.indexes, copied.indexes):
        if _applies(live_index, "postgresql"):
            connection.exec_driver_sql(f'ALTER INDEX "{copied_index.name}" RENAME TO "{live_index.name}"')
    for column in live_table.columns:
        if column is live_table.autoincrement_column:
            sequence = connection.execute(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                          {"table": live_table.name, "column": column.name}).scalar()
            if sequence:
                connection.exec_driver_sql(f'ALTER SEQUENCE {sequence} RENAME TO "{live_table.name}_{column.name}_seq"')


def _pairs(live: Iterable, copied: Iterable) -> list[tuple]:
    by_name: Mapping[str, object] = {item.name: item for item in copied}
    return [(item, by_name[item.name + REBUILD_SUFFIX]) for item in live if item.name]


def _applies(item: sa.Index | sa.Constraint, dialect: str) -> bool:
    """False for an index or constraint limited to another dialect (``.ddl_if(dialect=...)``)."""
    condition = getattr(item, "_ddl_if", None)
    return condition is None or condition.dialect is None or condition.dialect == dialect


def _copy(table: sa.Table, metadata: sa.MetaData, suffix: str) -> sa.Table:
    copied = table.to_metadata(metadata, name=table.name + suffix)
    originals = {index.name: index for index in table.indexes}
    for index in copied.indexes:
        index._ddl_if = originals[index.name]._ddl_if  # to_metadata leaves out ddl_if and info
        index.info.update(originals[index.name].info)
    for item in [*copied.constraints, *copied.indexes]:
        if item.name:
            name = item.name + suffix
            if len(name) > 63:
                raise ValueError(f"{name!r} is longer than PostgreSQL's 63 characters; shorten {item.name!r}")
            item.name = conv(name)
    return copied
