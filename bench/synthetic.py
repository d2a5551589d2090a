"""Deterministic synthetic newsroom data with a realistic shape, as real domain events.

~5,000 speakers, ~300 outlets, ~500 topics, each picked with Zipf-distributed popularity; every claim is
recorded with a report whose chain has 1-3 links; ~30% get a second report, ~10% a correction, ~20% a
verdict, ~3% a link to an earlier claim, ~2% are retracted. Follow-ups come later in the log than the
claim they change. The same seed always gives the same events, ids included.

Events are the domain's dataclasses (factlog.claims.events, factlog.sources.events). Turning 1,000,000 of
them into JSON through marshmallow alone would take minutes, so they are encoded by hand in exactly the
shape the domain schemas dump; ``verify`` checks that on a sample against the schemas themselves.
"""
from __future__ import annotations

import bisect
import heapq
import itertools
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from factlog.claims import dates
from factlog.claims import events as claim_events
from factlog.claims.claim import stream_id as claim_stream
from factlog.eventstore import NewEvent
from factlog.sources import events as source_events
from factlog.sources.source import stream_id as source_stream

SPEAKERS, OUTLETS, TOPICS = 5_000, 300, 500
ZIPF_S = 1.1
WORDS = ("minister", "budget", "army", "vaccine", "border", "election", "inflation", "strike", "court",
         "ceasefire", "grain", "refugees", "sanctions", "pipeline", "tariff", "protest", "summit", "drone",
         "reservoir", "pension", "hospital", "school", "police", "harbour", "satellite", "wildfire")
CUES = ("said", "told", "reported", "claimed", "stated", "denied", "estimated", "warned", "found", "confirmed")
RELATIONS = ("citing", "quoting", "told", "republishing")


@dataclass(frozen=True)
class Append:
    """One command's append: events for one stream, the first at version ``first_version``."""

    stream_id: str
    first_version: int
    events: tuple[NewEvent, ...]
    metadata: dict

    @property
    def expected_version(self) -> int:
        return self.first_version - 1


def _zipf_cum_weights(n: int, s: float = ZIPF_S) -> list[float]:
    return list(itertools.accumulate(1.0 / (k ** s) for k in range(1, n + 1)))


def _day(day: date) -> dict:
    return {"precision": "day", "value": day.isoformat()}


