"""How far behind the log each projection is: read by ``factlog projections status`` and the endpoint."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.eventstore.tables import events
from factlog.projections.tables import REBUILD_SUFFIX, projection_checkpoints


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    version: int
    position: int
    head_position: int
    lag_events: int
    lag_seconds: float
    events_applied: int
    updated_at: datetime
    last_error: str | None
    last_error_at: datetime | None
    last_error_position: int | None
    rebuild: ProjectionStatus | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("updated_at", "last_error_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["rebuild"] = self.rebuild.to_json() if self.rebuild else None
        return data


def projection_status(session: Session) -> list[ProjectionStatus]:
    """Every stored projection with its checkpoint, the log's head and its lag (in events and seconds).

    Lag counts the events of the types the projection reads that come after its checkpoint in log order;
    lag in seconds is the age of the oldest of them (0 when caught up).
    """
    head = eventstore.head_position(session)
    now = datetime.now(UTC)
    rows = session.execute(sa.select(projection_checkpoints).order_by(projection_checkpoints.c.name)).all()
    # A partitioned rebuild's partial checkpoints (``<name>__rebuild#...``, workers/rebuild_processes.py) are
    # folded into its ``<name>__rebuild`` checkpoint when it is done; until then that one shows its progress.
    rows = [row for row in rows if REBUILD_SUFFIX + "#" not in row.name]
    statuses = {row.name: _status(session, row, head, now) for row in rows}
    live = []
    for name, status in statuses.items():
        if name.endswith(REBUILD_SUFFIX):
            continue
        rebuild = statuses.get(name + REBUILD_SUFFIX)
        live.append(status if rebuild is None else _with_rebuild(status, rebuild))
    # A first rebuild of a projection that has never run live shows up on its own.
    for name, status in statuses.items():
        if name.endswith(REBUILD_SUFFIX) and name.removesuffix(REBUILD_SUFFIX) not in statuses:
            live.append(status)
    return live


def _with_rebuild(status: ProjectionStatus, rebuild: ProjectionStatus) -> ProjectionStatus:
    return ProjectionStatus(**{**status.__dict__, "rebuild": rebuild})


def pending_events(session: Session, position: int, types: list[str]) -> tuple[int, datetime | None]:
    """How many events of ``types`` follow ``position`` in log order, and when the oldest was recorded."""
    count, oldest = session.execute(
        sa.select(sa.func.count(), sa.func.min(events.c.recorded_at))
        .where(events.c.event_type.in_(list(types)), _after(session, position))
    ).one()
    return count, _utc(oldest)


def _status(session: Session, row: Any, head: int, now: datetime) -> ProjectionStatus:
    pending, oldest = pending_events(session, row.position, row.event_types)
    return ProjectionStatus(
        name=row.name, version=row.version, position=row.position, head_position=head, lag_events=pending,
        lag_seconds=round(max(0.0, (now - oldest).total_seconds()), 3) if pending and oldest else 0.0,
        events_applied=row.events_applied, updated_at=_utc(row.updated_at), last_error=row.last_error,
        last_error_at=_utc(row.last_error_at), last_error_position=row.last_error_position,
    )


def _after(session: Session, position: int) -> sa.ColumnElement[bool]:
    """Events after ``position`` in log order: (tx_id, position) on PostgreSQL, position on SQLite."""
    if not position:
        return sa.true()
    if session.get_bind().dialect.name != "postgresql":
        return events.c.position > position
    tx_id = sa.select(events.c.tx_id).where(events.c.position == position).scalar_subquery()
    return sa.tuple_(events.c.tx_id, events.c.position) > sa.tuple_(tx_id, position)


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
