"""Exports for signed-in readers: the timeline pages link TimelineJS, CSV, NDJSON and Atom versions of
themselves (the same documents as /api/v1's, for the session instead of a token), and every page's head
points feed readers at its Atom feed."""
from __future__ import annotations

from flask import Blueprint, Response, abort, request, stream_with_context
from marshmallow import EXCLUDE, ValidationError

from factlog.database import get_session
from factlog.exports import atom, claimreview, csv_file, documents, ndjson
from factlog.web import as_of
from factlog.web.auth import requires

bp = Blueprint("exports", __name__)
EXPORTED = ("timelines", "attribution")  # the projections the exports read (docs/as-of.md)


def _past():
    """The moment asked for (None: now); a 400 page for one the exports cannot answer as of."""
    past, errors = as_of.requested(EXPORTED)
    as_of.refuse(errors)
    return past


def _args(schema_class) -> dict:
    try:
        given = {name: value for name, value in request.args.items() if value}
        return schema_class(unknown=EXCLUDE).load(given)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.messages.items())
        abort(400, description=f"Those export parameters are not valid ({problems}).")


def _missing(args: dict):
    abort(404, description=f"No {args['kind']} timeline for {args.get('key')} "
                           "(yet: new sources appear within seconds).")


@bp.get("/exports/timelinejs.json")
@requires("read")
def timeline_js():
    args = _args(documents.TimelineJSQuery)
    document = documents.timeline_js(get_session(), args, _past())
    if document is None:
        _missing(args)
    return document


def _download(format: str, media_type: str) -> Response:
    args = _args(documents.ExportQuery)
    past = _past()  # folded once, before the lines stream
    if documents.timeline_title(get_session(), args.get("kind", "all"), args.get("key")) is None:
        _missing(args)
    get_session().rollback()  # nothing held open while the response streams
    response = Response(stream_with_context(documents.claim_lines(get_session(), args, format, past)),
                        content_type=media_type)
    response.headers["Content-Disposition"] = documents.content_disposition(args, format)
    return response


@bp.get("/exports/claims.csv")
@requires("read")
def claims_csv():
    return _download("csv", csv_file.MEDIA_TYPE)


@bp.get("/exports/claims.ndjson")
@requires("read")
def claims_ndjson():
    return _download("ndjson", ndjson.MEDIA_TYPE)


@bp.get("/feeds/timeline.atom")
@requires("read")
def timeline_feed():
    args = _args(documents.ExportQuery)
    body = documents.timeline_feed(get_session(), args.get("kind", "all"), args.get("key"), request.url,
                                   _past())
    if body is None:
        _missing(args)
    return Response(body, content_type=atom.MEDIA_TYPE)


@bp.get("/feeds/corrections.atom")
@requires("read")
def corrections_feed():
    return Response(documents.corrections_feed(get_session(), request.url, _past()),
                    content_type=atom.MEDIA_TYPE)


@bp.app_template_global("claim_review_json")
def claim_review_json(view) -> str | None:
    """The claim page's ClaimReview as the text of a JSON-LD script block (escaped), or None without a
    verdict."""
    review = documents.claim_review(view)
    return None if review is None else claimreview.script_json(review)
