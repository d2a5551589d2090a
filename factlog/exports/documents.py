"""The documents the API and the pages serve: read (read-model queries, or the claim page's state for one
claim), then build with the pure format modules. The only module of the package that touches a database.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import quote
from uuid import UUID

import sqlalchemy as sa
from flask import current_app, url_for
from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy.orm import Session

from factlog.as_of_query import AsOfFields
from factlog.claims.topics import topic_label
from factlog.exports import atom, claim_page, claimreview, csv_file, ndjson, records, timelinejs
from factlog.readmodels.as_of import Past
from factlog.readmodels.queries import exports as read
from factlog.readmodels.queries.timelines import DATE_FIELDS, STATUSES
from factlog.readmodels.timelines import ALL, ALL_KEY, timeline_sources

KINDS = ("all", "topic", "speaker", "outlet")
FILTERS = ("by", "start", "end", "verdict", "status", "outlet")  # the timelines' (queries.timeline)
TIMELINEJS_SIZE = 200  # the claims one TimelineJS document holds: TimelineJS slows down past a few hundred


class ExportQuery(AsOfFields):
    """Which timeline (``kind`` and ``key``) and the timelines' filters; ``group`` for TimelineJS."""

    kind = fields.String(load_default=ALL, validate=validate.OneOf(KINDS),
                         metadata={"description": "all, or a topic, speaker or outlet timeline (with key)."})
    key = fields.String(validate=validate.Length(min=1, max=200), metadata={
        "description": "The topic, or the speaker's / outlet's source id (not with kind=all)."})
    by = fields.String(load_default="said_on", validate=validate.OneOf(list(DATE_FIELDS)))
    start = fields.Date(metadata={"description": "Keep claims whose date may fall on or after this day."})
    end = fields.Date(metadata={"description": "Keep claims whose date may fall on or before this day."})
    verdict = fields.String(validate=validate.Length(min=1, max=60))
    status = fields.String(validate=validate.OneOf(STATUSES))
    outlet = fields.String(validate=validate.Length(min=1, max=100),
                           metadata={"description": "Only claims this outlet (a source id) carried."})

    @validates_schema
    def _timeline_named(self, data: dict, **_: Any) -> None:
        if data.get("kind", ALL) != ALL and not data.get("key"):
            raise ValidationError("Name the timeline: a topic, or a speaker's or outlet's source id.", "key")
        if data.get("kind", ALL) == ALL and data.get("key"):
            raise ValidationError("The timeline of all claims has no key.", "key")
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("Must not be before start.", "end")


class TimelineJSQuery(ExportQuery):
    group = fields.String(load_default="outlet", validate=validate.OneOf(timelinejs.GROUPS),
                          metadata={"description": "One row per outlet (the first to carry each claim) "
                                                   "or per speaker."})


def organization() -> claimreview.Organization:
    return claimreview.Organization(current_app.config.get("ORGANIZATION_NAME") or "factlog",
                                    current_app.config.get("ORGANIZATION_URL"))


def claim_url(claim_id: str | UUID) -> str:
    return url_for("web.claims.show", claim_id=claim_id, _external=True)


def timeline_title(session: Session, kind: str, key: str | None) -> str | None:
    """"Every claim", a topic, or a speaker's or outlet's name; None for a source the read model lacks."""
    if kind == ALL:
        return "Every claim"
    if kind == "topic":
        return topic_label(key)
    sources = timeline_sources
    return session.execute(sa.select(sources.c.name).where(sources.c.source_id == key)).scalar()


def page_url(kind: str, key: str | None) -> str:
    if kind == ALL:
        return url_for("web.timelines.everything", _external=True)
    return url_for("web.timelines.timeline", kind=kind, key=key, _external=True)


def _titled(title: str, past: Past | None) -> str:
    """A document's title, saying the moment it is as of (so nobody takes it for the present)."""
    return title if past is None else f"{title} (as of {past.moment.describe()})"


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    return {name: args[name] for name in FILTERS if name in args}


