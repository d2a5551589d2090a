"""What a subscription is told: which events reach it (its filters) and the JSON each delivery carries.

Every event of a claim is matched against the timelines the claim is on: its topics, its speaker and the
outlets that carried it, known from the claim's own stream as of the command that appended the event (a
claim is recorded with its first report), not from a read model that may lag. A correction counts the
timelines the claim was on before it as well as after, so subscribers to a topic hear that the claim left
it. Retraction propagation: ``claim.corrected`` and ``claim.retracted``
reach every subscription on one of the claim's timelines that takes any claim notice, whatever notice types
it chose, because anything it was told about the claim may no longer hold.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.claims.claim import Claim, fold
from factlog.claims.events import CLAIM_EVENT_TYPES
from factlog.claims.events import catalog as claim_catalog
from factlog.eventstore import RecordedEvent
from factlog.sources.events import SOURCE_EVENT_TYPES

PROPAGATED = ("claim.corrected", "claim.retracted")


def notice_type(event_type: str) -> str:
    """``ClaimRetracted`` -> ``claim.retracted``, ``SourceAliasAdded`` -> ``source.alias_added``."""
    words = [word.lower() for word in re.findall(r"[A-Z][a-z0-9]*", event_type)]
    return f"{words[0]}.{'_'.join(words[1:])}" if len(words) > 1 else event_type.lower()


NOTICE_TYPES = tuple(sorted(notice_type(name) for name in (*CLAIM_EVENT_TYPES, *SOURCE_EVENT_TYPES)))
CLAIM_NOTICE_TYPES = tuple(notice_type(name) for name in CLAIM_EVENT_TYPES)


@dataclass(frozen=True)
class Filters:
    """A subscription's filters; an empty one lets everything through."""

    event_types: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    speakers: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()

    @classmethod
    def of(cls, row: Any) -> Filters:
        return cls(frozenset(row.event_types), frozenset(row.topics), frozenset(row.speakers),
                   frozenset(row.outlets))

    @property
    def by_timeline(self) -> bool:
        return bool(self.topics or self.speakers or self.outlets)


@dataclass(frozen=True)
class ClaimPlaces:
    """The timelines a claim is on (for a correction: before or after it) and its status afterwards."""

    claim_id: str
    topics: tuple[str, ...]
    speakers: tuple[str, ...]
    outlets: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Notice:
    event: RecordedEvent
    type: str
    claim: ClaimPlaces | None = None
    source_id: str | None = None


def places(before: Claim | None, after: Claim) -> ClaimPlaces:
    states = [state for state in (before, after) if state is not None]
    topics = dict.fromkeys(topic for state in states for topic in state.topics)
    speakers = dict.fromkeys(str(state.speaker_id) for state in states)
    outlets = dict.fromkeys(str(source_id) for state in states for report in state.reports
                            for source_id in state.chain(report) if source_id != state.speaker_id)
    status = "retracted" if after.retracted else "corrected" if after.corrections else "active"
    return ClaimPlaces(str(after.claim_id), tuple(topics), tuple(speakers), tuple(outlets), status)


def matches(filters: Filters, notice: Notice) -> bool:
    """Whether a subscription with these filters is sent this notice."""
    takes_claims = not filters.event_types or bool(filters.event_types & set(CLAIM_NOTICE_TYPES))
    chosen = not filters.event_types or notice.type in filters.event_types
    if not chosen and not (notice.type in PROPAGATED and takes_claims):
        return False
    if not filters.by_timeline:
        return True
    if notice.claim is not None:
        return bool(filters.topics & set(notice.claim.topics) or filters.speakers & set(notice.claim.speakers)
                    or filters.outlets & set(notice.claim.outlets))
    return notice.source_id is not None and notice.source_id in filters.speakers | filters.outlets


class NoticeReader:
    """Turns events read from the log into notices, reading each claim's stream once per reader."""

    def __init__(self, session: Session):
        self.session = session
        self._streams: dict[str, list[RecordedEvent]] = {}

    def notices(self, events: Iterable[RecordedEvent]) -> list[Notice]:
        return [self.notice(event) for event in events]

    def notice(self, event: RecordedEvent) -> Notice:
        kind = notice_type(event.type)
        if event.type in CLAIM_EVENT_TYPES:
            stream = self._stream(event.stream_id)
            at = next(index for index, record in enumerate(stream) if record.position == event.position)
            end = at + 1
            # The events the same command appended belong with it: a claim is recorded with its first report.
            while end < len(stream) and stream[end].metadata == event.metadata:
                end += 1
            before = fold(claim_catalog.from_records(stream[:at]))
            after = fold(claim_catalog.from_records(stream[:end]))
            corrected = event.type == "ClaimCorrected"
            return Notice(event, kind, claim=places(before if corrected else None, after))
        if event.stream_id.startswith("source-"):
            return Notice(event, kind, source_id=event.stream_id.removeprefix("source-"))
        return Notice(event, kind)

    def _stream(self, stream_id: str) -> list[RecordedEvent]:
        if stream_id not in self._streams:
            self._streams[stream_id] = eventstore.read_stream(self.session, stream_id)
        return self._streams[stream_id]


def payload(notice: Notice, subscription_id: int) -> str:
    """The body every attempt of this notice's delivery sends (compact JSON, keys in a stable order)."""
    event = notice.event
    body: dict[str, Any] = {
        "id": str(event.event_id), "type": notice.type, "event_type": event.type, "position": event.position,
        "stream": event.stream_id, "version": event.stream_version,
        "recorded_at": event.recorded_at.isoformat(),
        "subscription_id": subscription_id, "data": event.data,
    }
    if notice.claim is not None:
        claim = notice.claim
        body["claim"] = {"id": claim.claim_id, "status": claim.status, "topics": list(claim.topics),
                         "speaker_ids": list(claim.speakers), "outlet_ids": list(claim.outlets)}
    return orjson.dumps(body, default=_jsonable).decode()


def _jsonable(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot put {type(value).__name__} into a webhook payload")
