"""Claims: record one, read its state and history, and change it (reports, corrections, retraction,
verdicts, links). ``/api/v1/claims``."""
from __future__ import annotations

from uuid import UUID

from flask import request, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields

from factlog import as_of_query, claims, eventstore
from factlog.api import as_of as as_of_api
from factlog.api import links
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.commands import documented_write, load_command, require_stream, run_command, run_creation
from factlog.api.encoded import json_response
from factlog.api.feed import EventSchema
from factlog.api.idempotency import idempotent
from factlog.api.representations import ClaimOut
from factlog.claims.claim import fold
from factlog.database import get_session
from factlog.readmodels import as_of
from factlog.readmodels.queries.claim_changes import claim_changes, version_at

blp = Blueprint("claims", __name__, url_prefix="/api/v1/claims",
                description="Sourced claims: who said what, through which chain, and what became of it.")

_CONFLICT = "The claim changed since the version you sent (current_version says which it is now)."


def _document_write(schema, *, status: int = 200):
    return documented_write(blp, schema, conflict=_CONFLICT, status=status)


def _existing(claim_id: UUID) -> None:
    require_stream(claims.stream_id(claim_id), f"no claim {claim_id}")


def _run(command, entity_id):
    return run_command(claims, command, entity_id)


@blp.route("")
class ClaimCollection(MethodView):
    @requires("write")
    @idempotent
    @_document_write(claims.RecordClaimSchema, status=201)
    @blp.doc(**links.after_write(201, links.claim_links()))
    def post(self):
        """Record a claim with its first report (the chain it reached us through)."""
        command = load_command(claims.RecordClaimSchema)
        body, headers = run_creation(claims, command, command.claim_id)
        headers["Location"] = url_for("claims.Claim", claim_id=body["id"])
        return body, 201, headers


@blp.route("/<uuid:claim_id>")
class Claim(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(as_of_api.AsOfQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, ClaimOut)
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID, **_moment):
        """A claim's current state, its original wording, every report, correction and verdict.

        Read from the claim's own stream, so it is current the moment a change commits; its version is the
        one to send back in If-Match. With as_of or as_of_position: the claim as it stood then.
        """
        session = get_session()
        moment = as_of_api.requested_moment()
        if moment is None:
            claim = claims.load_claim(session, claim_id)
        else:
            history = claims.claim_history(session, claim_id)
            history = history[:version_at(session, claims.stream_id(claim_id), moment, len(history))]
            claim = fold(entry.event for entry in history)
        if claim is None:
            abort(404, message=f"no claim {claim_id}" + (f" as of {moment.describe()}" if moment else ""))
        return claim


class ChangesQuery(Schema):
    """Two moments, each a time or a log position (from: the claim's start when neither; to: now)."""

    from_ = fields.Raw(data_key="from", metadata={"type": "string", "format": "date-time",
                                                  "description": "The first moment, as as_of."})
    from_position = fields.Raw(metadata={"type": "integer", "minimum": 0,
                                         "description": "The first moment, as as_of_position."})
    to = fields.Raw(metadata={"type": "string", "format": "date-time", "description": "The second moment."})
    to_position = fields.Raw(metadata={"type": "integer", "minimum": 0,
                                       "description": "The second moment, as a log position."})


@blp.route("/<uuid:claim_id>/changes")
class ClaimChanges(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(ChangesQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, {"type": "object"}, description=(
        "claim_id; from and to (position, described, time; null for the start and for now); before and after "
        "(summary, quote, status, reports, verdict; null before the claim was recorded); changes: each event "
        "between them with kind (recorded, report_added, corrected, retracted, verdict, re-rated, linked), "
        "position, version, recorded_at, actor and what it changed (a correction's field, old_value, "
        "new_value and reason; a re-rating's previous and new rating_label)."))
    @blp.alt_response(400, schema="Problem", description="A moment factlog cannot resolve, or to before from.")
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID, **_moments):
        """What changed on the claim between two moments: reports added, corrections, retraction, verdicts."""
        session = get_session()
        ends = {}
        for end in ("from", "to"):
            try:
                args = as_of_query.load_args({"as_of": request.args.get(end),
                                              "as_of_position": request.args.get(f"{end}_position")})
                ends[end] = as_of_query.moment(session, args)
            except ValidationError as error:
                abort(400, message=f"{end} is not a moment factlog knows; see errors", messages={"query": {
                    (end if name == "as_of" else f"{end}_position"): value for name, value in error.messages.items()}})
            except as_of.AsOfError as error:
                name = end if error.field == "as_of" else f"{end}_position"
                abort(400, message=error.message, messages={"query": {name: [error.message]}})
        try:
            found = claim_changes(session, str(claim_id), ends["from"], ends["to"])
        except ValueError as error:
            abort(400, message=str(error), messages={"query": {"to": [str(error)]}})
        if found is None:
            abort(404, message=f"no claim {claim_id}")
        return json_response(blp, found)


@blp.route("/<uuid:claim_id>/events")
class ClaimEvents(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.etag
    @blp.response(200, EventSchema(many=True))
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID):
        """The claim's full history: every event of its stream, oldest first."""
        history = eventstore.read_stream(get_session(), claims.stream_id(claim_id))
        if not history:
            abort(404, message=f"no claim {claim_id}")
        return history


def _claim_command(name: str, schema, permission: str, summary: str):
    """A POST endpoint under /claims/{id}/NAME carrying out one claim command."""

    @requires(permission)
    @idempotent
    @_document_write(schema(exclude=("claim_id",)))
    def post(self, claim_id: UUID):
        _existing(claim_id)
        return _run(load_command(schema, claim_id=claim_id), claim_id)

    post.__doc__ = summary + "\n\nSend the version you last saw as If-Match (or expected_version in the body)."
    view = type(f"Claim{name.title()}", (MethodView,), {"post": post})
    blp.route(f"/<uuid:claim_id>/{name}")(view)


_claim_command("reports", claims.AddReportSchema, "write", "Record that another publication carried the claim.")
_claim_command("corrections", claims.CorrectClaimSchema, "write",
               "Correct a field recorded wrongly; the old value and the reason stay in the history.")
_claim_command("retraction", claims.RetractClaimSchema, "write", "Retract the claim, with the reason.")
_claim_command("verdicts", claims.GiveVerdictSchema, "verdict",
               "Give a fact-checker's verdict; it supersedes the checker's earlier one, which is kept.")
_claim_command("links", claims.LinkClaimsSchema, "write",
               "Link the claim to another: denies, contradicts, supports, same_as.")