def claim_review(view) -> dict[str, Any] | None:
    """The ClaimReview of the claim a ``ClaimView`` shows; None when it has no verdict."""
    record = claim_page.from_claim_view(view)
    if record["verdict"] is None:
        return None
    return claimreview.claim_review(record, claim_url(record["claim_id"]), organization())


def claim_reviews(session: Session, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of ClaimReviews of the claims with a verdict, and the cursor of the next page."""
    rows, next_cursor = read.reviewed_page(session, limit=limit, cursor=cursor)
    reviews = [claimreview.claim_review(records.from_read_models(row), claim_url(row["card"]["claim_id"]),
                                        organization()) for row in rows]
    return {"claim_reviews": reviews, "next_cursor": next_cursor}


def timeline_js(session: Session, args: dict[str, Any], past: Past | None = None) -> dict[str, Any] | None:
    """The TimelineJS document of a timeline's first ``TIMELINEJS_SIZE`` claims (None: unknown source), as
    of ``past``'s moment if given."""
    kind, key = args.get("kind", ALL), args.get("key") or ALL_KEY
    title = timeline_title(session, kind, key)
    if title is None:
        return None
    title = _titled(title, past)
    rows, _ = read.export_page(session, kind, key, past, limit=TIMELINEJS_SIZE, **_filters(args))
    return timelinejs.timeline(title, [records.from_read_models(row) for row in rows], claim_url,
                               by=args.get("by", "said_on"), group_by=args.get("group", "outlet"))


def timeline_feed(session: Session, kind: str, key: str | None, self_url: str,
                  past: Past | None = None) -> bytes | None:
    """The Atom feed of a timeline's newest claims (None: unknown source), as of ``past``'s moment if given."""
    title = timeline_title(session, kind, key)
    if title is None:
        return None
    rows = read.recent(session, kind, key or ALL_KEY, past=past)
    return atom.timeline_feed(f"{_titled(title, past)} · factlog",
                              [records.from_read_models(row) for row in rows],
                              claim_url,
                              feed_key=f"{kind}/{key or ALL_KEY}", self_url=self_url,
                              page_url=page_url(kind, key), author=organization().name)


def corrections_feed(session: Session, self_url: str, past: Past | None = None) -> bytes:
    rows = read.recently_changed(session, past=past)
    changed = url_for("web.timelines.everything", status="corrected", _external=True)
    return atom.corrections_feed([records.from_read_models(row) for row in rows], claim_url,
                                 self_url=self_url, page_url=changed,
                                 author=organization().name)


def claim_lines(session: Session, args: dict[str, Any], format: str,
                past: Past | None = None) -> Iterator[bytes]:
    """The CSV or NDJSON lines of every claim of a timeline, read page by page as they are sent (as of
    ``past``'s moment if given)."""
    build: Callable = {"csv": csv_file.lines, "ndjson": ndjson.lines}[format]
    kind, key = args.get("kind", ALL), args.get("key") or ALL_KEY
    rows = read.iter_export(session, kind, key, past, **_filters(args))
    return build((records.from_read_models(row) for row in rows), claim_url)


def download_name(args: dict[str, Any], extension: str) -> str:
    """"factlog-topic-ukraine-2024-11-30.csv": what a browser saves the file as (any letters of the key)."""
    parts = ["factlog", args.get("kind", ALL)]
    if args.get("key"):
        parts.append("".join(c if c.isalnum() or c in "-_" else "-" for c in args["key"])[:60])
    return "-".join(parts + [date.today().isoformat()]) + "." + extension


def content_disposition(args: dict[str, Any], extension: str) -> str:
    """The attachment header: an ASCII ``filename`` and, when the key has other letters, RFC 6266's
    ``filename*`` in UTF-8 (a WSGI server sends header values as Latin-1 and fails on anything else)."""
    name = download_name(args, extension)
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
