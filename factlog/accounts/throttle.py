"""Sign-in throttling: after too many failures for one email from one address, refuse for a while.

Failures are rows in ``login_failures`` so that every web process shares them. A success clears the
email's failures from that address; rows older than the window are pruned as they are counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog.accounts.tables import login_failures

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Lockout:
    """Sign-in is refused until ``until`` (UTC)."""

    until: datetime

    def minutes_left(self, now: datetime | None = None) -> int:
        seconds = (self.until - (now or _now())).total_seconds()
        return max(1, -int(-seconds // 60))  # rounded up: "try again in 1 minute", never "in 0"


def throttle_key(email: str, address: str | None) -> str:
    return f"{email.strip().lower()[:254]}|{address or 'unknown'}"


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def lockout(session: Session, key: str, *, now: datetime | None = None) -> Lockout | None:
    """The lockout in force for ``key``, or None if it may try to sign in."""
    now = now or _now()
    session.execute(sa.delete(login_failures).where(login_failures.c.key == key,
                                                    login_failures.c.failed_at < now - WINDOW))
    recent = session.execute(
        sa.select(login_failures.c.failed_at).where(login_failures.c.key == key)
        .order_by(login_failures.c.failed_at.desc()).limit(MAX_FAILURES)).scalars().all()
    if len(recent) < MAX_FAILURES:
        return None
    # Locked until the oldest of the last MAX_FAILURES failures leaves the window.
    return Lockout(_utc(recent[-1]) + WINDOW)


def record_failure(session: Session, key: str, *, now: datetime | None = None) -> None:
    """Count a failed sign-in; the caller commits."""
    session.execute(sa.insert(login_failures).values(key=key, failed_at=now or _now()))


def clear_failures(session: Session, key: str) -> None:
    """Forget the failures of ``key`` after a successful sign-in; the caller commits."""
    session.execute(sa.delete(login_failures).where(login_failures.c.key == key))
