"""The read side: timelines, attribution views, search and projection status, served from read models."""
from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import fields, validate

from factlog.api import as_of as as_of_api
from factlog.api import views_schemas as out
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.encoded import body_response, json_response
from factlog.api.page_cache import cached_page, serves_cached
from factlog.database import get_session
from factlog.projections.status import projection_status
from factlog.readmodels import queries
from factlog.readmodels.queries import as_of_attribution, as_of_timelines
from factlog.readmodels.queries.search import KINDS as SEARCH_KINDS
from factlog.readmodels.queries.timelines import DATE_FIELDS, MAX_LIMIT, ORDERS, STATUSES
from factlog.readmodels.timelines import ALL_KEY

blp = Blueprint("views", __name__, url_prefix="/api/v1",
                description="Timelines, source attribution and search, from the projected read models.")

KEYED_TIMELINES = ("topic", "speaker", "outlet")
TIMELINES_PROJECTION = "timelines"  # the projections whose tables the cached views read
ATTRIBUTION_PROJECTION = "attribution"
SEARCH_NOW_ONLY = ("Search answers for now only: ask a timeline, a claim or an export as of a moment "
                   "(docs/as-of.md).")


class TimelineQuery(as_of_api.AsOfQuery):
    by = fields.String(load_default="said_on", validate=validate.OneOf(list(DATE_FIELDS)))
    order = fields.String(load_default="oldest", validate=validate.OneOf(ORDERS), metadata={
        "description": "oldest or newest first; claims whose date is unknown come last either way."})
    start = fields.Date(metadata={"description": "Keep claims whose date may fall on or after this day."})
    end = fields.Date(metadata={"description": "Keep claims whose date may fall on or before this day."})
    verdict = fields.String(validate=validate.Length(min=1, max=60))
    status = fields.String(validate=validate.OneOf(STATUSES))
    outlet = fields.String(validate=validate.Length(min=1, max=100), metadata={
        "description": "Only claims this outlet (a source id) carried."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    cursor = fields.String(validate=validate.Length(min=1, max=500))


class SearchQuery(as_of_api.AsOfQuery):
    q = fields.String(required=True, validate=validate.Length(min=1, max=500))
    kind = fields.String(validate=validate.OneOf(SEARCH_KINDS))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class LimitQuery(as_of_api.AsOfQuery):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


def _page(kind: str, key: str, args: dict):
    if args.get("start") and args.get("end") and args["start"] > args["end"]:
        abort(422, messages={"query": {"end": ["Must not be before start."]}})
    session = get_session()
    past = as_of_api.requested([TIMELINES_PROJECTION])
    args = as_of_api.without_moment(args)
    if past is not None:  # computed from the log, never cached (docs/as-of.md)
        try:
            page = as_of_timelines.timeline(session, past, kind, key, **args)
        except queries.InvalidCursor as error:
            abort(400, message=str(error))
        return as_of_api.said(json_response(blp, {"entries": page.entries, "next_cursor": page.next_cursor}),
                              past.moment)

    def build() -> dict:
        page = queries.timeline_encoded(session, kind, key, **args)
        return {"entries": page.entries, "next_cursor": page.next_cursor,
                "previous_cursor": page.previous_cursor}

    try:
        page = cached_page(session, TIMELINES_PROJECTION, build)
    except queries.InvalidCursor as error:
        abort(400, message=str(error))
    return body_response(blp, page.body, page.etag)


@blp.route("/timeline")
class AllClaimsTimeline(MethodView):
    @requires("read")
    @blp.etag  # outside serves_cached: a page from the cache gets its ETag (and 304) as a built one
    @serves_cached(blp, TIMELINES_PROJECTION)
    @blp.doc(security=SECURITY)
    @blp.arguments(TimelineQuery, location="query", as_kwargs=True)
    @blp.response(200, out.TimelinePageOut)
    @blp.alt_response(400, schema="Problem", description="A cursor factlog did not hand out. " + as_of_api.AS_OF_400)
    def get(self, **args):
        """Every claim, in date order (keyset pages: follow next_cursor, or previous_cursor back)."""
        return _page("all", ALL_KEY, args)


@blp.route("/timelines/<any(topic,speaker,outlet):kind>")
class TimelineKeys(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.etag
    @blp.response(200, out.TimelineKeyOut(many=True))
    def get(self, kind: str):
        """The topics, speakers or outlets that have a timeline, with their label and number of claims."""
        keys = queries.timeline_keys(get_session(), kind)
        labels = queries.timeline_labels(get_session(), kind, [key for key, _ in keys])
        return [{"key": key, "label": labels.get(key, key), "claims": count} for key, count in keys]


@blp.route("/timelines/<any(topic,speaker,outlet):kind>/<string:key>")
class Timeline(MethodView):
    @requires("read")
    @blp.etag
    @serves_cached(blp, TIMELINES_PROJECTION)
    @blp.doc(security=SECURITY)
    @blp.arguments(TimelineQuery, location="query", as_kwargs=True)
    @blp.response(200, out.TimelinePageOut)
    @blp.alt_response(400, schema="Problem", description="A cursor factlog did not hand out. " + as_of_api.AS_OF_400)
    def get(self, kind: str, key: str, **args):
        """One topic's, speaker's (source id) or outlet's (source id) timeline, in date order.

        Month- and year-precision dates sort as the period they name, never as its first day. Pages go
        both ways: next_cursor and previous_cursor (null on the first page) are keyset cursors.
        """
        return _page(kind, key, args)


@blp.route("/claims/<uuid:claim_id>/attribution")
class ClaimAttribution(MethodView):
    @requires("read")
    @blp.etag
    @serves_cached(blp, ATTRIBUTION_PROJECTION)
    @blp.doc(security=SECURITY)
    @blp.arguments(as_of_api.AsOfQuery, location="query", as_kwargs=True)
    @blp.response(200, out.ClaimAttributionOut)
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID, **_moment):
        """The chain behind the claim, every outlet that carried it, which was first, and corroboration."""
        session = get_session()
        past = as_of_api.requested([ATTRIBUTION_PROJECTION])
        if past is not None:
            view = as_of_attribution.claim_attribution(session, past, str(claim_id))
            if view is None:
                abort(404, message=f"no claim {claim_id} as of {past.moment.describe()}")
            return as_of_api.said(json_response(blp, view), past.moment)

        def build() -> dict:
            view = queries.claim_attribution(session, str(claim_id))
            if view is None:
                abort(404, message=f"no claim {claim_id} in the attribution view (is the worker running?)")
            return view

        page = cached_page(session, ATTRIBUTION_PROJECTION, build)
        return body_response(blp, page.body, page.etag)


@blp.route("/claims/<uuid:claim_id>/links")
class ClaimLinks(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.etag
    @blp.response(200, out.ClaimLinksOut)
    @blp.alt_response(404, schema="Problem")
    def get(self, claim_id: UUID):
        """The claim's links to other claims, both ways: what it says about them, and who denies it."""
        if queries.claim_attribution(get_session(), str(claim_id)) is None:
            abort(404, message=f"no claim {claim_id} in the read models (is the worker running?)")
        return queries.links_of(get_session(), str(claim_id))


@blp.route("/outlets/<uuid:source_id>/attribution")
class OutletAttribution(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(LimitQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, out.OutletAttributionOut)
    @blp.alt_response(404, schema="Problem")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    def get(self, source_id: UUID, limit: int, **_moment):
        """What an outlet reported, what it reported first, whom it cites, who cites it, its speakers."""
        past = as_of_api.requested([ATTRIBUTION_PROJECTION])
        view = queries.outlet_attribution(get_session(), str(source_id), limit=limit) if past is None \
            else as_of_attribution.outlet_attribution(get_session(), past, str(source_id), limit=limit)
        if view is None:
            abort(404, message=f"no outlet {source_id}")
        return view


@blp.route("/speakers/<uuid:source_id>/attribution")
class SpeakerAttribution(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(LimitQuery, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, out.SpeakerAttributionOut)
    @blp.alt_response(404, schema="Problem")
    @blp.alt_response(400, schema="Problem", description=as_of_api.AS_OF_400)
    def get(self, source_id: UUID, limit: int, **_moment):
        """A speaker's claims, roles over time, and the outlets that carried them."""
        past = as_of_api.requested([ATTRIBUTION_PROJECTION])
        view = queries.speaker_attribution(get_session(), str(source_id), limit=limit) if past is None \
            else as_of_attribution.speaker_attribution(get_session(), past, str(source_id), limit=limit)
        if view is None:
            abort(404, message=f"no speaker {source_id}")
        return view


@blp.route("/search")
class Search(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(SearchQuery, location="query", as_kwargs=True)
    @blp.response(200, out.SearchHitOut(many=True))
    @blp.alt_response(400, schema="Problem", description="as_of or as_of_position: search answers for now only.")
    def get(self, q: str, limit: int, kind: str | None = None, **moment):
        """Full-text search over claim summaries, quotes, speaker and outlet names, and source names."""
        if any(value not in (None, "") for value in moment.values()):
            # The index holds the words claims have now; matching the words of then needs the index of then.
            abort(400, message=SEARCH_NOW_ONLY, messages={"query": {name: [SEARCH_NOW_ONLY] for name in moment}})
        return queries.search(get_session(), q, kind=kind, limit=limit)


@blp.route("/projections/status")
class ProjectionStatus(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.response(200, out.ProjectionStatusOut(many=True))
    def get(self):
        """Each projection's version, checkpoint, the head of the log, lag in events and seconds, last error."""
        return projection_status(get_session())
