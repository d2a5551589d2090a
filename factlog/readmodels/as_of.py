"""Read views as of a past moment: the present read model, with the claims changed since re-folded from the log.

A moment is a position ``P`` in log order. A claim with no event after ``P`` is as the read model has it
now; a claim with events after ``P`` (or after the read model's checkpoint, if that is earlier) is folded
from its own stream up to ``P`` (``claim_state.fold``), or left out when it was recorded after ``P``. So a
view costs reading the events after ``P``: that count is capped (``FACTLOG_AS_OF_MAX_EVENTS``) and a moment
further back is refused with ``TooFarBack``. docs/as-of.md says what "as of T" means and what it costs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.eventstore.tables import events
from factlog.projections.tables import projection_checkpoints
from factlog.readmodels.claim_state import CLAIM_EVENTS, fold
from factlog.sql import is_postgres

DEFAULT_MAX_EVENTS = 50_000
CLAIM_STREAM = "claim-"


class AsOfError(ValueError):
    """A moment a view cannot be asked as of: ``field`` names the parameter, the message says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class TooFarBack(AsOfError):
    """More events were recorded after the moment than a view re-folds."""


@dataclass(frozen=True)
class Moment:
    """A past moment: the last event it includes, in log order (0: before the first event)."""

    position: int
    recorded_at: datetime | None  # when the event at ``position`` was recorded
    asked_time: datetime | None  # the time asked for, when asked by time
    max_events: int

    def describe(self) -> str:
        """"28 November 2024, 12:00 UTC (log position 17)": what the banner and the feeds say."""
        when = self.asked_time or self.recorded_at
        where = f"log position {self.position}" if self.position else "before the first event"
        return f"{format_time(when)} ({where})" if when else where

    def query_args(self) -> dict[str, str]:
        """The query string that asks for this moment again (links keep it)."""
        if self.asked_time is not None:
            return {"as_of": self.asked_time.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return {"as_of_position": str(self.position)}


def format_time(value: datetime) -> str:
    value = value.astimezone(UTC)
    return f"{value.day} {value:%B %Y, %H:%M}" + (f":{value:%S}" if value.second else "") + " UTC"


def resolve(session: Session, *, time: datetime | None = None, position: int | None = None,
            max_events: int = DEFAULT_MAX_EVENTS) -> Moment:
    """The moment asked for by time (the last event recorded at or before it, in log order) or position."""
    if time is not None and position is not None:
        raise AsOfError("as_of", "Give as_of or as_of_position, not both.")
    if position is not None:
        return _at_position(session, position, max_events)
    if time is None:
        raise AsOfError("as_of", "Give as_of (a date and time) or as_of_position (a log position).")
    time = time if time.tzinfo else time.replace(tzinfo=UTC)
    # Backwards from the end of the log, at most the cap: the first event met that was recorded at or before
    # the time is the moment; everything before it in log order is included.
    rows = session.execute(sa.select(events.c.position, events.c.recorded_at).order_by(*_log_order(session, True))
                           .limit(max_events + 1)).all()
    for count, (found, recorded_at) in enumerate(rows):
        recorded_at = _aware(recorded_at)
        if recorded_at <= time:
            return Moment(found, recorded_at, time, max_events)
    if len(rows) <= max_events:  # the whole log was recorded after the time
        return Moment(0, None, time, max_events)
    raise TooFarBack("as_of", f"More than {max_events:,} events were recorded after {format_time(time)}: views "
                     "re-fold at most that many (FACTLOG_AS_OF_MAX_EVENTS). Ask for a later moment.")


def _at_position(session: Session, position: int, max_events: int) -> Moment:
    if position < 0:
        raise AsOfError("as_of_position", "A log position is 0 (before the first event) or more.")
    recorded_at = None
    if position:
        row = session.execute(sa.select(events.c.recorded_at).where(events.c.position == position)).first()
        if row is None:
            raise AsOfError("as_of_position", f"No event has log position {position}.")
        recorded_at = _aware(row.recorded_at)
    after = session.execute(sa.select(sa.func.count()).select_from(
        sa.select(events.c.position).where(after_in_log(session, position)).limit(max_events + 1).subquery())
    ).scalar_one()
    if after > max_events:
        raise TooFarBack("as_of_position", f"More than {max_events:,} events were recorded after position "
                         f"{position}: views re-fold at most that many (FACTLOG_AS_OF_MAX_EVENTS). Ask for a "
                         "later moment.")
    return Moment(position, recorded_at, None, max_events)


def after_in_log(session: Session, position: int) -> sa.ColumnElement[bool]:
    """The events that come after the event at ``position`` in log order ((tx_id, position) on PostgreSQL)."""
    if not position:
        return sa.true()
    if is_postgres(session):
        tx_id = sa.select(events.c.tx_id).where(events.c.position == position).scalar_subquery()
        return sa.tuple_(events.c.tx_id, events.c.position) > sa.tuple_(tx_id, position)
    return events.c.position > position


def _log_order(session: Session, descending: bool) -> list:
    columns = [events.c.tx_id, events.c.position] if is_postgres(session) else [events.c.position]
    return [column.desc() for column in columns] if descending else columns


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Past:
    """What a view needs to answer as of a moment: the claims whose read-model rows are not as of it
    (``changed``) and, of those that existed then, their states folded up to it (``states``)."""

    moment: Moment
    changed: frozenset[str]
    states: dict[str, dict[str, Any]]
    versions: dict[str, int] = field(default_factory=dict)  # each state's last stream version
    folded: frozenset[int] = frozenset()  # the positions of the events folded into the states
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per request (several parts of a page need the changed claims' rows)."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    @property
    def position(self) -> int:
        return self.moment.position

    def recorded_by_then(self, claim_id: str) -> bool:
        """Whether the claim existed at the moment (its read-model row counts only if it is not changed)."""
        return claim_id in self.states or claim_id not in self.changed


def past(session: Session, moment: Moment, projections: Iterable[str]) -> Past:
    """The claims to re-fold for views over these projections' tables, folded up to the moment.

    The rows are as of each projection's checkpoint: claims with events after the earlier of the moment and
    the checkpoint (in log order) are re-folded, so a read model behind the moment is right too."""
    base = moment.position
    for checkpoint in _checkpoints(session, projections):
        if _earlier(session, checkpoint, base):
            base = checkpoint
    rows = session.execute(sa.select(events.c.stream_id).where(after_in_log(session, base))
                           .order_by(*_log_order(session, False)).limit(moment.max_events + 1)).scalars().all()
    if len(rows) > moment.max_events:
        raise TooFarBack("as_of_position", f"The read models are more than {moment.max_events:,} events away "
                         "from that moment; ask again once the projections have caught up.")
    streams = {stream for stream in rows if stream.startswith(CLAIM_STREAM)}
    states: dict[str, dict[str, Any]] = {}
    then = eventstore.read_streams(session, sorted(streams), types=CLAIM_EVENTS, upto=moment.position) \
        if streams and moment.position else []
    fold(states, then)
    versions = {event.data["claim_id"]: event.stream_version for event in then}
    return Past(moment, frozenset(stream[len(CLAIM_STREAM):] for stream in streams), states, versions,
                frozenset(event.position for event in then))


def _checkpoints(session: Session, names: Iterable[str]) -> list[int]:
    names = list(names)
    found = dict(session.execute(sa.select(projection_checkpoints.c.name, projection_checkpoints.c.position)
                                 .where(projection_checkpoints.c.name.in_(names))).all())
    return [found.get(name) or 0 for name in names]


def _earlier(session: Session, first: int, second: int) -> bool:
    """Whether the event at ``first`` comes before the one at ``second`` in log order (0: before all)."""
    if first == second or not second:
        return False
    if not first:
        return True
    if not is_postgres(session):
        return first < second
    tx_ids = dict(session.execute(sa.select(events.c.position, events.c.tx_id)
                                  .where(events.c.position.in_([first, second]))).all())
    return (tx_ids.get(first, 0), first) < (tx_ids.get(second, 0), second)
