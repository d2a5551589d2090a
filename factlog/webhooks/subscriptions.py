"""Register, list, re-enable and delete subscriptions, and read their delivery log. The caller commits.

A new subscription starts at the head of the log: it is told about what happens from now on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.accounts.users import User
from factlog.errors import DomainError
from factlog.webhooks.addresses import RefusedDestination, Resolver, check_destination, resolve
from factlog.webhooks.schemas import CreateSubscription
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.signing import new_secret
from factlog.webhooks.tables import webhook_deliveries as deliveries
from factlog.webhooks.tables import webhook_subscriptions as subscriptions

log = logging.getLogger(__name__)
DELIVERY_PAGE = 100


@dataclass(frozen=True)
class Subscription:
    id: int
    owner_email: str
    url: str
    description: str
    event_types: list[str]
    topics: list[str]
    speakers: list[str]
    outlets: list[str]
    state: str
    position: int
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str | None
    created_at: datetime
    last_delivered_at: datetime | None
    pending: int = 0


@dataclass(frozen=True)
class Delivery:
    id: int
    event_id: str
    position: int
    notice_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    response_code: int | None
    response_excerpt: str | None
    created_at: datetime
    delivered_at: datetime | None


def utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def create(session: Session, command: CreateSubscription, owner: User, settings: WebhookSettings,
           resolver: Resolver = resolve) -> tuple[Subscription, str]:
    """Register a subscription after checking where its URL leads; returns it and its secret (shown once)."""
    try:
        check_destination(command.url, settings, resolver)
    except RefusedDestination as error:
        raise DomainError(str(error), field="url") from None
    secret = new_secret()
    subscription_id = session.execute(sa.insert(subscriptions).values(
        owner_id=owner.id, url=command.url, description=command.description, secret=secret,
        event_types=list(command.event_types), topics=list(command.topics), speakers=list(command.speakers),
        outlets=list(command.outlets), position=eventstore.head_position(session),
    ).returning(subscriptions.c.id)).scalar_one()
    log.info("webhook subscription %s to %s registered by %s", subscription_id, command.url, owner.email)
    return get(session, subscription_id, owner), secret


def _query(owner: User | None):
    from factlog.accounts.tables import users

    pending = (sa.select(sa.func.count()).where(deliveries.c.subscription_id == subscriptions.c.id,
                                                deliveries.c.status == "pending").scalar_subquery())
    query = (sa.select(subscriptions.c.id, users.c.email, subscriptions.c.url, subscriptions.c.description,
                       subscriptions.c.event_types, subscriptions.c.topics, subscriptions.c.speakers,
                       subscriptions.c.outlets, subscriptions.c.state, subscriptions.c.position,
                       subscriptions.c.consecutive_failures, subscriptions.c.disabled_at,
                       subscriptions.c.disabled_reason, subscriptions.c.created_at,
                       subscriptions.c.last_delivered_at, pending.label("pending"))
             .join(users, users.c.id == subscriptions.c.owner_id).order_by(subscriptions.c.id))
    if owner is not None and not owner.can("admin"):
        query = query.where(subscriptions.c.owner_id == owner.id)
    return query


def _subscription(row) -> Subscription:
    values = row._asdict()
    for name in ("disabled_at", "created_at", "last_delivered_at"):
        values[name] = utc(values[name])
    values["owner_email"] = values.pop("email")
    return Subscription(**values)


def list_subscriptions(session: Session, viewer: User | None = None) -> list[Subscription]:
    """Every subscription an admin (or None: the system) may see; a user's own otherwise."""
    return [_subscription(row) for row in session.execute(_query(viewer))]


def get(session: Session, subscription_id: int, viewer: User | None = None) -> Subscription | None:
    if not 0 < subscription_id < 2**31:
        return None
    row = session.execute(_query(viewer).where(subscriptions.c.id == subscription_id)).first()
    return _subscription(row) if row else None


def delete(session: Session, subscription_id: int) -> None:
    """Remove the subscription and its delivery log."""
    session.execute(sa.delete(deliveries).where(deliveries.c.subscription_id == subscription_id))
    session.execute(sa.delete(subscriptions).where(subscriptions.c.id == subscription_id))


def enable(session: Session, subscription_id: int, actor: User) -> None:
    """Re-enable a subscription: its failure count starts again and its waiting delivery is due now."""
    now = datetime.now(UTC)
    session.execute(sa.update(subscriptions).where(subscriptions.c.id == subscription_id).values(
        state="active", consecutive_failures=0, disabled_at=None, disabled_reason=None))
    session.execute(sa.update(deliveries).where(deliveries.c.subscription_id == subscription_id,
                                                deliveries.c.status == "pending").values(next_attempt_at=now))
    log.info("webhook subscription %s re-enabled by %s", subscription_id, actor.email)


def list_deliveries(session: Session, subscription_id: int, *, before: int | None = None,
                    limit: int = DELIVERY_PAGE, status: str | None = None) -> list[Delivery]:
    """The delivery log, newest first; ``before`` (a delivery id) pages back."""
    query = (sa.select(deliveries.c.id, deliveries.c.event_id, deliveries.c.position,
                       deliveries.c.notice_type,
                       deliveries.c.status, deliveries.c.attempts, deliveries.c.next_attempt_at,
                       deliveries.c.last_attempt_at, deliveries.c.last_error, deliveries.c.response_code,
                       deliveries.c.response_excerpt, deliveries.c.created_at, deliveries.c.delivered_at)
             .where(deliveries.c.subscription_id == subscription_id).order_by(deliveries.c.id.desc())
             .limit(max(1, min(limit, DELIVERY_PAGE))))
    if before is not None:
        query = query.where(deliveries.c.id < before)
    if status is not None:
        query = query.where(deliveries.c.status == status)
    found = []
    for row in session.execute(query):
        values = row._asdict()
        values["event_id"] = str(values["event_id"])
        for name in ("next_attempt_at", "last_attempt_at", "created_at", "delivered_at"):
            values[name] = utc(values[name])
        found.append(Delivery(**values))
    return found
