"""Timelines sort and filter on dates honestly: a month is a month, not its first day."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from factlog.claims import dates
from factlog.claims.timeline import timeline
from tests.support.claims import by_id, record_claim, recorded, source

QIOSK, ZELENSKYY, MILLER = source("QiOSK", "outlet"), source("Volodymyr Zelenskyy"), source("Matthew Miller")
SOURCES = by_id(QIOSK, ZELENSKYY, MILLER)


def claim(speaker, said_on):
    return recorded(record_claim(speaker, QIOSK, said_on=dates.from_value(said_on)), SOURCES)


OCTOBER = claim(ZELENSKYY, {"value": "2024-10", "as_written": "in October"})
NOV_25 = claim(MILLER, "2024-11-25")
OCT_1 = claim(MILLER, "2024-10-01")
SOMETIME = claim(MILLER, "unknown")


def test_claims_sort_by_the_earliest_then_latest_day_they_can_be():
    entries = timeline([NOV_25, OCTOBER, OCT_1])
    assert [e.claim for e in entries] == [OCT_1, OCTOBER, NOV_25]
    assert [e.date.display() for e in entries] == ["1 October 2024", "October 2024", "25 November 2024"]


def test_a_window_lists_what_certainly_and_what_possibly_falls_in_it():
    entries = timeline([OCTOBER, OCT_1, NOV_25], start=date(2024, 10, 10), end=date(2024, 11, 30))
    assert [(e.claim, e.certain) for e in entries] == [(OCTOBER, False), (NOV_25, True)]
    whole_month = timeline([OCTOBER], start=date(2024, 10, 1), end=date(2024, 10, 31))
    assert whole_month[0].certain


def test_unknown_dates_are_left_out_unless_asked_for_and_then_come_last_and_uncertain():
    assert SOMETIME not in [e.claim for e in timeline([SOMETIME, NOV_25])]
    entries = timeline([SOMETIME, NOV_25], include_unknown=True)
    assert [(e.claim, e.certain) for e in entries] == [(NOV_25, True), (SOMETIME, False)]


def test_a_timeline_filters_by_speaker_and_leaves_retracted_claims_out():
    retracted = replace(NOV_25, retraction=object())
    assert [e.claim for e in timeline([OCTOBER, OCT_1], speaker_ids={ZELENSKYY.source_id})] == [OCTOBER]
    assert timeline([retracted]) == [] and len(timeline([retracted], include_retracted=True)) == 1
