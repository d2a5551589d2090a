"""Deliver one subscription's notices: stage deliveries from the log, send them in order, retry, give up.

One dispatcher per subscription at a time (a lock held across its short transactions; no transaction stays
open during an HTTP request, so the log's readers are never held back). Each step:

1. stage: read the events after the subscription's checkpoint (before writing anything), insert a
   delivery for each that matches its filters, move the checkpoint past them; one transaction;
2. send: the oldest pending delivery, if due; on a 2xx answer the next one, and so on. A failure schedules
   the same delivery again with backoff, and nothing later goes out before it succeeds or is given up on
   (after ``max_attempts``): position order per subscription. ``disable_after`` consecutive failed attempts
   disable the subscription, with the reason kept and logged.

Delivery is at least once: a worker killed after the receiver answered but before the result was stored
sends the delivery again, with the same event id (the ``Factlog-Event-Id`` header) for the receiver to
recognize.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from factlog import eventstore
from factlog.database import Database
from factlog.webhooks import backoff, sender
from factlog.webhooks.addresses import RefusedDestination, check_destination
from factlog.webhooks.notices import Filters, NoticeReader, matches, payload
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.signing import SIGNATURE_HEADER, signature_header
from factlog.webhooks.tables import webhook_deliveries as deliveries
from factlog.webhooks.tables import webhook_subscriptions as subscriptions
from workers.locks import held_lock

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Outcome:
    """What one dispatch run did."""

    staged: int = 0
    delivered: int = 0
    failed_attempts: int = 0
    given_up: int = 0
    disabled: bool = False


def dispatch(database: Database, subscription_id: int, settings: WebhookSettings, *,
             clock: Clock = utc_now, post=sender.post, resolver=None) -> Outcome | None:
    """Stage and send the subscription's due deliveries; None when another dispatcher has it."""
    outcome = Outcome()
    with held_lock(database.engine, f"webhook-{subscription_id}") as acquired:
        if not acquired:
            return None
        while True:
            staged = stage(database, subscription_id, settings.batch_size)
            if staged is None:
                return outcome
            outcome.staged += staged
            blocked = send_due(database, subscription_id, settings, outcome, clock=clock, post=post,
                               resolver=resolver)
            if blocked or staged == 0:
                return outcome


def stage(database: Database, subscription_id: int, batch_size: int) -> int | None:
    """Turn the next events after the checkpoint into deliveries; how many events were read, None if the
    subscription is gone or disabled."""
    with database.session() as session:
        row = session.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
        if row is None or row.state != "active":
            session.rollback()
            return None
        events = eventstore.read_all(session, after=row.position, limit=batch_size)  # before any write
        if not events:
            session.rollback()
            return 0
        filters = Filters.of(row)
        rows = [{"subscription_id": subscription_id, "event_id": notice.event.event_id,
                 "position": notice.event.position, "notice_type": notice.type,
                 "payload": payload(notice, subscription_id), "next_attempt_at": None}
                for notice in NoticeReader(session).notices(events) if matches(filters, notice)]
        if rows:
            session.execute(sa.insert(deliveries), rows)
        session.execute(sa.update(subscriptions).where(subscriptions.c.id == subscription_id)
                        .values(position=events[-1].position))
        session.commit()
        return len(events)


def send_due(database: Database, subscription_id: int, settings: WebhookSettings, outcome: Outcome, *,
             clock: Clock, post, resolver) -> bool:
    """Send pending deliveries oldest first while they succeed; True when one is waiting for a retry (or the
    subscription was disabled), False when none is left."""
    while True:
        with database.session() as session:
            row = session.execute(
                sa.select(subscriptions.c.url, subscriptions.c.secret, subscriptions.c.state)
                .where(subscriptions.c.id == subscription_id)).first()
            delivery = session.execute(
                sa.select(deliveries.c.id, deliveries.c.event_id, deliveries.c.position,
                          deliveries.c.notice_type, deliveries.c.payload, deliveries.c.attempts,
                          deliveries.c.next_attempt_at)
                .where(deliveries.c.subscription_id == subscription_id, deliveries.c.status == "pending")
                .order_by(deliveries.c.id).limit(1)).first()
            session.rollback()  # nothing stays open while the receiver is called
        if row is None or row.state != "active":
            return True
        if delivery is None:
            return False
        due = delivery.next_attempt_at
        if due is not None and _utc(due) > clock():
            return True
        attempt = _attempt(row.url, row.secret, delivery, settings, post, resolver)
        if not _record(database, subscription_id, delivery, attempt, settings, outcome, clock()):
            return True


def _attempt(url: str, secret: str, delivery, settings: WebhookSettings, post, resolver) -> sender.Attempt:
    try:
        destination = check_destination(url, settings, *([resolver] if resolver else []))
    except RefusedDestination as error:
        return sender.Attempt(False, None, f"refused: {error}", None)
    body = delivery.payload.encode()
    headers = {SIGNATURE_HEADER: signature_header(secret, body), "Factlog-Event-Id": str(delivery.event_id),
               "Factlog-Event-Type": delivery.notice_type, "Factlog-Position": str(delivery.position),
               "Factlog-Delivery-Attempt": str(delivery.attempts + 1)}
    return post(destination, body, headers, timeout=settings.timeout_seconds)


def _record(database: Database, subscription_id: int, delivery, attempt: sender.Attempt,
            settings: WebhookSettings, outcome: Outcome, now: datetime) -> bool:
    """Store the attempt's result; True when the next delivery may go out."""
    attempts = delivery.attempts + 1
    common = {"attempts": attempts, "last_attempt_at": now, "response_code": attempt.status,
              "response_excerpt": attempt.excerpt[:sender.EXCERPT_BYTES] if attempt.excerpt else None}
    with database.session() as session:
        if attempt.ok:
            session.execute(sa.update(deliveries).where(deliveries.c.id == delivery.id).values(
                **common, status="delivered", delivered_at=now, next_attempt_at=None, last_error=None))
            session.execute(sa.update(subscriptions).where(subscriptions.c.id == subscription_id).values(
                consecutive_failures=0, last_delivered_at=now))
            session.commit()
            outcome.delivered += 1
            return True
        outcome.failed_attempts += 1
        give_up = attempts >= settings.max_attempts
        retry_at = None if give_up else now + timedelta(
            seconds=backoff.retry_delay(attempts, settings.retry_base_seconds, settings.retry_max_seconds,
                                        random.Random()))
        session.execute(sa.update(deliveries).where(deliveries.c.id == delivery.id).values(
            **common, status="failed" if give_up else "pending", next_attempt_at=retry_at,
            last_error=(attempt.error or "failed")[:1000]))
        failures = session.execute(
            sa.update(subscriptions).where(subscriptions.c.id == subscription_id)
            .values(consecutive_failures=subscriptions.c.consecutive_failures + 1)
            .returning(subscriptions.c.consecutive_failures)).scalar()
        disable = failures is not None and failures >= settings.disable_after
        if disable:
            reason = (f"disabled after {failures} consecutive failed attempts; the last, for the event at "
                      f"position {delivery.position}: {attempt.error}")[:1000]
            session.execute(sa.update(subscriptions).where(subscriptions.c.id == subscription_id).values(
                state="disabled", disabled_at=now, disabled_reason=reason))
        session.commit()
    if give_up:
        outcome.given_up += 1
        log.warning("webhook subscription %s gave up on the event at position %s after %s attempts: %s",
                    subscription_id, delivery.position, attempts, attempt.error)
    if disable:
        outcome.disabled = True
        log.warning("webhook subscription %s %s", subscription_id, reason)
        return False
    return give_up


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
