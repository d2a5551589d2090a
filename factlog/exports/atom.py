"""Atom feeds (RFC 4287, written by feedgen): a timeline's newest claims, and corrections and retractions.

Ids are ``urn:uuid:``: a claim's entry is its claim id, a correction's or retraction's a name-based UUID of
the claim and the change, a feed's one of its kind and key, so they never change between requests. Text
goes through feedgen (lxml), which escapes markup: a quote with ``<script>`` stays text. XML 1.0 cannot
hold most C0 control characters, U+FFFE or U+FFFF (lxml refuses them, and a feed reader would stop at
them): every string is written with those replaced by U+FFFD, whatever the log or the query holds.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from feedgen.feed import FeedGenerator

MEDIA_TYPE = "application/atom+xml"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://factlog.invalid/feeds")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What XML 1.0's Char production excludes (surrogates never reach here: no database stores them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_text(value: str) -> str:
    """``value`` with each character XML 1.0 cannot hold replaced by U+FFFD."""
    return NOT_XML.sub(REPLACEMENT, value)


def urn(*names: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(names))}"


def _utc(moment: datetime | str | None) -> datetime:
    if moment is None:
        return EPOCH
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def claim_entry(record: Mapping[str, Any], claim_url: str) -> dict[str, Any]:
    """A claim as a feed entry: who said what, when, through whom; updated at its latest change."""
    speaker = record["speaker"]
    who = speaker["name"] + (f", {speaker['role']}" if speaker.get("role") else "")
    lines = [f"{who} ({(record.get('cue') or 'said').replace('_', ' ')}, {record['said_on']['display']})"]
    if record.get("quote"):
        lines.append(f"“{record['quote']}”")
    if record.get("chain_text"):
        lines.append(f"Reached us through: {record['chain_text']}")
    if record.get("verdict"):
        lines.append(f"Verdict: {record['verdict']['rating_label']}")
    if record.get("status") and record["status"] != "active":
        lines.append(f"Status: {record['status']}")
    return {"id": f"urn:uuid:{record['claim_id']}", "title": record["summary"], "link": claim_url,
            "updated": _utc(record.get("updated_at")), "published": _utc(record.get("recorded_at")),
            "author": speaker["name"], "content": "\n".join(lines), "categories": record.get("topics") or []}


def change_entries(record: Mapping[str, Any], claim_url: str) -> list[dict[str, Any]]:
    """One entry per correction and one for the retraction of a claim."""
    found = []
    for number, correction in enumerate(record.get("corrections") or (), start=1):
        field = correction["field"].replace("_", " ")
        old = correction.get("old_display") or correction.get("old_value")
        new = correction.get("new_display") or correction.get("new_value")
        found.append({"id": urn("claim", record["claim_id"], "correction", str(number)),
                      "title": f"Corrected ({field}): {record['summary']}", "link": claim_url,
                      "updated": _utc(correction.get("recorded_at")),
                      "published": _utc(correction.get("recorded_at")),
                      "author": record["speaker"]["name"], "categories": ["correction"],
                      "content": f"{field}: was {_text(old)}, now {_text(new)}.\n"
                                 f"Reason: {correction['reason']}"})
    retraction = record.get("retraction")
    if retraction:
        found.append({"id": urn("claim", record["claim_id"], "retraction"),
                      "title": f"Retracted: {record['summary']}", "link": claim_url,
                      "updated": _utc(retraction.get("recorded_at")),
                      "published": _utc(retraction.get("recorded_at")),
                      "author": record["speaker"]["name"], "categories": ["retraction"],
                      "content": f"Reason: {retraction['reason']}"})
    return found


def _text(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return str(value.get("value"))
    return str(value)


def feed(feed_id: str, title: str, self_url: str, page_url: str, entries: Iterable[Mapping[str, Any]],
         *, subtitle: str | None = None, author: str = "factlog") -> bytes:
    """The Atom document (UTF-8), newest entry first; ``updated`` is the newest entry's, so an unchanged
    feed is byte for byte the same (and keeps its ETag)."""
    entries = sorted(entries, key=lambda entry: (entry["updated"], entry["id"]), reverse=True)
    generator = FeedGenerator()
    generator.id(xml_text(feed_id))
    generator.title(xml_text(title))
    generator.author({"name": xml_text(author)})
    generator.link(href=xml_text(self_url), rel="self", type=MEDIA_TYPE)
    generator.link(href=xml_text(page_url), rel="alternate", type="text/html")
    generator.updated(entries[0]["updated"] if entries else EPOCH)
    if subtitle:
        generator.subtitle(xml_text(subtitle))
    for entry in reversed(entries):  # feedgen puts each new entry first
        item = generator.add_entry()
        item.id(xml_text(entry["id"]))
        item.title(xml_text(entry["title"]))
        item.link(href=xml_text(entry["link"]), rel="alternate", type="text/html")
        item.updated(entry["updated"])
        item.published(entry["published"])
        item.author({"name": xml_text(entry["author"])})
        item.content(xml_text(entry["content"]), type="text")
        for category in entry.get("categories") or ():
            item.category(term=xml_text(category))
    return generator.atom_str(pretty=True)


def timeline_feed(title: str, records: Iterable[Mapping[str, Any]], claim_url: Callable[[str], str], *,
                  feed_key: str, self_url: str, page_url: str, author: str = "factlog") -> bytes:
    """A timeline's feed: one entry per claim."""
    return feed(urn("timeline", feed_key), title, self_url, page_url,
                [claim_entry(record, claim_url(record["claim_id"])) for record in records], author=author)


def corrections_feed(records: Iterable[Mapping[str, Any]], claim_url: Callable[[str], str], *, self_url: str,
                     page_url: str, author: str = "factlog", limit: int = 50) -> bytes:
    """Every correction and retraction of these claims, newest first, at most ``limit``."""
    entries = [entry for record in records for entry in change_entries(record, claim_url(record["claim_id"]))]
    entries = sorted(entries, key=lambda entry: (entry["updated"], entry["id"]), reverse=True)[:limit]
    return feed(urn("corrections"), "Corrections and retractions", self_url, page_url, entries, author=author,
                subtitle="Every correction and retraction recorded in factlog, newest first.")
