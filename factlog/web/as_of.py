"""Pages as of a past moment: reading ``?as_of=`` / ``?as_of_position=``, the banner and control, links that
keep the moment, and a claim's changes between two moments (docs/as-of.md)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, g, render_template, request, url_for
from marshmallow import ValidationError

from factlog import as_of_query
from factlog.database import get_session
from factlog.readmodels import as_of
from factlog.readmodels.queries.claim_changes import claim_changes
from factlog.web.auth import requires

bp = Blueprint("as_of", __name__)


def requested(projections: Iterable[str]) -> tuple[as_of.Past | None, dict[str, list[str]]]:
    """The moment the page is asked as of, ready for views over these projections (None: now), and the
    errors per field of a moment it cannot answer as of. The page shows the control and, as of a moment,
    the banner (partials/as_of.html reads ``g``)."""
    g.as_of_control = True
    try:
        past = as_of_query.past(get_session(), as_of_query.load_args(request.args), projections)
    except ValidationError as error:
        g.as_of_errors = error.messages
        return None, dict(error.messages)
    except as_of.AsOfError as error:
        g.as_of_errors = {error.field: [error.message]}
        return None, dict(g.as_of_errors)
    g.as_of = past.moment if past else None
    return past, {}


def refuse(errors: dict[str, list[str]]) -> None:
    """A moment a page cannot be shown as of: a 400 page saying why (with the control to pick another)."""
    if errors:
        abort(400, description=" ".join(message for messages in errors.values() for message in messages))


@bp.app_template_global()
def as_of_url(endpoint: str, **values: Any) -> str:
    """``url_for`` that keeps the moment the page is shown as of (so a reader stays in the past)."""
    moment = g.get("as_of")
    return url_for(endpoint, **values, **(moment.query_args() if moment else {}))


@bp.app_template_global()
def present_url() -> str:
    """This page now: its URL without the moment (nor a cursor, which belongs to the moment)."""
    args = {name: value for name, value in request.args.items()
            if name not in (*as_of_query.NAMES, "cursor")}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


@bp.app_template_global()
def as_of_input_value() -> str:
    """The control's value (``datetime-local``: minutes, UTC) for the moment shown, or what was typed."""
    moment = g.get("as_of")
    when = (moment.asked_time or moment.recorded_at) if moment else None
    if when is None:
        return request.args.get("as_of", "")
    return when.astimezone(as_of.UTC).strftime("%Y-%m-%dT%H:%M")


@bp.get("/claims/<uuid:claim_id>/changes")
@requires("read")
def changes(claim_id: UUID):
    """What changed on a claim between two moments: reports added, corrections, retraction, verdicts."""
    session = get_session()
    errors: dict[str, list[str]] = {}
    moments: dict[str, as_of.Moment | None] = {}
    for end in ("from", "to"):
        values = {"as_of": request.args.get(end, ""), "as_of_position": request.args.get(f"{end}_position", "")}
        try:
            moments[end] = as_of_query.moment(session, as_of_query.load_args(values))
        except ValidationError as error:
            errors.update({f"{end}{'' if name == 'as_of' else '_position'}": messages
                           for name, messages in error.messages.items()})
        except as_of.AsOfError as error:
            errors[end if error.field == "as_of" else f"{end}_position"] = [error.message]
    result = None
    if not errors:
        try:
            result = claim_changes(session, str(claim_id), moments.get("from"), moments.get("to"))
        except ValueError as error:
            errors["to"] = [str(error)]
        if result is None and not errors:
            abort(404, description=f"No claim {claim_id}.")
    return render_template("claims/changes.html", claim_id=claim_id, changes=result, errors=errors,
                           args=request.args), 400 if errors else 200
