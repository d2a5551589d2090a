"""Whether one stream's events are in the latest signed tree head, checked from their current bytes: what the
claim page says ("verified in tree head N") and its proof page shows."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.eventstore.dump import StoredEvent, stored_at
from factlog.eventstore.tables import events
from factlog.transparency import merkle, store
from factlog.transparency.canonical import event_bytes
from factlog.transparency.signing import SigningKey, verify_tree_head


@dataclass(frozen=True)
class EventProof:
    event: StoredEvent
    leaf_index: int | None  # None: not in the tree yet
    leaf_hash: bytes  # recomputed from the event's bytes as they are now
    path: list[bytes]
    verified: bool  # the recomputed leaf and its path lead to the head's signed root


@dataclass(frozen=True)
class StreamProof:
    head: store.TreeHead | None
    signature_ok: bool
    proofs: list[EventProof]

    @property
    def pending(self) -> bool:
        """Some event is not in a signed head yet (the next head covers it)."""
        return self.head is None or any(proof.leaf_index is None for proof in self.proofs)

    @property
    def verified(self) -> bool:
        return (not self.pending and self.signature_ok and bool(self.proofs)
                and all(proof.verified for proof in self.proofs))


def stream_proof(session: Session, stream_id: str, key: SigningKey) -> StreamProof:
    """Each event of the stream checked against the latest signed tree head: six reads, O(events x log n) rows."""
    positions = list(session.execute(sa.select(events.c.position).where(events.c.stream_id == stream_id)
                                     .order_by(events.c.stream_version)).scalars())
    head = store.latest_head(session)
    stored = stored_at(session, positions)
    leaves = store.leaves_of(session, positions)
    signature_ok = head is not None and head.key_id == key.key_id and verify_tree_head(
        key.public, head.tree_size, head.timestamp, head.root_hash, head.signature)
    in_head = {position: leaf[0] for position, leaf in leaves.items() if head and leaf[0] < head.tree_size}
    ranges = {position: merkle.inclusion_ranges(index, head.tree_size) for position, index in in_head.items()}
    # One read of every subtree the paths need (they share most of them).
    subtrees = store.subtree_hashes(session, merkle.nodes_for(r for rs in ranges.values() for r in rs))
    proofs = []
    for position in positions:
        event = stored[position]
        digest = merkle.leaf_hash(event_bytes(event))
        if position not in in_head:
            proofs.append(EventProof(event, None, digest, [], False))
            continue
        path = [merkle.range_hash(start, end, subtrees.__getitem__) for start, end in ranges[position]]
        index = in_head[position]
        proofs.append(EventProof(event, index, digest, path,
                                 merkle.verify_inclusion(index, head.tree_size, digest, path, head.root_hash)))
    return StreamProof(head, signature_ok, proofs)
