"""Exports for other tools: ClaimReview JSON-LD, TimelineJS, Atom feeds, CSV and NDJSON (docs/exports.md)."""
from __future__ import annotations

import hashlib
from uuid import UUID

import orjson
from flask import Response, request, stream_with_context
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from factlog.api import as_of as as_of_api
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.database import get_session
from factlog.exports import atom, csv_file, documents, ndjson
from factlog.readmodels.queries import InvalidCursor
from factlog.readmodels.queries.timelines import MAX_LIMIT
from factlog.web import claim_view

blp = Blueprint("exports", __name__, url_prefix="/api/v1",
                description="Claims for other tools: ClaimReview (schema.org JSON-LD), TimelineJS, Atom, "
                            "CSV, NDJSON.")

JSON_LD = "application/ld+json"
EXPORTED = ("timelines", "attribution")  # the projections the exports read (docs/as-of.md)
# Bodies built by factlog.exports, documented by media type (raw OpenAPI schemas: nothing is dumped).
OBJECT = {"type": "object"}
TEXT = {"type": "string"}


class ReviewsQuery(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(validate=validate.Length(min=1, max=500))


class ReviewsPageOut(Schema):
    claim_reviews = fields.List(fields.Dict(), required=True,
                                metadata={"description": "ClaimReview objects."})
    next_cursor = fields.String(allow_none=True, required=True)


def tagged(body: bytes, media_type: str) -> Response:
    """The body with an ETag of its hash (a matching If-None-Match answers 304)."""
    blp.set_etag(hashlib.sha1(body).hexdigest())
    return Response(body, mimetype=media_type.split(";")[0], content_type=media_type)


def _unknown_timeline(args: dict) -> None:
    abort(404, message=f"no {args['kind']} timeline {args.get('key')} "
                       "(yet: new sources appear within seconds)")


@blp.route("/claims/<uuid:claim_id>/claimreview")
class ClaimReview(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(as_of_api.AsOfQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, OBJECT, content_type=JSON_LD, description="A schema.org ClaimReview (JSON-LD).")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem", description="No such claim, or it has no verdict yet.")
    def get(self, claim_id: UUID, **_moment):
        """The claim's ClaimReview (schema.org JSON-LD), as Google's Fact Check markup expects."""
        view = claim_view.load(get_session(), claim_id, as_of_api.requested(("attribution", "links")))
        if view is None:
            abort(404, message=f"no claim {claim_id}")
        review = documents.claim_review(view)
        if review is None:
            abort(404, message=f"claim {claim_id} has no verdict yet: only reviewed claims have a "
                               "ClaimReview")
        return tagged(orjson.dumps(review), JSON_LD)


@blp.route("/claimreviews")
class ClaimReviews(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(ReviewsQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, ReviewsPageOut)
    @blp.alt_response(400, schema="Problem", description="A cursor factlog did not hand out.")
    def get(self, limit: int, cursor: str | None = None):
        """ClaimReviews of every claim with a verdict, in date order (keyset pages: follow next_cursor)."""
        try:
            page = documents.claim_reviews(get_session(), limit=limit, cursor=cursor)
        except InvalidCursor as error:
            abort(400, message=str(error))
        return tagged(orjson.dumps(page), "application/json")


@blp.route("/exports/timelinejs")
class TimelineJS(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(documents.TimelineJSQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, OBJECT, content_type="application/json", description="A TimelineJS3 document.")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem", description="No such speaker or outlet.")
    def get(self, **args):
        """A timeline as TimelineJS3 JSON (its first 200 claims), grouped by outlet or speaker."""
        past = as_of_api.requested(EXPORTED)
        document = documents.timeline_js(get_session(), as_of_api.without_moment(args), past)
        if document is None:
            _unknown_timeline(args)
        return tagged(orjson.dumps(document), "application/json")


def _stream(args: dict, format: str, media_type: str, extension: str) -> Response:
    past = as_of_api.requested(EXPORTED)  # folded once, before the lines stream
    args = as_of_api.without_moment(args)
    if documents.timeline_title(get_session(), args.get("kind", "all"), args.get("key")) is None:
        _unknown_timeline(args)
    get_session().rollback()  # nothing held open while the response streams
    lines = documents.claim_lines(get_session(), args, format, past)
    response = Response(stream_with_context(lines), content_type=media_type)
    response.headers["Content-Disposition"] = documents.content_disposition(args, extension)
    return response


@blp.route("/exports/claims.csv")
class ClaimsCsv(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(documents.ExportQuery, location="query", as_kwargs=True)
    @blp.response(200, TEXT, content_type="text/csv", description="UTF-8 CSV with a header row, streamed.")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem", description="No such speaker or outlet.")
    def get(self, **args):
        """Every claim of a timeline with its attribution, as CSV (cells safe from formula injection)."""
        return _stream(args, "csv", csv_file.MEDIA_TYPE, "csv")


@blp.route("/exports/claims.ndjson")
class ClaimsNdjson(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(documents.ExportQuery, location="query", as_kwargs=True)
    @blp.response(200, TEXT, content_type=ndjson.MEDIA_TYPE,
                  description="One JSON object per claim and line, streamed.")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem", description="No such speaker or outlet.")
    def get(self, **args):
        """Every claim of a timeline with its attribution, as NDJSON."""
        return _stream(args, "ndjson", ndjson.MEDIA_TYPE, "ndjson")


@blp.route("/feeds/timeline.atom")
class TimelineFeed(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(documents.ExportQuery(only=("kind", "key", "as_of", "as_of_position")), location="query",
                   as_kwargs=True)
    @blp.etag
    @blp.response(200, TEXT, content_type=atom.MEDIA_TYPE, description="An Atom feed.")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem", description="No such speaker or outlet.")
    def get(self, kind: str, key: str | None = None, **_moment):
        """A timeline's newest claims as an Atom feed."""
        past = as_of_api.requested(EXPORTED)
        body = documents.timeline_feed(get_session(), kind, key, request.url, past)
        if body is None:
            _unknown_timeline({"kind": kind, "key": key})
        return tagged(body, atom.MEDIA_TYPE)


@blp.route("/feeds/corrections.atom")
class CorrectionsFeed(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(as_of_api.AsOfQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, TEXT, content_type=atom.MEDIA_TYPE, description="An Atom feed.")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    def get(self, **_moment):
        """Corrections and retractions, newest first, as an Atom feed."""
        past = as_of_api.requested(EXPORTED)
        return tagged(documents.corrections_feed(get_session(), request.url, past), atom.MEDIA_TYPE)