class Generator:
    def __init__(self, seed: int = 8, speakers: int = SPEAKERS, outlets: int = OUTLETS, topics: int = TOPICS):
        self.rng = random.Random(seed)
        self.speakers = [self._uuid() for _ in range(speakers)]
        self.outlets = [self._uuid() for _ in range(outlets)]
        self.topics = [f"{self.rng.choice(WORDS)}-{i}" for i in range(topics)]
        self._speaker_w = _zipf_cum_weights(speakers)
        self._outlet_w = _zipf_cum_weights(outlets)
        self._topic_w = _zipf_cum_weights(topics)
        self.claims: list[uuid.UUID] = []
        self._versions: dict[uuid.UUID, int] = {}
        self._later: list[tuple[int, int, Any]] = []  # (due step, tie, follow-up)
        self._tie = itertools.count()
        self._step = 0
        self._day0 = date(2020, 1, 1)
        self._phrases: dict[int, list[str]] = {}

    def partition(self, number: int) -> Generator:
        """This generator's claims from an independent, deterministic random stream ``number`` (sources shared):
        lets several processes load claims side by side."""
        self.rng = random.Random(f"factlog-bench-{number}-{self.rng.random()}")
        self._phrases = {}
        return self

    def claim_events(self, total: int) -> Iterator[Append]:
        """Claim appends only (no sources) until at least ``total`` events."""
        appends, count = self.appends(), 0
        for _ in range(len(self.speakers) + len(self.outlets)):
            next(appends)
        for append in appends:
            yield append
            count += len(append.events)
            if count >= total:
                return

    # -- ids and picks ---------------------------------------------------------------------------
    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _zipf(self, population: Sequence, cum_weights: list[float]) -> Any:
        return population[bisect.bisect(cum_weights, self.rng.random() * cum_weights[-1])]

    def _speaker(self) -> uuid.UUID:
        return self._zipf(self.speakers, self._speaker_w)

    def _outlet(self) -> uuid.UUID:
        return self._zipf(self.outlets, self._outlet_w)

    def _words(self, n: int) -> str:
        phrases = self._phrases.get(n)
        if phrases is None:  # a pool of phrases per length, picked from: much cheaper than word by word
            phrases = self._phrases[n] = [" ".join(self.rng.choices(WORDS, k=n)) for _ in range(4096)]
        return phrases[self.rng.getrandbits(12)]

    def _new_event(self, event_type: str, data: dict) -> NewEvent:
        return NewEvent(event_type, data, self._uuid())

    # -- sources ---------------------------------------------------------------------------------
    def sources(self) -> Iterator[Append]:
        """Every speaker and outlet, registered: one append per source."""
        for number, source_id in enumerate(self.speakers):
            kind = "person" if number % 5 else "organization"
            yield self._source(source_id, kind, f"Speaker {number} {self._words(1).title()}")
        for number, source_id in enumerate(self.outlets):
            yield self._source(source_id, "outlet", f"Outlet {number} {self._words(1).title()} Times")

    def _source(self, source_id: uuid.UUID, kind: str, name: str) -> Append:
        data = {"source_id": str(source_id), "kind": kind, "name": name, "description": None, "aliases": [],
                "affiliation_id": None, "member_ids": [], "url": None}
        return Append(source_stream(source_id), 1, (self._new_event("SourceRegistered", data),),
                      {"actor": "bench", "command": "RegisterSource"})

    # -- claims ----------------------------------------------------------------------------------
    def appends(self) -> Iterator[Append]:
        """The sources, then an endless, deterministic stream of claim commands' appends."""
        yield from self.sources()
        while True:
            self._step += 1
            while self._later and self._later[0][0] <= self._step:
                _, _, follow_up = heapq.heappop(self._later)
                yield follow_up()
            yield self._record_claim()

    def events(self, total: int) -> Iterator[Append]:
        """Appends until at least ``total`` events in all."""
        count = 0
        for append in self.appends():
            yield append
            count += len(append.events)
            if count >= total:
                return

    def _claim_append(self, claim_id: uuid.UUID, new: Sequence[NewEvent], command: str) -> Append:
        first = self._versions.get(claim_id, 0) + 1
        self._versions[claim_id] = first + len(new) - 1
        return Append(claim_stream(claim_id), first, tuple(new), {"actor": "bench", "command": command})

    def _chain(self, speaker_id: uuid.UUID, day: date) -> list[dict]:
        roll = self.rng.random()
        length = 1 if roll < 0.5 else 2 if roll < 0.85 else 3
        ids: list[uuid.UUID] = []
        while len(ids) < length - 1 or not ids:
            outlet = self._outlet()
            if outlet not in ids:
                ids.append(outlet)
        if length > 1 and len(ids) < length:
            ids.append(speaker_id if self.rng.random() < 0.5 else next(
                o for o in iter(self._outlet, None) if o not in ids))
        links = []
        for number, source_id in enumerate(ids, start=1):
            own = source_id == speaker_id
            links.append({
                "source_id": str(source_id), "relation": None if own else self.rng.choice(RELATIONS),
                "url": f"https://news.example/{source_id.hex[:8]}/{self.rng.getrandbits(40):x}",
                "headline": self._words(6).capitalize() if number == 1 else None,
                "published_on": _day(day + timedelta(days=number - 1)), "as_written": None})
        return links

    def _record_claim(self) -> Append:
        rng = self.rng
        claim_id, speaker_id = self._uuid(), self._speaker()
        day = self._day0 + timedelta(days=rng.randrange(1800))
        topics = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            topic = self._zipf(self.topics, self._topic_w)
            if topic not in topics:
                topics.append(topic)
        recorded = {
            "claim_id": str(claim_id), "summary": self._words(12).capitalize() + ".",
            "speaker_id": str(speaker_id), "cue": rng.choice(CUES), "said_on": _day(day),
            "happened_on": _day(day - timedelta(days=rng.randrange(3))),
            "quote": ("“" + self._words(18) + "”") if rng.random() < 0.6 else None, "quote_source_id": None,
            "speaker_role": rng.choice(("Minister", "Spokesperson", "Analyst", None)),
            "speaker_as_written": None, "topics": topics, "note": None,
        }
        reported = {"claim_id": str(claim_id), "report_id": str(self._uuid()),
                    "links": self._chain(speaker_id, day)}
        append = self._claim_append(claim_id, [self._new_event("ClaimRecorded", recorded),
                                               self._new_event("ClaimReported", reported)], "RecordClaim")
        self.claims.append(claim_id)
        self._schedule(claim_id, speaker_id, day, recorded)
        return append

    def _schedule(self, claim_id, speaker_id, day, recorded) -> None:
        rng, delay = self.rng, 0
        follow_ups = []
        if rng.random() < 0.30:
            follow_ups.append(lambda: self._claim_append(claim_id, [self._new_event("ClaimReported", {
                "claim_id": str(claim_id), "report_id": str(self._uuid()),
                "links": self._chain(speaker_id, day + timedelta(days=1))})], "AddReport"))
        if rng.random() < 0.10:
            new_summary = self._words(10).capitalize() + "."
            follow_ups.append(lambda: self._claim_append(claim_id, [self._new_event("ClaimCorrected", {
                "claim_id": str(claim_id), "field": "summary", "old_value": recorded["summary"],
                "new_value": new_summary, "reason": "misquoted in the first version"})], "CorrectClaim"))
        if rng.random() < 0.20:
            rating = rng.choice((("true", "True", 1.0), ("mostly-false", "Mostly false", 0.2),
                                 ("false", "False", 0.0), ("unproven", "Unproven", None)))
            follow_ups.append(lambda: self._claim_append(claim_id, [self._new_event("VerdictGiven", {
                "claim_id": str(claim_id), "verdict_id": str(self._uuid()), "scale": "factlog",
                "rating": rating[0], "rating_label": rating[1], "normalized_value": rating[2],
                "explanation": self._words(25).capitalize() + ".",
                "evidence": [{"url": "https://evidence.example/" + self._words(1), "title": None}],
                "checker_id": None, "supersedes_verdict_id": None})], "GiveVerdict"))
        if rng.random() < 0.03 and len(self.claims) > 10:
            target = self.claims[rng.randrange(len(self.claims) - 1)]
            follow_ups.append(lambda: self._claim_append(claim_id, [self._new_event("ClaimsLinked", {
                "claim_id": str(claim_id), "relation": rng.choice(("denies", "supports", "contradicts")),
                "target_claim_id": str(target), "note": None})], "LinkClaims"))
        if rng.random() < 0.02:
            follow_ups.append(lambda: self._claim_append(claim_id, [self._new_event("ClaimRetracted", {
                "claim_id": str(claim_id), "reason": "the outlet withdrew the story"})], "RetractClaim"))
        for follow_up in follow_ups:
            delay += rng.randrange(1, 300)
            heapq.heappush(self._later, (self._step + delay, next(self._tie), follow_up))


