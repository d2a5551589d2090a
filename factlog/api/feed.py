"""The event feed: every event in log order, by cursor. ``GET /api/v1/events``."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from factlog import eventstore
from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.encoded import json_response
from factlog.database import get_session
from factlog.eventstore.encoded import EncodedEvent, fragment, read_all_encoded

MAX_PAGE = 1000
MAX_POSITION = 2**63 - 1  # positions are 64-bit integers on both databases
DEFAULT_PAGE = 100

blp = Blueprint("events", __name__, url_prefix="/api/v1/events",
                description="The append-only log, for consumers that keep their own copy or view.")


class FeedQuerySchema(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_POSITION),
                           metadata={"description": "The position of the last event you received (0: start)."})
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    type = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                       metadata={"description": "Only events of these types (repeat the parameter)."})
    stream = fields.String(validate=validate.Length(min=1, max=200),
                           metadata={"description": "Only events of this stream."})


class EventSchema(Schema):
    position = fields.Integer(required=True)
    id = fields.UUID(required=True, attribute="event_id")
    stream = fields.String(required=True, attribute="stream_id")
    version = fields.Integer(required=True, attribute="stream_version")
    type = fields.String(required=True)
    schema_version = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True)
    actor = fields.String(allow_none=True)
    data = fields.Dict(required=True)


class FeedPageSchema(Schema):
    events = fields.List(fields.Nested(EventSchema), required=True)
    next_after = fields.Integer(required=True, metadata={
        "description": "Pass as `after` to get the next page; equal to `after` when there is nothing new yet."})


@blp.route("")
class Feed(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(FeedQuerySchema, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(200, FeedPageSchema)
    @blp.alt_response(400, schema="Problem", description="The cursor names no event.")
    @blp.alt_response(401, schema="Problem")
    @blp.alt_response(422, schema="Problem")
    def get(self, after: int, limit: int, type: list[str] | None = None, stream: str | None = None):
        """Events after a cursor, in log order.

        The order is the log's commit order; the feed never skips a committed event and never repeats one.
        Positions are unique but two concurrent writers' positions may interleave: always pass back the
        position of the last event you received.
        """
        try:
            page = read_all_encoded(get_session(), after=after, limit=limit, types=type, stream_id=stream)
        except eventstore.UnknownPosition as error:
            abort(400, message=str(error))
        # In exactly the shape of FeedPageSchema, each event's data written as the JSON the database holds:
        # decoding it only to encode it again cost several times reading it.
        return json_response(blp, {"events": [_event_out(event) for event in page],
                                   "next_after": page[-1].position if page else after})


def _event_out(event: EncodedEvent) -> dict:
    return {"position": event.position, "id": str(event.event_id), "stream": event.stream_id,
            "version": event.stream_version, "type": event.type, "schema_version": event.schema_version,
            "recorded_at": event.recorded_at.isoformat(), "actor": event.actor, "data": fragment(event)}
