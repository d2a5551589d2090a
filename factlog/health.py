"""``/healthz``: the process is up. ``/readyz``: it can do its job (database, schema, broker, projections,
and on PostgreSQL that no open transaction holds the log's readers back).

``/healthz`` touches nothing outside the process, so a slow database never gets a live web process
restarted. ``/readyz`` answers 503 naming every failing check, so a load balancer stops sending traffic and an
operator sees why.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify
from kombu import Connection
from sqlalchemy.exc import SQLAlchemyError

from factlog.database import get_database
from factlog.eventstore.held_back import held_back
from factlog.eventstore.tables import events
from factlog.migrations import current_revision, head_revision
from factlog.projections.nudge import BROKER_TIMEOUT_SECONDS, broker_settings
from factlog.projections.status import projection_status

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process answers requests (nothing else is checked)."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Every check with its details; 503 and ``failing`` lists the checks that failed."""
    checks: dict[str, dict[str, Any]] = {"database": _database()}
    if checks["database"]["ok"]:
        checks["migrations"] = _migrations()
        if checks["migrations"]["ok"]:
            checks["projections"] = _projections(current_app.config.get("READY_MAX_LAG_SECONDS", 60.0))
            if get_database().engine.dialect.name == "postgresql":
                checks["log_readers"] = _log_readers(current_app.config.get("READY_MAX_LAG_SECONDS", 60.0))
    checks["broker"] = _broker(current_app.config["BROKER_URL"])
    failing = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "not ready" if failing else "ready", "failing": failing, "checks": checks}
    return jsonify(body), 503 if failing else 200


def _error(error: BaseException) -> str:
    return (str(getattr(error, "__cause__", None) or error).splitlines() or [type(error).__name__])[0][:300]


def _database() -> dict[str, Any]:
    engine = get_database().engine
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        return {"ok": False, "dialect": engine.dialect.name, "error": _error(error)}
    return {"ok": True, "dialect": engine.dialect.name}


def _migrations() -> dict[str, Any]:
    try:
        revision, latest = current_revision(get_database().engine), head_revision()
    except SQLAlchemyError as error:
        return {"ok": False, "error": _error(error)}
    check = {"ok": revision == latest, "revision": revision, "latest": latest}
    if not check["ok"]:
        check["error"] = "the database is not at the latest migration: run `factlog db upgrade`"
    return check


def _projections(max_lag_seconds: float) -> dict[str, Any]:
    """The largest lag of any projection; before any worker ran, the age of the oldest event."""
    try:
        with get_database().session() as session:
            statuses = projection_status(session)
            if statuses:
                lags = {status.name: status.lag_seconds for status in statuses}
            else:
                first = sa.select(events.c.recorded_at).order_by(events.c.position).limit(1)
                oldest = session.execute(first).scalar()
                lags = {"(no projection has run)": _age(oldest)}
            session.rollback()
    except SQLAlchemyError as error:
        return {"ok": False, "error": _error(error)}
    worst = max(lags.values(), default=0.0)
    check = {"ok": worst <= max_lag_seconds, "max_lag_seconds": max_lag_seconds, "lag_seconds": lags}
    if not check["ok"]:
        check["error"] = (f"a projection is {worst:.0f}s behind the log (limit {max_lag_seconds:g}s): "
                          "is a worker running? see `factlog projections status`")
    return check


def _log_readers(max_lag_seconds: float) -> dict[str, Any]:
    """PostgreSQL: committed events the log's readers cannot see yet, behind the oldest open transaction.

    The projections then lag too, though no worker is at fault: this fails past the same limit and names
    the transaction to end."""
    try:
        with get_database().session() as session:
            held = held_back(session)
            session.rollback()
    except SQLAlchemyError as error:
        return {"ok": False, "error": _error(error)}
    check = {"ok": held.seconds <= max_lag_seconds, "max_lag_seconds": max_lag_seconds} | held.to_json()
    if not check["ok"]:
        check["error"] = (f"the log's readers are held back: {held.describe()}; end that transaction "
                          "(docs/operations.md, 'Readers held back')")
    return check


def _age(recorded_at: datetime | None) -> float:
    if recorded_at is None:
        return 0.0
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    return round(max(0.0, (datetime.now(UTC) - recorded_at).total_seconds()), 3)


def _broker(url: str) -> dict[str, Any]:
    """One connection attempt with a short timeout."""
    options = broker_settings({"BROKER_URL": url}).get("broker_transport_options", {})
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as error:  # noqa: BLE001 - any failure to connect means "not ready", reported as text
        return {"ok": False, "transport": url.split(":", 1)[0], "error": _error(error)}
    return {"ok": True, "transport": url.split(":", 1)[0]}