_SCHEMAS = {**{name: schema for name, schema in claim_events.catalog._schemas.items()},
            **{name: schema for name, schema in source_events.catalog._schemas.items()}}


def verify(appends: Sequence[Append]) -> int:
    """Check that hand-encoded events are exactly what the domain schemas load and dump; return how many."""
    checked = 0
    for append in appends:
        for event in append.events:
            schema = _SCHEMAS[event.type]()
            domain_event = schema.load(event.data)  # a real domain dataclass: refused if the shape is wrong
            dumped = schema.dump(domain_event)
            if dumped != event.data:
                raise AssertionError(f"{event.type}: hand-encoded {event.data} != schema dump {dumped}")
            checked += 1
    return checked


def sample_claim_events(count: int, seed: int = 8) -> list[NewEvent]:
    """``count`` ClaimRecorded events (about 650 bytes of JSON each), for append benchmarks."""
    generator = Generator(seed)
    return [generator._record_claim().events[0] for _ in range(count)]


def _unused(value: Any) -> None:  # keep linters quiet about imports used only for the schema check
    return None


_unused(dates)


def load(url: str, total: int, seed: int = 8, batch_events: int = 10_000, verify_sample: int = 2_000,
         partitions: int = 2) -> dict:
    """Load about ``total`` synthetic events into the database at ``url`` through the store's batch path.

    Sources first, then claims from ``partitions`` processes side by side (each a deterministic stream of
    its own, over the same sources), in transactions of about ``batch_events`` events. The first
    ``verify_sample`` events of each process are checked against the domain schemas; all go in through
    ``append_batch(validate=False)``.
    """
    import multiprocessing
    import sys
    import time

    from factlog.progress import Progress

    start = time.perf_counter()
    sources = _load_part(url, seed, None, 0, batch_events, verify_sample)
    share = max(0, total - sources["events"]) // partitions
    context = multiprocessing.get_context("fork")
    progress = Progress(f"load {total:,} synthetic events", total, sys.stderr)
    progress.update(sources["events"])
    with context.Pool(partitions) as pool:
        pending = pool.starmap_async(_load_part, [(url, seed, k, share, batch_events, verify_sample)
                                                  for k in range(partitions)])
        while not pending.ready():  # the committed events so far, counted once a second
            pending.wait(1.0)
            progress.update(max(0, _count_events(url) - progress.done))
        parts = pending.get()
    progress.finish()
    seconds = time.perf_counter() - start
    loaded = sources["events"] + sum(p["events"] for p in parts)
    return {"events": loaded, "seconds": seconds, "events_per_s": loaded / seconds,
            "claims": sum(p["claims"] for p in parts), "partitions": partitions}


def _count_events(url: str) -> int:
    import sqlalchemy as sa

    from factlog.config import normalize_database_url

    engine = sa.create_engine(normalize_database_url(url), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
    engine.dispose()
    return count


def _load_part(url: str, seed: int, partition: int | None, total: int, batch_events: int,
               verify_sample: int) -> dict:
    from factlog.database import Database, make_engine
    from factlog.eventstore.store import append_batch

    database = Database(make_engine(url))
    generator = Generator(seed)
    appends = generator.sources() if partition is None else generator.partition(partition).claim_events(total)
    pending: list[Append] = []
    loaded = size = checked = 0

    def flush() -> None:
        nonlocal loaded, size
        with database.session() as session:
            append_batch(session, [(a.stream_id, a.expected_version, a.events, a.metadata) for a in pending],
                         validate=False)
            session.commit()
        loaded += size
        pending.clear()
        size = 0

    for append in appends:
        if checked < verify_sample:
            checked += verify([append])
        pending.append(append)
        size += len(append.events)
        if size >= batch_events:
            flush()
    if pending:
        flush()
    database.dispose()
    return {"events": loaded, "claims": len(generator.claims)}
