"""Atom feeds: stable ids, updated times, links to claim pages, markup kept as text."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from factlog.exports.atom import corrections_feed, timeline_feed
from tests.support.export_records import claim_url, record

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse(body: bytes) -> ET.Element:
    return ET.fromstring(body)


def feed_of(*records):
    return timeline_feed("Weapons", records, claim_url, feed_key="topic/weapons",
                         self_url="https://factlog.example/feeds/timeline.atom?kind=topic&key=weapons",
                         page_url="https://factlog.example/timelines/topic/weapons")


def test_a_timeline_feed_has_an_entry_per_claim_newest_change_first():
    older = record(claim_id="22222222-2222-2222-2222-222222222222",
                   updated_at=datetime(2024, 11, 1, tzinfo=UTC))
    root = parse(feed_of(older, record()))
    assert root.find("a:id", NS).text.startswith("urn:uuid:")
    assert root.find("a:updated", NS).text.startswith("2024-12-02T09:30:00")
    entries = root.findall("a:entry", NS)
    assert [e.find("a:id", NS).text for e in entries] == [
        "urn:uuid:11111111-1111-1111-1111-111111111111", "urn:uuid:22222222-2222-2222-2222-222222222222"]
    assert entries[0].find("a:link", NS).get("href") == claim_url(record()["claim_id"])
    assert [c.get("term") for c in entries[0].findall("a:category", NS)] == ["ukraine", "weapons"]
    assert feed_of(older, record()) == feed_of(older, record())  # same claims, same bytes (and ETag)


def test_a_quote_with_a_script_stays_text():
    body = feed_of(record(quote="<script>alert('x')</script>", summary="<img src=x onerror=alert(1)>"))
    assert b"<script>" not in body and b"<img" not in body
    entry = parse(body).find("a:entry", NS)
    assert "<script>alert('x')</script>" in entry.find("a:content", NS).text
    assert entry.find("a:title", NS).text == "<img src=x onerror=alert(1)>"


def test_the_corrections_feed_lists_each_correction_and_the_retraction():
    corrected = record(corrections=[{"field": "said_on", "old_value": {"value": "2024-10"},
                                     "new_value": {"value": "2024-11"}, "old_display": "October 2024",
                                     "new_display": "November 2024", "reason": "misread",
                                     "recorded_at": "2024-12-01T10:00:00+00:00"}],
                       retraction={"reason": "withdrawn", "recorded_at": "2024-12-03T10:00:00+00:00"})
    root = parse(corrections_feed([corrected, record(claim_id="3")], claim_url,
                                  self_url="https://f.example/c.atom", page_url="https://f.example/"))
    entries = root.findall("a:entry", NS)
    assert [e.find("a:title", NS).text.split(":")[0] for e in entries] == ["Retracted", "Corrected (said on)"]
    assert "was October 2024, now November 2024" in entries[1].find("a:content", NS).text
    assert len({e.find("a:id", NS).text for e in entries}) == 2


def test_characters_xml_cannot_hold_are_replaced_not_fatal():
    control = "".join(chr(code) for code in range(0x20) if chr(code) not in "\t\n\r") + "\ufffe\uffff"
    body = feed_of(record(summary=f"Bell{control}rang", quote="a\x0bb", topics=["x\x1by"],
                          speaker={"id": "b", "name": "Nick\x07 Brown", "kind": "person", "role": None,
                                   "as_written": None}))
    entry = parse(body).find("a:entry", NS)
    assert entry.find("a:title", NS).text == "Bell" + "\ufffd" * len(control) + "rang"
    assert "a\ufffdb" in entry.find("a:content", NS).text
    assert entry.find("a:author/a:name", NS).text == "Nick\ufffd Brown"
    assert [c.get("term") for c in entry.findall("a:category", NS)] == ["x\ufffdy"]
    titled = timeline_feed("topic\x01", [], claim_url, feed_key="topic/\x01", self_url="https://f.example/a",
                           page_url="https://f.example/b")
    assert parse(titled).find("a:title", NS).text == "topic\ufffd"


def test_tabs_line_breaks_and_other_unicode_pass_unchanged():
    body = feed_of(record(quote="line\none\ttab\r\x7f\x85 \U0001f600 \u2028"))
    assert "line\none\ttab" in parse(body).find("a:entry/a:content", NS).text
    assert "\x7f\x85 \U0001f600 \u2028" in parse(body).find("a:entry/a:content", NS).text
