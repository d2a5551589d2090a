"""Celery tasks that deliver webhooks: one dispatcher task per subscription.

``dispatch_all`` runs after every projection catch-up (so after every nudged append commit) and on beat's
schedule (retries come due, lost nudges heal); it sends one ``dispatch`` task per active subscription, so a
slow receiver holds up only its own subscription.
"""
from __future__ import annotations

import sqlalchemy as sa
from celery import shared_task
from celery.signals import task_postrun
from flask import current_app

from factlog.database import get_database
from factlog.projections.nudge import CATCH_UP_TASK
from factlog.webhooks.settings import WebhookSettings
from factlog.webhooks.tables import webhook_subscriptions
from workers.celery_app import DISPATCH_WEBHOOKS_TASK
from workers.webhook_dispatch import dispatch

DISPATCH_TASK = "factlog.webhooks.dispatch"


@shared_task(name=DISPATCH_WEBHOOKS_TASK)
def dispatch_all() -> int:
    """Send a dispatcher task for every active subscription; returns how many."""
    with get_database().session() as session:
        ids = list(session.execute(sa.select(webhook_subscriptions.c.id)
                                   .where(webhook_subscriptions.c.state == "active")).scalars())
    for subscription_id in ids:
        dispatch_subscription.delay(subscription_id)
    return len(ids)


@shared_task(name=DISPATCH_TASK)
def dispatch_subscription(subscription_id: int) -> int:
    """Stage and send one subscription's due deliveries; returns how many were delivered."""
    outcome = dispatch(get_database(), subscription_id, WebhookSettings.from_config(current_app.config))
    return outcome.delivered if outcome is not None else 0


@task_postrun.connect
def _after_catch_up(sender=None, **_kwargs) -> None:
    # The nudge after an append commit starts a catch-up; the webhooks follow it. (factlog sends only the one
    # task by name and knows nothing of webhooks' tasks.)
    if sender is not None and sender.name == CATCH_UP_TASK:
        sender.app.send_task(DISPATCH_WEBHOOKS_TASK)
