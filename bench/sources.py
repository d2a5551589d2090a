"""Likely-duplicate checks against a large index of sources: building its name table, and one check.

A registration (API, form, import row) checks its name against every active source of its kind: the same
name, initials, a close spelling (factlog.sources.names). No database: the index is built in memory from
synthetic names (people, and outlets and bodies of several words, some with an alias of their initials).
"""
from __future__ import annotations

import random
import time
import uuid

from bench.common import Report, Settings, log
from factlog.sources.duplicates import find_likely_duplicates
from factlog.sources.index import SourceIndex
from factlog.sources.source import Source

SYLLABLES = ("an", "bel", "cor", "dan", "el", "fer", "gra", "hol", "is", "jor", "ka", "lin", "mor", "nes",
             "or", "pet", "quin", "ros", "sal", "tor", "ul", "ver", "wil", "yan", "zel")
WORDS = ("Daily", "Morning", "Post", "Times", "Herald", "News", "Radio", "Institute", "Council", "Agency",
         "National", "Ministry", "Studies", "Press", "Review", "Journal", "Foundation", "Office")


def run(report: Report, settings: Settings) -> None:
    size = 5_000 if settings.quick else 50_000
    rng = random.Random(settings.seed)
    index = SourceIndex({source.source_id: source for source in _sources(rng, size)})
    typed = [_person(rng) for _ in range(50)] + ["NYT", "Nick  Brown", "Jeffrey Lewis", "WSJ"]
    builds, checks = [], []
    for _ in range(settings.reps):
        index.add(next(iter(_sources(rng, 1))))  # a new source: the tables are built again
        started = time.perf_counter()
        index.name_table("person"), index.name_table("outlet")
        builds.append(time.perf_counter() - started)
        started = time.perf_counter()
        for name in typed:
            find_likely_duplicates(index, "person", [name])
            find_likely_duplicates(index, "outlet", [name])
        checks.append((time.perf_counter() - started) / (2 * len(typed)))
    log(f"sources: {size} sources, tables built in {min(builds):.2f} s, a check takes "
        f"{min(checks) * 1000:.2f} ms")
    params = {"sources": size}
    report.result("sources", "name tables (person, outlet)", params, "build s", "s", builds)
    report.result("sources", "likely-duplicate check of one name", params, "ms", "ms",
                  [check * 1000 for check in checks])
    report.print_table("sources", "sources")


def _person(rng: random.Random) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title() for _ in range(2))


def _sources(rng: random.Random, count: int):
    for number in range(count):
        if number % 2:
            name, kind, aliases = _person(rng), "person", ()
        else:
            words = [rng.choice(SYLLABLES).title() + rng.choice(SYLLABLES)] + rng.sample(WORDS, rng.randint(1, 3))
            name, kind = " ".join(words), "outlet"
            aliases = ("".join(word[0] for word in words),) if number % 6 == 0 else ()
        yield Source(uuid.uuid4(), kind, name, None, aliases, None, (), None, version=1)
