"""``GET /projections/status``: each projection's version, checkpoint, the log's head, lag and last error."""
from __future__ import annotations

from flask import Blueprint, jsonify

from factlog.database import get_session
from factlog.projections.status import projection_status

bp = Blueprint("projections", __name__, url_prefix="/projections")


@bp.get("/status")
def status():
    """Projection status as JSON; an empty list until a worker has run."""
    session = get_session()
    statuses = projection_status(session)
    session.rollback()
    return jsonify({"projections": [status.to_json() for status in statuses]})
