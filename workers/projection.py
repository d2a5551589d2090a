"""What a projection is: a name, a version, the event types it reads, its read model and its projector."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from factlog.eventstore import RecordedEvent
from factlog.readmodels import ReadModel
from workers.tablesets import TableSet

# A projector applies a batch of events (in log order, only of the handled types) to the tables in the set,
# with set-based SQL; it never commits. It raises on an event it cannot apply: the batch is rolled back.
Projector = Callable[[Session, Sequence[RecordedEvent], TableSet], None]


@dataclass(frozen=True)
class Projection:
    name: str
    # Bump when the projector's output changes: the workers then rebuild the read model from position 0.
    version: int
    handles: tuple[str, ...]
    read_model: ReadModel
    apply: Projector
    # True when a claim's rows depend only on that claim's own events and on the sources registered, merged
    # and named before them, never on other claims: a rebuild may then apply the claims in partitions, side
    # by side (workers/rebuild_processes.py), after every source event up to where the partitions stop.
    per_claim: bool = False

    def live_tables(self) -> TableSet:
        return TableSet(self.read_model)
