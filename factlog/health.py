"""``/healthz``: is the process up, can it reach the database, what state is the event store in."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from factlog import eventstore
from factlog.database import get_database, get_session
from factlog.migrations import current_revision, head_revision

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Report the database and the event store; 503 when the database cannot be used."""
    database = get_database()
    report = {"status": "ok", "database": {"dialect": database.engine.dialect.name}}
    try:
        revision, latest = current_revision(database.engine), head_revision()
        report["database"].update(revision=revision, latest_revision=latest, migrated=revision == latest)
        if revision == latest:
            session = get_session()
            report["event_store"] = {
                "events": eventstore.count_events(session),
                "head_position": eventstore.head_position(session),
            }
            session.rollback()
        else:
            report["status"] = "unmigrated"
    except SQLAlchemyError as error:
        report["status"] = "database unavailable"
        report["database"]["error"] = str(error.__cause__ or error).splitlines()[0]
    return jsonify(report), 200 if report["status"] == "ok" else 503
