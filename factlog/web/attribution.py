"""Outlet and speaker pages: what each carried or said, who cites whom, and which outlet was first."""
from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from factlog.database import get_session
from factlog.readmodels import queries
from factlog.readmodels.queries import as_of_attribution
from factlog.web import as_of
from factlog.web.auth import requires

bp = Blueprint("attribution", __name__)
LIMIT = 100
AS_OF_PROJECTIONS = ("attribution",)


@bp.get("/outlets/<uuid:source_id>")
@requires("read")
def outlet(source_id: UUID):
    past, errors = as_of.requested(AS_OF_PROJECTIONS)
    as_of.refuse(errors)
    view = queries.outlet_attribution(get_session(), str(source_id), limit=LIMIT) if past is None \
        else as_of_attribution.outlet_attribution(get_session(), past, str(source_id), limit=LIMIT)
    if view is None:
        abort(404, description="No such outlet (a new one appears here within seconds of being recorded).")
    return render_template("attribution/outlet.html", view=view, limit=LIMIT)


@bp.get("/speakers/<uuid:source_id>")
@requires("read")
def speaker(source_id: UUID):
    past, errors = as_of.requested(AS_OF_PROJECTIONS)
    as_of.refuse(errors)
    view = queries.speaker_attribution(get_session(), str(source_id), limit=LIMIT) if past is None \
        else as_of_attribution.speaker_attribution(get_session(), past, str(source_id), limit=LIMIT)
    if view is None:
        abort(404, description="No such speaker (a new one appears here within seconds of being recorded).")
    return render_template("attribution/speaker.html", view=view, limit=LIMIT)

