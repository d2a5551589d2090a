"""SQL building blocks shared by the event store, the read-model queries and the projectors."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def any_of(session: Session, column: sa.ColumnElement, values: Iterable[Any]) -> sa.ColumnElement[bool]:
    """``column IN values`` as one parameter however many values (an array on PostgreSQL, a JSON array
    expanded by ``json_each`` on SQLite): no statement with thousands of bound parameters to compile."""
    values = list(values)
    if is_postgres(session):
        return column == sa.any_(sa.bindparam(None, values, type_=postgresql.ARRAY(sa.Text()), unique=True))
    return column.in_(sa.select(sa.column("value")).select_from(
        sa.func.json_each(sa.bindparam(None, json.dumps(values), type_=sa.Text(), unique=True))))
