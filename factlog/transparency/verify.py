"""``factlog verify``: recompute the log's Merkle tree and check it against every signed tree head.

The log (the database, or an NDJSON export) is read in log order and each event's leaf hash recomputed. Each
signed tree head is checked twice: its signature (with the log's public key), and its root against the
recomputed tree of its size. Where the log and the tree disagree, the first differing leaf is located by
comparing the recomputed leaves with the stored ones (themselves checked against the signed roots, so an
edit of both is caught too), and the difference is named: changed bytes, a deleted, inserted or reordered
event. docs/transparency.md.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import zip_longest

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from factlog.eventstore.dump import StoredEvent
from factlog.transparency import merkle, store
from factlog.transparency.canonical import event_bytes
from factlog.transparency.signing import key_id, verify_tree_head
from factlog.transparency.tables import log_tree_leaves

# How far ahead a difference is looked for when telling a deletion, insertion or move from a change.
LOOKAHEAD = 64


@dataclass(frozen=True)
class Leaf:
    position: int
    digest: bytes
    event: StoredEvent | None = None  # the log's leaves carry their event, the stored tree's do not


@dataclass
class Report:
    events: int = 0
    heads_checked: int = 0
    tree_size: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def stored_leaves(session: Session, batch: int = 10_000) -> Iterator[Leaf]:
    after = -1
    while True:
        rows = session.execute(sa.select(log_tree_leaves.c.leaf_index, log_tree_leaves.c.position,
                                         log_tree_leaves.c.hash)
                               .where(log_tree_leaves.c.leaf_index > after)
                               .order_by(log_tree_leaves.c.leaf_index).limit(batch)).all()
        for row in rows:
            yield Leaf(row.position, row.hash)
        if len(rows) < batch:
            return
        after = rows[-1].leaf_index


def log_leaves(events: Iterable[StoredEvent]) -> Iterator[Leaf]:
    for event in events:
        yield Leaf(event.position, merkle.leaf_hash(event_bytes(event)), event)


def verify(log: Iterable[StoredEvent], heads: list[store.TreeHead], tree: Iterable[Leaf],
           public_keys: list[Ed25519PublicKey]) -> Report:
    """Check the log against the signed heads and the stored tree; every problem found goes in the report."""
    report = Report(heads_checked=len(heads))
    keys = {key_id(key): key for key in public_keys}
    for head in heads:
        key = keys.get(head.key_id)
        if key is None:
            report.problems.append(f"tree head {head.tree_size:,} is signed by key {head.key_id[:16]}..., which "
                                   "is not the log's public key: pass that key's public half with --public-key")
        elif not verify_tree_head(key, head.tree_size, head.timestamp, head.root_hash, head.signature):
            report.problems.append(f"tree head {head.tree_size:,}: the signature does not verify (the head's "
                                   "size, time or root was changed after it was signed)")

    sizes = {head.tree_size for head in heads}
    log_roots, tree_roots, window = _one_pass(log_leaves(log), iter(tree), sizes, report)
    trusted = 0  # the largest signed size up to which the stored leaves reproduce every signed root
    for head in heads:
        if tree_roots.get(head.tree_size) != head.root_hash:
            report.problems.append(f"tree head {head.tree_size:,}: the stored tree's root differs from the signed "
                                   "one (the tree's tables were changed too)")
            break
        trusted = head.tree_size
    first_bad_head = next((head for head in heads if log_roots.get(head.tree_size) != head.root_hash), None)
    if first_bad_head is not None:
        report.problems.append(f"tree head {first_bad_head.tree_size:,} (signed at "
                               f"{first_bad_head.signed_at:%Y-%m-%d %H:%M:%S} UTC): the log's root at that size "
                               "differs from the signed root")
    difference = None if window is None else first_difference(*window, report.events, report.tree_size)
    if difference is not None:
        index, text = difference
        where = ("within the signed part of the log" if index < trusted
                 else "beyond the last signed head the stored tree matches (not yet signed)")
        report.problems.append(f"leaf {index:,} ({where}): {text}")
    elif first_bad_head is not None:
        previous = max((head.tree_size for head in heads if head.tree_size < first_bad_head.tree_size), default=0)
        report.problems.append(f"the first changed event is among leaves {previous:,} to "
                               f"{first_bad_head.tree_size - 1:,}")
    return report


def _one_pass(log: Iterator[Leaf], tree: Iterator[Leaf], sizes: set[int], report: Report):
    """Both sequences' roots at the signed sizes, and the leaves from their first difference on
    (its index, the log's leaves, the tree's), keeping no more than ``LOOKAHEAD`` leaves of each in memory."""
    builders = {"log": merkle.TreeBuilder(), "tree": merkle.TreeBuilder()}
    roots: dict[str, dict[int, bytes]] = {"log": {}, "tree": {}}
    windows: dict[str, list[Leaf]] = {"log": [], "tree": []}
    first: int | None = None
    for index, pair in enumerate(zip_longest(log, tree)):
        for side, leaf in zip(("log", "tree"), pair):
            if leaf is None:
                continue
            builder = builders[side]
            builder.add(leaf.digest)
            if builder.size in sizes:
                roots[side][builder.size] = builder.root()
        log_leaf, tree_leaf = pair
        # Events beyond the tree's end are new, not a difference.
        if first is None and tree_leaf is not None and (log_leaf is None or log_leaf.digest != tree_leaf.digest):
            first = index
        if first is not None and index - first < LOOKAHEAD:
            for side, leaf in zip(("log", "tree"), pair):
                if leaf is not None:
                    windows[side].append(leaf)
    report.events, report.tree_size = builders["log"].size, builders["tree"].size
    window = None if first is None else (first, windows["log"], windows["tree"])
    return roots["log"], roots["tree"], window


def _describe(leaf: Leaf) -> str:
    event = leaf.event
    if event is None:
        return f"position {leaf.position:,}"
    return (f"position {event.position:,} (event {event.event_id}, {event.event_type}, "
            f"version {event.stream_version} of {event.stream_id})")


def _matches(log_leaf: Leaf, tree_leaf: Leaf) -> bool:
    """The same event, even if its position was renumbered (moving an event on SQLite means renumbering)."""
    if log_leaf.digest == tree_leaf.digest:
        return True
    event = log_leaf.event
    if event is None or event.position == tree_leaf.position:
        return False
    return merkle.leaf_hash(event_bytes(replace(event, position=tree_leaf.position))) == tree_leaf.digest


def first_difference(first: int, log: list[Leaf], tree: list[Leaf], log_size: int,
                     tree_size: int) -> tuple[int, str]:
    """What happened at leaf ``first``, where the log and the stored tree begin to differ; ``log`` and ``tree``
    are their leaves from there on (a window)."""
    if not log:
        return first, (f"the event at position {tree[0].position:,} was deleted: the log ends after "
                       f"{log_size:,} events, the tree holds {tree_size:,}")
    here_log, here_tree = log[0], tree[0]
    # Where the log's event sits in the tree, and where the tree's event went in the log (1: the next leaf).
    in_tree = next((k for k in range(1, len(tree)) if _matches(here_log, tree[k])), None)
    in_log = next((j for j in range(1, len(log)) if _matches(log[j], here_tree)), None)
    if in_tree == 1 and in_log == 1:
        return first, (f"reordered: the event at {_describe(log[1])} came before the one at "
                       f"{_describe(here_log)} when they were added to the tree")
    if in_tree is not None and in_log == 1:
        return first, (f"reordered: the event at {_describe(here_log)} was leaf {first + in_tree:,} when it "
                       "was added to the tree")
    if in_tree is not None and in_log is not None:
        return first, (f"reordered: the event at position {here_tree.position:,} (leaf {first:,} in the "
                       f"tree) now comes at leaf {first + in_log:,}")
    if in_tree == 1:
        return first, (f"the event at position {here_tree.position:,} was deleted: the log goes on with "
                       f"the tree's next event ({_describe(here_log)})")
    if in_log == 1:
        return first, f"an event was inserted: {_describe(here_log)} is not in the tree"
    changed = ("its canonical bytes changed" if here_log.position == here_tree.position
               else f"the tree has the event at position {here_tree.position:,} there, with other bytes")
    return first, f"the event at {_describe(here_log)} differs from the one signed: {changed}"
