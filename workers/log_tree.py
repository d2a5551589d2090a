"""Grow the log's Merkle tree as the log grows, and sign its heads (docs/transparency.md).

A projection of sorts: each batch is one transaction that takes the tree's lock (returning at once if another
builder has it), reads the tree's end (its last leaf: the checkpoint) and the next events in log order
*before writing anything* (docs/event-store.md), then writes their leaves and the perfect subtrees they
complete, and commits. Never in the append's path: beat runs it every ``FACTLOG_LOG_SIGN_INTERVAL`` seconds.
Batches are small so no transaction holds the log readers' line back for long.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

import sqlalchemy as sa

from factlog.database import Database
from factlog.eventstore.dump import read_stored
from factlog.transparency import merkle, store
from factlog.transparency.canonical import event_bytes
from factlog.transparency.signing import SigningKey
from factlog.transparency.tables import log_tree_leaves, log_tree_nodes
from workers.locks import transaction_lock

TREE_LOCK = "log_tree"
BATCH_SIZE = 2000

log = logging.getLogger(__name__)


def grow(database: Database, *, batch_size: int = BATCH_SIZE, max_batches: int | None = None,
         progress: Callable[[int], None] | None = None) -> int | None:
    """Add every visible event not yet in the tree (at most ``max_batches`` batches of them); return how
    many, None if another builder has the tree."""
    added, batches = 0, 0
    while True:
        count = _grow_batch(database, batch_size)
        if count is None:
            return added or None
        added += count
        batches += 1
        if progress and count:
            progress(count)
        if count < batch_size or (max_batches is not None and batches >= max_batches):
            return added


def _grow_batch(database: Database, batch_size: int) -> int | None:
    with database.session() as session, transaction_lock(session, TREE_LOCK) as acquired:
        if not acquired:
            session.rollback()
            return None
        size, last_position = store.tree_end(session)
        events = read_stored(session, after=last_position, limit=batch_size)
        if not events:
            session.rollback()
            return 0
        edge = store.subtree_hashes(session, set(merkle.perfect_subtrees(0, size)))
        new_nodes: list[dict] = []

        def keep(level: int, index: int, digest: bytes) -> None:
            if level:
                new_nodes.append({"level": level, "node_index": index, "hash": digest})

        builder = merkle.TreeBuilder.resume(size, [edge[node] for node in merkle.perfect_subtrees(0, size)], keep)
        new_leaves = []
        for event in events:
            digest = merkle.leaf_hash(event_bytes(event))
            new_leaves.append({"leaf_index": builder.size, "position": event.position, "hash": digest})
            builder.add(digest)
        _insert(session, log_tree_leaves, new_leaves)
        _insert(session, log_tree_nodes, new_nodes)
        session.commit()
        return len(events)


def _insert(session, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows of integers and one hash: COPY on PostgreSQL (the hash as bytea's hex input)."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    # COPY text unescapes one backslash, and bytea reads \x<hex>.
    text = "".join("\t".join(f"\\\\x{row[name].hex()}" if name == "hash" else str(row[name]) for name in names)
                   + "\n" for row in rows)
    columns = ", ".join(names)
    with session.connection().connection.driver_connection.cursor() as cursor, \
            cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        copy.write(text)


def sign_head(database: Database, key: SigningKey, *, clock: Callable[[], float] = time.time) -> store.TreeHead | None:
    """Sign the tree as it stands if it grew since the last head; return the new head (None: nothing new)."""
    with database.session() as session, transaction_lock(session, TREE_LOCK) as acquired:
        if not acquired:
            session.rollback()
            return None
        size, _ = store.tree_end(session)
        latest = store.latest_head(session)
        if size == 0 or (latest is not None and latest.tree_size >= size):
            session.rollback()
            return None
        root = store.root_hash(session, size)
        # Heads' times never go backwards, even if the clock does.
        timestamp = max(int(clock() * 1000), latest.timestamp + 1 if latest else 0)
        head = store.TreeHead(size, root, timestamp, key.sign(size, timestamp, root), key.key_id)
        store.add_head(session, head)
        session.commit()
    log.info("signed tree head %s, root %s", size, root.hex())
    return head
