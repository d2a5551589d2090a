"""What holds the log's readers back: the oldest transaction with an id in factlog's database.

Readers see only events below the oldest transaction id still running in this database
(``factlog/eventstore/line.py``; other databases' transactions are passed), so one long writing transaction
in it delays the feed, the projections and the webhooks for as long as it runs (nothing is lost). This names it, and says how many
committed events wait behind it and for how long, for ``/readyz``, ``/metrics``, ``factlog projections
status`` and the worker's warning. SQLite has no such line: everything here answers None there.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore.line import READERS_LINE
from factlog.sql import is_postgres

# The committed events readers cannot see yet (at or above the line), and the age of the oldest of them.
_WAITING = sa.text(f"""
WITH readers AS (SELECT {READERS_LINE} AS line)
SELECT count(events.position) AS events, EXTRACT(EPOCH FROM clock_timestamp() - min(recorded_at)) AS seconds,
       readers.line
FROM readers LEFT JOIN events ON events.tx_id >= readers.line GROUP BY readers.line
""")
# The oldest transaction holding an id in this database (other databases' do not hold the line), sessions
# and prepared (two-phase) transactions alike. Other roles' sessions show their transaction ids only to a
# superuser or a member of pg_read_all_stats.
_OLDEST = sa.text("""
SELECT * FROM (
    SELECT pid, datname AS database, application_name, state, backend_xid::text::bigint AS xid,
           xact_start AS started_at, EXTRACT(EPOCH FROM clock_timestamp() - xact_start) AS age_seconds,
           left(query, 200) AS query, NULL AS prepared, age(backend_xid) AS xid_age
    FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
                                AND datname = current_database()
    UNION ALL
    SELECT NULL, database, NULL, 'prepared', transaction::text::bigint, prepared,
           EXTRACT(EPOCH FROM clock_timestamp() - prepared), NULL, gid, age(transaction)
    FROM pg_prepared_xacts WHERE database = current_database()
) AS holders ORDER BY xid_age DESC LIMIT 1
""")


@dataclass(frozen=True)
class Holder:
    """A transaction holding an id: a session's (``pid``) or a prepared one (``prepared``: its gid)."""

    pid: int | None
    database: str | None
    application_name: str | None
    state: str | None
    xid: int
    started_at: datetime | None
    age_seconds: float
    query: str | None
    prepared: str | None

    def describe(self) -> str:
        who = f"prepared transaction {self.prepared!r}" if self.prepared is not None else f"pid {self.pid}"
        parts = [f"database {self.database!r}"]
        if self.application_name:
            parts.append(f"application {self.application_name!r}")
        if self.state and self.prepared is None:
            parts.append(self.state)
        parts.append(f"open {self.age_seconds:.0f}s")
        return f"{who} ({', '.join(parts)})"


@dataclass(frozen=True)
class HeldBack:
    """Committed events the log's readers cannot see yet, how long the oldest has waited, and the oldest
    transaction holding an id (None when none but ours; it may be unnamed without the rights to see it)."""

    events: int
    seconds: float
    line: int
    holder: Holder | None

    def describe(self) -> str:
        waiting = f"{self.events:,} committed events wait, the oldest {self.seconds:.1f}s"
        if self.holder is None:
            return waiting + "; the transaction holding them is not visible to this role"
        return f"{waiting}, behind {self.holder.describe()}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.holder is not None:
            data["holder"]["started_at"] = self.holder.started_at.isoformat() if self.holder.started_at else None
        return data


def held_back(session: Session) -> HeldBack | None:
    """The log readers' line on PostgreSQL and what holds it; None on SQLite. Reads only (no id taken)."""
    if not is_postgres(session):
        return None
    waiting = session.execute(_WAITING).one()
    row = session.execute(_OLDEST).mappings().first()
    holder = None
    if row is not None:
        values = {key: row[key] for key in Holder.__dataclass_fields__}
        values["age_seconds"] = round(float(row["age_seconds"] or 0.0), 3)
        if values["started_at"] is not None and values["started_at"].tzinfo is None:
            values["started_at"] = values["started_at"].replace(tzinfo=UTC)
        holder = Holder(**values)
    seconds = round(max(0.0, float(waiting.seconds or 0.0)), 3) if waiting.events else 0.0
    return HeldBack(events=waiting.events, seconds=seconds, line=waiting.line, holder=holder)
