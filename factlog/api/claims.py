"""Claims: record one, read its state and history, and change it (reports, corrections, retraction,
verdicts, links). ``/api/v1/claims``."""
from __future__ import annotations

from uuid import UUID

from flask import url_for
from flask.views import MethodView
from flask_smorest import abort

from factlog import claims, eventstore
from factlog.api import links
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.commands import documented_write, load_command, require_stream, run_command, run_creation
from factlog.api.feed import EventSchema
from factlog.api.idempotency import idempotent
from factlog.api.representations import ClaimOut
from factlog.database import get_session

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
    @blp.etag
    @blp.response(200, ClaimOut)
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID):
        """A claim's current state, its original wording, every report, correction and verdict.

        Read from the claim's own stream, so it is current the moment a change commits; its version is the
        one to send back in If-Match.
        """
        claim = claims.load_claim(get_session(), claim_id)
        if claim is None:
            abort(404, message=f"no claim {claim_id}")
        return claim


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
