"""Timelines: claims in date order, filtered by a window without pretending to know more than we do.

A claim dated "October 2024" lies certainly within October, possibly within 1-15 October, and sorts by
its earliest and latest possible day, so it never masquerades as 1 October.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from factlog.claims.claim import Claim
from factlog.claims.dates import PreciseDate

DATE_FIELDS = ("said_on", "happened_on")


@dataclass(frozen=True)
class TimelineEntry:
    claim: Claim
    date: PreciseDate
    certain: bool  # False when the date only may fall in the window


def timeline(claims: Iterable[Claim], *, by: str = "said_on", start: date | None = None,
             end: date | None = None, speaker_ids: Collection[UUID] | None = None,
             include_retracted: bool = False, include_unknown: bool = False) -> list[TimelineEntry]:
    """Claims sorted by a date field; with a window, those that may fall in it, each marked certain or not."""
    if by not in DATE_FIELDS:
        raise ValueError(f"timelines sort by one of {DATE_FIELDS}, not {by!r}")
    entries = []
    for claim in claims:
        if (claim.retracted and not include_retracted) or (speaker_ids is not None
                                                            and claim.speaker_id not in speaker_ids):
            continue
        when: PreciseDate = getattr(claim, by)
        if not when.known:
            if include_unknown:
                entries.append(TimelineEntry(claim, when, certain=False))
            continue
        windowed = start is not None or end is not None
        fits = when.falls_within(start or date.min, end or date.max) if windowed else True
        if fits is not False:
            entries.append(TimelineEntry(claim, when, certain=fits is True))
    return sorted(entries, key=lambda entry: entry.date.sort_key())
