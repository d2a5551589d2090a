"""Read models: the plain tables the workers' projectors fill and factlog's query functions read.

Each read model is the set of tables one projection writes. The workers rebuild a read model into fresh
copies of these tables and switch them live atomically, so every table (and every index and constraint) of a
read model must be described here, never created elsewhere.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

QUERY_ONLY = "query_only"


def query_only(index: sa.Index) -> sa.Index:
    """Mark an index that only queries use (no projector finds rows by it): a rebuild loads its copy of the
    table without it and builds it once at the end, which costs a fraction of maintaining it row by row."""
    index.info[QUERY_ONLY] = True
    return index


@dataclass(frozen=True)
class VirtualTable:
    """A table SQLAlchemy cannot describe (an FTS5 index on SQLite), created from DDL with ``{name}``."""

    name: str
    ddl: Mapping[str, str] = field(default_factory=dict)  # dialect name -> CREATE statement

    def create_statement(self, dialect: str, name: str) -> str | None:
        template = self.ddl.get(dialect)
        return template.format(name=name) if template else None


@dataclass(frozen=True)
class ReadModel:
    name: str
    tables: tuple[sa.Table, ...]
    virtual_tables: tuple[VirtualTable, ...] = ()
