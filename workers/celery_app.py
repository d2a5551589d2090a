"""The Celery app bound to a Flask app, as Flask's docs recommend: every task runs in an app context."""
from __future__ import annotations

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask

from factlog.database import get_database
from factlog.projections.nudge import broker_settings
from workers import observability

MAINTAIN_TASK = "factlog.projections.maintain"
DISPATCH_WEBHOOKS_TASK = "factlog.webhooks.dispatch_all"
SIGN_LOG_TASK = "factlog.log.sign"


def celery_settings(config) -> dict:
    """Worker settings on top of the broker settings factlog's sending client uses too."""
    interval = float(config.get("CATCH_UP_INTERVAL", 5.0))
    webhooks_interval = float(config.get("WEBHOOKS_INTERVAL", 5.0))
    sign_interval = float(config.get("LOG_SIGN_INTERVAL", 60.0))
    return broker_settings(config) | {
        # Tasks are acknowledged when they start: a task lost with its worker needs no redelivery, since the
        # periodic maintenance catches up and resumes rebuilds from their checkpoints. (Late acknowledgement
        # would also make kombu's Redis transport crash the worker when Redis goes away with messages
        # unacknowledged: restore_unacked on a released connection.)
        "task_acks_late": False,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        # Never give up on the broker: Celery's default of 100 attempts, once a second (workers/consumer.py),
        # made a worker exit ("Unrecoverable error") 100 s into an outage. It catches up without the broker.
        "broker_connection_max_retries": None,
        # Reconnects within 1 s; catches up by itself while the broker is away, at once when it is back.
        "worker_consumer": "workers.consumer:Consumer",
        "beat_schedule": {
            "projections-maintain": {
                "task": MAINTAIN_TASK, "schedule": interval,
                # A tick nobody ran in time is replaced by the next one rather than piling up.
                "options": {"expires": max(interval * 2, 1.0)},
            },
            # Webhook retries come due and lost nudges heal (workers/webhooks.py).
            "webhooks-dispatch": {
                "task": DISPATCH_WEBHOOKS_TASK, "schedule": webhooks_interval,
                "options": {"expires": max(webhooks_interval * 2, 1.0)},
            },
            # The log's Merkle tree grows and a new signed tree head is due (workers/log_tree.py).
            "log-sign": {
                "task": SIGN_LOG_TASK, "schedule": sign_interval,
                "options": {"expires": max(sign_interval * 2, 1.0)},
            },
        },
        "include": ["workers.tasks", "workers.webhooks", "workers.log_tasks"],
    }


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for ``app``, store it in ``app.extensions["celery"]`` and return it."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    settings = celery_settings(app.config)
    celery_app.conf.update({key: value for key, value in settings.items() if key != "include"})
    celery_app.conf.include = settings["include"]
    celery_app.set_default()
    app.extensions["celery"] = celery_app

    observability.connect(celery_app)

    @worker_process_init.connect(weak=False)
    def _forget_parent_connections(**_kwargs: object) -> None:
        # A forked pool process must not reuse the parent's database connections.
        get_database(app).engine.dispose(close=False)

    return celery_app
