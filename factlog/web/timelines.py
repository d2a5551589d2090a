"""Timelines by topic, speaker and outlet (and of every claim), with filters and keyset pages."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, render_template, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from factlog.claims.verdict_scales import DEFAULT_SCALE
from factlog.database import get_session
from factlog.readmodels import queries
from factlog.readmodels.as_of import Past
from factlog.readmodels.queries import as_of_timelines
from factlog.readmodels.queries.timelines import DATE_FIELDS, ORDERS, STATUSES
from factlog.readmodels.timelines import ALL, ALL_KEY, OUTLET, SPEAKER, TOPIC
from factlog.web import as_of
from factlog.web.auth import requires

bp = Blueprint("timelines", __name__)
KINDS = (TOPIC, SPEAKER, OUTLET)
PAGE_SIZE = 15  # 25 cards made a phone's page 9,300 px tall; the pager is at both ends of a page
TITLES = {TOPIC: "Topics", SPEAKER: "Speakers", OUTLET: "Outlets"}
AS_OF_PROJECTIONS = ("timelines",)


class Filters(Schema):
    """The filter form's query string."""

    class Meta:
        unknown = EXCLUDE

    by = fields.String(load_default="said_on", validate=validate.OneOf(list(DATE_FIELDS)))
    order = fields.String(load_default="oldest", validate=validate.OneOf(ORDERS))
    start = fields.Date(load_default=None, error_messages={"invalid": "Not a date: use YYYY-MM-DD."})
    end = fields.Date(load_default=None, error_messages={"invalid": "Not a date: use YYYY-MM-DD."})
    verdict = fields.String(load_default=None, validate=validate.OneOf(DEFAULT_SCALE.slugs()))
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    outlet = fields.String(load_default=None, validate=validate.Length(max=100))
    cursor = fields.String(load_default=None, validate=validate.Length(max=500))


def keys_with_names(kind: str, past: Past | None = None) -> list[dict[str, Any]]:
    keys = queries.timeline_keys(get_session(), kind) if past is None \
        else as_of_timelines.timeline_keys(get_session(), past, kind)
    names = queries.timeline_labels(get_session(), kind, [key for key, _ in keys])
    return [{"key": key, "name": names.get(key, key), "claims": count} for key, count in keys]


@bp.get("/")
@requires("read")
def home():
    """Where fact-checkers start: every topic, speaker and outlet that has a timeline."""
    past, errors = as_of.requested(AS_OF_PROJECTIONS)
    return render_template("timelines/home.html",
                           groups={kind: keys_with_names(kind, past) for kind in KINDS},
                           titles=TITLES), 400 if errors else 200


@bp.get("/timelines/<any(topic,speaker,outlet):kind>")
@requires("read")
def index(kind: str):
    past, errors = as_of.requested(AS_OF_PROJECTIONS)
    return render_template("timelines/index.html", kind=kind, title=TITLES[kind],
                           keys=keys_with_names(kind, past)), 400 if errors else 200


@bp.get("/timeline")
@requires("read")
def everything():
    return _timeline(ALL, ALL_KEY, "Every claim")


@bp.get("/timelines/<any(topic,speaker,outlet):kind>/<path:key>")
@requires("read")
def timeline(kind: str, key: str):
    title = queries.timeline_labels(get_session(), kind, [key]).get(key)
    if title is None:
        abort(404, description=f"No {kind} timeline for {key} (yet: new sources appear within seconds).")
    return _timeline(kind, key, title)


def _timeline(kind: str, key: str, title: str):
    errors: dict[str, list[str]] = {}
    try:
        filters = Filters().load({name: value for name, value in request.args.items() if value != ""})
    except ValidationError as error:
        errors = error.messages
        filters = Filters().load({name: value for name, value in request.args.items()
                                  if value != "" and name not in errors})
    if filters["start"] and filters["end"] and filters["start"] > filters["end"]:
        errors["end"] = ["Must not be before the start."]
    past, as_of_errors = as_of.requested(AS_OF_PROJECTIONS)
    errors.update(as_of_errors)
    page, total = queries.TimelinePage([], None), 0
    if not errors:
        try:
            counted = {name: value for name, value in filters.items() if name not in ("order", "cursor")}
            if past is None:
                page = queries.timeline(get_session(), kind, key, limit=PAGE_SIZE, **filters)
                total = queries.timeline_count(get_session(), kind, key, **counted)
            else:
                page = as_of_timelines.timeline(get_session(), past, kind, key, limit=PAGE_SIZE, **filters)
                total = as_of_timelines.timeline_count(get_session(), past, kind, key, **counted)
        except queries.InvalidCursor as error:
            errors["cursor"] = [str(error)]
    outlets = keys_with_names(OUTLET)
    args = {name: value for name, value in request.args.items() if name != "cursor"}
    return render_template("timelines/timeline.html", kind=kind, key=key, title=title, page=page,
                           entries=page.entries, total=total, filters=filters, errors=errors, outlets=outlets,
                           args=args, export_args={name: value for name, value in args.items() if name != "order"},
                           windowed=bool(filters["start"] or filters["end"]),
                           today=date.today()), 400 if errors else 200
