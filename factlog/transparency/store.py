"""Reading the stored tree: its size, roots and proofs from O(log n) rows, and the signed tree heads."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.transparency import merkle
from factlog.transparency.tables import log_tree_heads as heads
from factlog.transparency.tables import log_tree_leaves as leaves
from factlog.transparency.tables import log_tree_nodes as nodes


class NotInTree(LookupError):
    """The event or size asked for is not (yet) in the tree; ``field`` names the parameter at fault."""

    def __init__(self, message: str, field: str = "size"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TreeHead:
    tree_size: int
    root_hash: bytes
    timestamp: int  # ms since the epoch
    signature: bytes
    key_id: str

    @property
    def signed_at(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp / 1000, UTC)


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    path: list[bytes]


def tree_end(session: Session) -> tuple[int, int]:
    """(the tree's size, the position of its last leaf): the tree builder's checkpoint; (0, 0) when empty."""
    row = session.execute(sa.select(leaves.c.leaf_index, leaves.c.position)
                          .order_by(leaves.c.leaf_index.desc()).limit(1)).first()
    return (0, 0) if row is None else (row.leaf_index + 1, row.position)


def subtree_hashes(session: Session, wanted: set[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The stored hashes of these perfect subtrees (leaves are level 0): two indexed reads."""
    found: dict[merkle.Node, bytes] = {}
    leaf_indexes = sorted(index for level, index in wanted if level == 0)
    if leaf_indexes:
        rows = session.execute(sa.select(leaves.c.leaf_index, leaves.c.hash)
                               .where(leaves.c.leaf_index.in_(leaf_indexes)))
        found.update(((0, index), digest) for index, digest in rows)
    above = sorted(node for node in wanted if node[0] > 0)
    if above:
        rows = session.execute(sa.select(nodes.c.level, nodes.c.node_index, nodes.c.hash)
                               .where(sa.tuple_(nodes.c.level, nodes.c.node_index).in_(above)))
        found.update(((level, index), digest) for level, index, digest in rows)
    missing = wanted - found.keys()
    if missing:
        raise NotInTree(f"the stored tree lacks the subtrees {sorted(missing)[:5]}")
    return found


def range_hashes(session: Session, ranges: list[merkle.Range]) -> list[bytes]:
    stored = subtree_hashes(session, merkle.nodes_for(ranges))
    return [merkle.range_hash(start, end, stored.__getitem__) for start, end in ranges]


def _check_size(session: Session, size: int) -> None:
    built, _ = tree_end(session)
    if size > built:
        raise NotInTree(f"the tree holds {built:,} events, not {size:,}")


def root_hash(session: Session, size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    _check_size(session, size)
    return range_hashes(session, [(0, size)])[0]


def leaf_of(session: Session, position: int) -> tuple[int, bytes]:
    """(leaf index, leaf hash) of the event at ``position``."""
    row = session.execute(sa.select(leaves.c.leaf_index, leaves.c.hash).where(leaves.c.position == position)).first()
    if row is None:
        raise NotInTree(f"position {position} is not in the tree yet, or names no event: the workers add new "
                        "events every FACTLOG_LOG_SIGN_INTERVAL seconds", "position")
    return row.leaf_index, row.hash


def leaves_of(session: Session, positions: list[int]) -> dict[int, tuple[int, bytes]]:
    rows = session.execute(sa.select(leaves.c.position, leaves.c.leaf_index, leaves.c.hash)
                           .where(leaves.c.position.in_(positions)))
    return {position: (index, digest) for position, index, digest in rows}


def inclusion_proof(session: Session, position: int, size: int) -> InclusionProof:
    leaf, digest = leaf_of(session, position)
    if leaf >= size:
        raise NotInTree(f"the event at position {position} is leaf {leaf:,}: not in a tree of {size:,} events")
    _check_size(session, size)
    return InclusionProof(leaf, size, digest, range_hashes(session, merkle.inclusion_ranges(leaf, size)))


def consistency_proof(session: Session, first: int, second: int) -> list[bytes]:
    ranges = merkle.consistency_ranges(first, second)
    _check_size(session, second)
    return range_hashes(session, ranges)


def _head(row) -> TreeHead:
    return TreeHead(row.tree_size, row.root_hash, row.timestamp, row.signature, row.key_id)


def latest_head(session: Session) -> TreeHead | None:
    row = session.execute(sa.select(heads).order_by(heads.c.tree_size.desc()).limit(1)).first()
    return None if row is None else _head(row)


def head_of_size(session: Session, size: int) -> TreeHead | None:
    row = session.execute(sa.select(heads).where(heads.c.tree_size == size)).first()
    return None if row is None else _head(row)


def all_heads(session: Session) -> list[TreeHead]:
    return [_head(row) for row in session.execute(sa.select(heads).order_by(heads.c.tree_size))]


def add_head(session: Session, head: TreeHead) -> None:
    session.execute(sa.insert(heads).values(tree_size=head.tree_size, root_hash=head.root_hash,
                                            timestamp=head.timestamp, signature=head.signature,
                                            key_id=head.key_id))
