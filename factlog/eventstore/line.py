"""The log readers' line on PostgreSQL: the oldest transaction that may still add events to this database.

Events are read in ``(tx_id, position)`` order, and only below the line, so that no event can become visible
later *behind* what a reader has already read (docs/event-store.md). Every running transaction with an id
counts, except those of other databases on the server: a PostgreSQL session is bound to one database for
its whole life, so a transaction of another database can never write to this database's ``events`` table
and may be passed. The statement's own snapshot gives the running transactions (``pg_current_snapshot()``
is the snapshot the statement reads rows with); ``pg_stat_activity`` and ``pg_prepared_xacts`` say which
database each belongs to.

Safe in every case: a transaction is passed only when it is seen, by its id, in another database. One that
has ended since the snapshot was taken is no longer listed and so still holds the line (its rows are
invisible to this statement but may be committed); one this role may not see (other roles' sessions show
their ids only to a superuser or a member of ``pg_read_all_stats``) holds it too, as before. Matching on
the low 32 bits of the id is exact: running transactions are less than 2^31 ids apart.

Transactions of *this* database that never write to ``events`` (another application's, an operator's
``BEGIN`` in psql) still hold the line: telling them apart from an append that has not reached ``events``
yet needs every append to announce itself before its transaction takes an id, a serialization step on
the append path that docs/event-store.md weighs and declines.
"""
from __future__ import annotations

READERS_LINE = """(SELECT COALESCE(
    (SELECT min(running::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS running
     WHERE mod(running::text::bigint, 4294967296) NOT IN (
         SELECT backend_xid::text::bigint FROM pg_stat_activity
         WHERE backend_xid IS NOT NULL AND datname <> current_database()
         UNION ALL
         SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database <> current_database())),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint))"""

# Only rows written by transactions that have ended, below the line, are visible to log readers.
VISIBLE = f"tx_id < {READERS_LINE}"
