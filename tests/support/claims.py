"""Builders for claims-domain tests: sources and commands with sensible defaults, overridable per test."""
from __future__ import annotations

import uuid
from typing import Any

from factlog.claims import dates
from factlog.claims.claim import Claim, fold
from factlog.claims.commands import RecordClaim
from factlog.claims.decide import record
from factlog.claims.events import Link, Report
from factlog.sources.source import Source


def source(name: str | None, kind: str = "person", **fields: Any) -> Source:
    defaults = dict(source_id=uuid.uuid4(), kind=kind, name=name, description=None, aliases=(),
                    affiliation_id=None, member_ids=(), url=None, version=1)
    return Source(**{**defaults, **fields})


def by_id(*sources: Source) -> dict[uuid.UUID, Source]:
    return {s.source_id: s for s in sources}


def record_claim(speaker: Source, *relays: Source, **fields: Any) -> RecordClaim:
    """A command recording a claim by ``speaker`` reached through ``relays`` (the publication first)."""
    links = tuple(Link(relay.source_id, relation="citing") for relay in relays)
    defaults = dict(claim_id=uuid.uuid4(), summary="A neutral summary.", speaker_id=speaker.source_id,
                    cue="said", report=Report(uuid.uuid4(), links), said_on=dates.unknown(),
                    happened_on=dates.unknown())
    return RecordClaim(**{**defaults, **fields})


def recorded(command: RecordClaim, sources: dict) -> Claim:
    """The claim state right after ``command``."""
    return fold(record(command, None, sources))
