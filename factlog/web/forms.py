"""HTML form posts in, command-schema dicts out; schema and domain errors back beside the fields.

Form fields are named after the schema's paths with ``-`` between the parts (``links-1-url`` is
``report.links[1].url``), so an error found anywhere in a command lands beside the field it is about. What
the editor typed is always re-rendered from the post, never rebuilt from the command.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from factlog.claims.dates import APPROXIMATE_PREFIX, RANGE_SEPARATOR, UNKNOWN
from factlog.errors import DomainError

FORM_ERROR = "_form"  # errors about the whole form, shown at its top
PRECISIONS = ("day", "month", "year", "range", "approximate", "unknown")
# Schema fields whose form input has another name: an id is chosen through a source picker or a select.
RENAMED = {"speaker_id": "speaker", "quote_source_id": "quote_source", "source_id": "source",
           "claim_id": FORM_ERROR, "_schema": FORM_ERROR, "report": "links", "report_id": "links",
           "verdict_id": FORM_ERROR, "expected_version": FORM_ERROR, "target_claim_id": "target"}
MAX_NEW_LINK_ROWS = 8
_LINK_FIELD = re.compile(r"^links-(\d+)-")
# marshmallow's wording for a missing field, as a form says it
_PLAIN = {"Missing data for required field.": "Required.", "Field may not be null.": "Required."}


@dataclass
class Form:
    """What was posted (or the defaults), and the messages to show beside each field."""

    values: MultiDict = field(default_factory=MultiDict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, list[dict]] = field(default_factory=dict)  # a picker's sources to choose from
    duplicates: set[str] = field(default_factory=set)  # pickers whose new source looks like a known one

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def getlist(self, name: str) -> list[str]:
        return self.values.getlist(name)

    def checked(self, name: str) -> bool:
        return self.values.get(name) == "1"

    def error(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    def add_error(self, name: str, message: str) -> None:
        messages = self.errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    def merge(self, errors: Mapping[str, Iterable[str]], *, keep_first: bool = False) -> None:
        """Add messages; with ``keep_first``, not to a field that already has one (a picker's "no source
        called ..." says more than the schema's "Required.")."""
        for name, messages in errors.items():
            if keep_first and name in self.errors:
                continue
            for message in messages:
                self.add_error(name, message)

    @property
    def valid(self) -> bool:
        return not self.errors


def text(form: Form, name: str) -> str | None:
    """A text input: None when left empty, otherwise exactly as typed (quotes are verbatim)."""
    value = form.get(name)
    if value == "":
        return None
    return value.replace("\r\n", "\n")  # browsers send CRLF for every newline in a textarea


def topics(form: Form, name: str = "topics") -> list[str]:
    """"russia, ukraine, north-korea" -> ["russia", "ukraine", "north-korea"]."""
    return [topic.strip() for topic in form.get(name).split(",") if topic.strip()]


def precise_date(form: Form, prefix: str) -> dict[str, Any] | str:
    """A date group (precision, date, until, margin, as written) as PreciseDateField loads it."""
    precision = form.get(f"{prefix}-precision") or UNKNOWN
    value, until = form.get(f"{prefix}-value").strip(), form.get(f"{prefix}-until").strip()
    margin, as_written = form.get(f"{prefix}-margin").strip(), text(form, f"{prefix}-as_written")
    if precision == UNKNOWN or precision not in PRECISIONS:
        data: dict[str, Any] = {"value": UNKNOWN}
    elif precision == "range":
        data = {"value": f"{value}{RANGE_SEPARATOR}{until}", "precision": precision}
    elif precision == "approximate":
        data = {"value": APPROXIMATE_PREFIX + value, "precision": precision}
        if margin:
            data["margin_days"] = int(margin) if margin.isdigit() else margin
    else:
        data = {"value": value, "precision": precision}
    if as_written is not None:
        data["as_written"] = as_written
    return data


def check_date_filled(form: Form, prefix: str) -> None:
    """A friendlier message than the parser's for a precision chosen without a date."""
    precision = form.get(f"{prefix}-precision") or UNKNOWN
    if precision != UNKNOWN and not form.get(f"{prefix}-value").strip():
        form.add_error(prefix, "Enter the date, or choose “unknown”.")
    elif precision == "range" and not form.get(f"{prefix}-until").strip():
        form.add_error(prefix, "Enter the last day of the range.")


def link_rows(form: Form, minimum: int = 0) -> list[int]:
    """The indexes of the chain's rows in the post (at least ``minimum`` rows: 0, 1, ...)."""
    found = {int(match[1]) for name in form.values if (match := _LINK_FIELD.match(name))}
    rows = sorted(found | set(range(minimum)))
    return rows[:MAX_NEW_LINK_ROWS * 2]


def link_row_blank(form: Form, row: int) -> bool:
    """A row the editor left empty (kinds, relations and precisions have defaults and do not count)."""
    names = ("source-name", "source-id", "url", "headline", "published_on-value", "as_written")
    return not any(form.get(f"links-{row}-{name}").strip() for name in names)


def link_data(form: Form, row: int, source_id: str | None) -> dict[str, Any]:
    prefix = f"links-{row}"
    data: dict[str, Any] = {"relation": form.get(f"{prefix}-relation") or None,
                            "url": text(form, f"{prefix}-url"), "headline": text(form, f"{prefix}-headline"),
                            "published_on": precise_date(form, f"{prefix}-published_on"),
                            "as_written": text(form, f"{prefix}-as_written")}
    if source_id is not None:
        data["source_id"] = source_id
    return data


def field_name(path: tuple, rows: Mapping[str, list[int]] | None = None) -> str:
    """The form field a schema path is about: ("report", "links", 0, "url") -> "links-<row>-url".

    ``rows`` maps a repeated group ("links", "evidence") to the form rows that were filled in, so that the
    schema's n-th item points back at the row it came from when blank rows were left out.
    """
    rows = rows or {}
    if path and path[0] == "report":
        path = path[1:] if len(path) >= 3 and path[1] == "links" and isinstance(path[2], int) else ("links",)
    if len(path) >= 2 and path[0] in rows and isinstance(path[1], int):
        used = rows[path[0]]
        path = (path[0], used[path[1]] if path[1] < len(used) else path[1], *path[2:])
    parts = [RENAMED.get(part, part) if isinstance(part, str) else str(part) for part in path]
    if FORM_ERROR in parts:
        return FORM_ERROR
    return "-".join(parts) or FORM_ERROR


def schema_errors(messages: Any, rows: Mapping[str, list[int]] | None = None) -> dict[str, list[str]]:
    """marshmallow's nested messages as ``{form field: [message, ...]}``."""
    errors: dict[str, list[str]] = {}
    for path, message in _flatten(messages):
        errors.setdefault(field_name(path, rows), []).append(_PLAIN.get(message, message))
    return errors


def domain_error(error: DomainError, rows: Mapping[str, list[int]] | None = None) -> dict[str, list[str]]:
    return {field_name((error.field,) if error.field else (), rows): [_sentence(error.message)]}


def _flatten(messages: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    if isinstance(messages, str):
        return [(path, messages)]
    if isinstance(messages, Mapping):
        return [item for key, value in messages.items() for item in _flatten(value, path + (key,))]
    if isinstance(messages, (list, tuple)):
        return [item for value in messages for item in _flatten(value, path)]
    return [(path, str(messages))]


def _sentence(message: str) -> str:
    """Domain messages start in lower case to read well inside logs; beside a field they are sentences."""
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."
