"""The common shape of a claim projector's batch: fold the batch's events into the touched claims' states."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.claims.claim import stream_id
from factlog.eventstore import RecordedEvent
from factlog.readmodels.cards import claim_card
from factlog.readmodels.claim_state import CLAIM_EVENTS, CLAIM_RECORDED, fold
from workers.bulk import shared_json
from workers.projectors.sources import SourceInfo


class ClaimBatch:
    """The states of the claims a batch touches: ``states`` after the batch, ``existing`` those loaded."""

    def __init__(self, states: dict[str, dict], existing: set[str]):
        self.states = states
        self.existing = existing
        self._cards: tuple[Mapping[str, SourceInfo], dict[str, dict]] | None = None

    def cards(self, sources: Mapping[str, SourceInfo]) -> dict[str, dict]:
        """Each claim's card (``claim_card``) with these sources; computed once for the projectors sharing the
        fold (timelines and attribution show the same card) when their sources are equal too."""
        if self._cards is None or self._cards[0] != sources:
            cards = {claim_id: claim_card(state, sources) for claim_id, state in self.states.items()}
            self._cards = (sources, cards)
        return self._cards[1]


_shared: ContextVar[dict | None] = ContextVar("shared_folds", default=None)


@contextmanager
def shared_folds() -> Iterator[None]:
    """Within this block, projectors folding the same claim events (and the same ``also``) share one fold.

    For projections applied together at one checkpoint (a rebuild): their tables then hold the same claims
    in the same states, so the first one's loaded and folded states serve the others. The states are shared,
    not copied: projectors only read them. Their JSON is encoded once too (``bulk.shared_json``)."""
    token = _shared.set({})
    try:
        with shared_json():
            yield
    finally:
        _shared.reset(token)


def fold_claims(session: Session, events: Sequence[RecordedEvent], types: Iterable[str],
                also: set[str] = frozenset()) -> ClaimBatch:
    """The states of every claim the events (or ``also``) touch after the batch ``events`` (what the
    projector reads, of its handled ``types``): each claim's earlier events of those types are folded from
    the log (nothing stored needs reading back), then the batch's, in order."""
    claim_types = frozenset(types) & frozenset(CLAIM_EVENTS)
    claim_events = [event for event in events if event.type in claim_types]
    shared = _shared.get()
    if shared is not None:
        key = (tuple(event.position for event in claim_events), frozenset(also), claim_types)
        if key not in shared:
            shared[key] = _fold(session, events, claim_events, claim_types, also)
        return shared[key]
    return _fold(session, events, claim_events, claim_types, also)


def _fold(session: Session, events: Sequence[RecordedEvent], claim_events: Sequence[RecordedEvent],
          claim_types: frozenset[str], also: set[str]) -> ClaimBatch:
    recorded_here = {e.data["claim_id"] for e in claim_events if e.type == CLAIM_RECORDED}
    wanted = ({e.data["claim_id"] for e in claim_events} | set(also)) - recorded_here
    states: dict[str, dict] = {}
    if wanted and events:
        # Every event the projector has applied comes before the batch's first one in log order.
        fold(states, eventstore.read_streams(session, [stream_id(claim_id) for claim_id in wanted],
                                             types=claim_types, before=events[0].position))
    existing = set(states)
    return ClaimBatch(fold(states, claim_events), existing)
