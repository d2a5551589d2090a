"""What every template may use: the signed-in user, the CSRF token, vocabularies, and display filters."""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, url_for

from factlog.claims import dates
from factlog.claims.schemas import QUOTE_MAX_LENGTH
from factlog.claims.topics import topic_label
from factlog.claims.verdict_scales import DEFAULT_SCALE
from factlog.claims.vocabulary import CHAIN_RELATIONS, CLAIM_RELATIONS, CORRECTABLE_FIELDS, CUES
from factlog.web.auth import current_user
from factlog.web.csrf import csrf_token
from factlog.web.forms import PRECISIONS
from factlog.web.sources import INLINE_KINDS

FIELD_LABELS = {
    "summary": "Summary", "quote": "Quote", "quote_source_id": "Whose words the quote is",
    "speaker_id": "Speaker", "speaker_role": "Role at the time", "speaker_as_written": "Speaker as written",
    "cue": "Cue", "said_on": "Said on", "happened_on": "Happened on", "topics": "Topics",
    "note": "Editor’s note",
}
PRECISION_LABELS = {"day": "Day", "month": "Month", "year": "Year", "range": "Range",
                    "approximate": "Approximate", "unknown": "Unknown"}


# What the error summary calls each form field (repeated rows are numbered by where they are shown).
SUMMARY_LABELS = {
    "speaker": "Speaker", "speaker-kind": "Speaker’s kind", "speaker_role": "Role",
    "speaker_as_written": "Name as written", "summary": "Summary", "quote": "Quote", "quote_source": "Whose words",
    "cue": "Cue", "said_on": "Said on", "happened_on": "Happened on", "topics": "Topics", "note": "Note",
    "links": "Chain", "reason": "Reason", "new_value": "New value", "rating": "Rating",
    "explanation": "Explanation", "target": "The other claim", "relation": "Relation",
}
ROW_LABELS = {"source": "outlet", "source-kind": "kind", "relation": "relation", "url": "address",
              "headline": "headline", "published_on": "published", "as_written": "named as"}


def init_templates(app: Flask) -> None:
    app.add_template_filter(field_label, "field_label")
    app.context_processor(_globals)
    app.add_template_filter(words, "words")
    app.add_template_filter(when, "when")
    app.add_template_filter(verdict_tone, "verdict_tone")
    app.add_template_filter(date_display, "date_display")
    app.add_template_filter(topic_label, "topic_label")


def _globals() -> dict[str, Any]:
    return {"current_user": current_user(), "csrf_token": csrf_token, "static_url": static_url,
            "CUES": CUES, "CUE_OPTIONS": [(cue, cue.replace("_", " ")) for cue in CUES],
            "CHAIN_RELATIONS": CHAIN_RELATIONS, "CLAIM_RELATIONS": CLAIM_RELATIONS,
            "CORRECTABLE_FIELDS": CORRECTABLE_FIELDS, "FIELD_LABELS": FIELD_LABELS, "SCALE": DEFAULT_SCALE,
            "INLINE_KINDS": INLINE_KINDS, "PRECISIONS": PRECISIONS, "PRECISION_LABELS": PRECISION_LABELS,
            "QUOTE_MAX_LENGTH": QUOTE_MAX_LENGTH}


def static_url(filename: str) -> str:
    """The URL of a file in factlog/static, with a digest of its content: browsers never use a stale copy."""
    return url_for("static", filename=filename, v=_digest(str(Path(current_app.static_folder) / filename)))


@lru_cache(maxsize=64)
def _digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]
    except OSError:
        return "missing"


def field_label(name: str, rows: list[int] | None = None) -> str:
    """"links-3-url" -> "Link 2, address" (when row 3 is shown second); "summary" -> "Summary"."""
    parts = name.split("-", 2)
    if parts[0] in ("links", "evidence") and len(parts) > 1 and parts[1].isdigit():
        row = int(parts[1])
        number = rows.index(row) + 1 if rows and row in rows else row + 1
        what = ROW_LABELS.get(parts[2], parts[2].replace("_", " ")) if len(parts) > 2 else None
        return f"{'Link' if parts[0] == 'links' else 'Evidence'} {number}" + (f", {what}" if what else "")
    return SUMMARY_LABELS.get(name, name.replace("_", " ").replace("-", " ").capitalize())


def words(value: str | None) -> str:
    """"could_not_confirm" -> "could not confirm", "government_body" -> "government body"."""
    return (value or "").replace("_", " ")


def when(value: datetime | str | None) -> str:
    """A recorded time as "27 Nov 2024, 14:05 UTC"."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def verdict_tone(verdict: Mapping[str, Any] | Any | None) -> str:
    """A CSS tone for a verdict badge, from its normalized value: true, mixed, false or unproven."""
    if verdict is None:
        return "none"
    value = verdict.get("normalized_value") if isinstance(verdict, Mapping) else verdict.normalized_value
    if value is None:
        return "unproven"
    return "true" if value >= 0.8 else "false" if value <= 0.2 else "mixed"


def date_display(value: Any) -> str:
    """A precise date (object, stored dict or card dict) as a reader should see it."""
    if value is None:
        return "date unknown"
    if isinstance(value, dates.PreciseDate):
        return value.display()
    if isinstance(value, Mapping) and "display" in value:
        return value["display"]
    return dates.from_value(value).display()
