"""``?as_of=`` and ``?as_of_position=``: one schema for the pages, the API, the exports and the feeds."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy.orm import Session

from factlog.readmodels import as_of

NAMES = ("as_of", "as_of_position")
TIME_MESSAGE = ("Not a date and time: write it as 2024-11-28T12:00Z (UTC when no time zone is given, "
                "midnight when no time is).")


class AsOfArgs(Schema):
    """Ask a read view as of a past moment: a time, or a log position."""

    class Meta:
        unknown = EXCLUDE

    as_of = fields.DateTime(load_default=None, error_messages={"invalid": TIME_MESSAGE}, metadata={
        "description": "Answer as of this time (ISO 8601, e.g. 2024-11-28T12:00Z; UTC when no zone is given): "
                       "the log up to the last event recorded at or before it. See docs/as-of.md."})
    as_of_position = fields.Integer(load_default=None, strict=False, validate=validate.Range(
        min=0, error="A log position is 0 (before the first event) or more."), error_messages={
        "invalid": "Not a log position: give a whole number such as 17."}, metadata={
        "description": "Answer as of this log position (the event at it included, and everything before it "
                       "in log order)."})


class AsOfFields(Schema):
    """The two parameters as an API schema documents them (a view's query schema inherits it); their
    values are checked by ``load_args``, so a bad moment is refused as a whole with the reason (400)."""

    as_of = fields.Raw(metadata={"type": "string", "format": "date-time", "description": (
        "Answer as of this time (ISO 8601, e.g. 2024-11-28T12:00Z; UTC when no zone is given): the log up to "
        "the last event recorded at or before it, in log order. See docs/as-of.md.")})
    as_of_position = fields.Raw(metadata={"type": "integer", "minimum": 0, "description": (
        "Answer as of this log position: the event at it and everything before it in log order. "
        "Give as_of or as_of_position, not both.")})


def max_events() -> int:
    configured = current_app.config.get("AS_OF_MAX_EVENTS")
    return as_of.DEFAULT_MAX_EVENTS if configured is None else int(configured)


def load_args(values: Mapping[str, Any]) -> dict[str, Any]:
    """The two parameters from a query string (empty ones ignored); raises ``ValidationError`` per field."""
    given = {name: values[name] for name in NAMES if values.get(name) not in (None, "")}
    loaded = AsOfArgs().load(given)
    if loaded["as_of"] is not None and loaded["as_of_position"] is not None:
        raise ValidationError({"as_of": ["Give as_of or as_of_position, not both."]})
    return loaded


def moment(session: Session, args: Mapping[str, Any]) -> as_of.Moment | None:
    """The moment the (loaded) arguments ask for, None for the present; raises ``as_of.AsOfError``."""
    if args.get("as_of") is None and args.get("as_of_position") is None:
        return None
    return as_of.resolve(session, time=args.get("as_of"), position=args.get("as_of_position"),
                         max_events=max_events())


def past(session: Session, args: Mapping[str, Any], projections: Iterable[str]) -> as_of.Past | None:
    """What a view over these projections needs to answer as of the moment asked for (None: the present)."""
    found = moment(session, args)
    return None if found is None else as_of.past(session, found, projections)
