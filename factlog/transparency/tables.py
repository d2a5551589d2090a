"""The Merkle tree over the log and its signed heads (docs/transparency.md).

``log_tree_leaves`` holds one leaf hash per event in log order (its leaf index) with the event's position;
its last row is the tree builder's checkpoint, written in the transaction that writes the tree's rows.
``log_tree_nodes`` holds the hash of every complete perfect subtree above the leaves, so any root or proof
is O(log n) rows. ``log_tree_heads`` is the history of signed tree heads.
"""
from __future__ import annotations

import sqlalchemy as sa

from factlog.schema import metadata

log_tree_leaves = sa.Table(
    "log_tree_leaves",
    metadata,
    sa.Column("leaf_index", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("position", sa.BigInteger(), nullable=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
)
sa.Index("uq_log_tree_leaves_position", log_tree_leaves.c.position, unique=True)

log_tree_nodes = sa.Table(
    "log_tree_nodes",
    metadata,
    # The subtree of 2**level leaves starting at leaf node_index * 2**level (level >= 1: leaves are above).
    sa.Column("level", sa.SmallInteger(), primary_key=True, autoincrement=False),
    sa.Column("node_index", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("hash", sa.LargeBinary(32), nullable=False),
)

log_tree_heads = sa.Table(
    "log_tree_heads",
    metadata,
    sa.Column("tree_size", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("root_hash", sa.LargeBinary(32), nullable=False),
    # Milliseconds since the Unix epoch, as RFC 9162 signs it.
    sa.Column("timestamp", sa.BigInteger(), nullable=False),
    sa.Column("signature", sa.LargeBinary(64), nullable=False),
    # SHA-256 of the signing key's SubjectPublicKeyInfo (DER), hex: which key signed.
    sa.Column("key_id", sa.String(64), nullable=False),
)
