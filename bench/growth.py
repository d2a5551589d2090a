"""Growth: single-event append p50 (``append_now``, one writer) and timeline-page p50 (50 entries, the
read-model query in-process, topics with a full page) on a 10,000-event log vs a 1,000,000-event one, alternating between them."""
from __future__ import annotations

import random
import time
import uuid

from sqlalchemy.orm import Session

from bench.common import (
    Report,
    Settings,
    clone,
    database_url,
    log,
    percentile,
    projected_template,
    sample_ids,
)
from bench.synthetic import sample_claim_events

# Per repetition and log. With 300 and 200, single repetitions' p50s scattered enough for the ratios to
# straddle the target (append 1.06-1.31x, page 1.12-1.52x over five repetitions at 1,000,000 events).
APPENDS, PAGES = 1000, 1000


def measure(name: str, payloads, topics: list[str], seed: int) -> tuple[float, float]:
    from factlog.database import make_engine
    from factlog.eventstore import NO_STREAM, NewEvent
    from factlog.eventstore.store import append_now
    from factlog.readmodels import queries

    engine = make_engine(database_url(name))
    appends, pages = [], []
    for i in range(APPENDS + 20):
        event = payloads[i % len(payloads)]
        t0 = time.perf_counter()
        append_now(engine, f"claim-{uuid.uuid4()}", [NewEvent(event.type, event.data)], NO_STREAM)
        if i >= 20:
            appends.append(time.perf_counter() - t0)
    rng = random.Random(seed)
    with Session(engine) as session:
        for i in range(PAGES + 20):
            topic = rng.choice(topics)
            t0 = time.perf_counter()
            queries.timeline(session, "topic", topic, limit=50)
            if i >= 20:
                pages.append(time.perf_counter() - t0)
            session.rollback()
    engine.dispose()
    return percentile(appends, 0.5) * 1000, percentile(pages, 0.5) * 1000


def run(report: Report, settings: Settings) -> None:
    payloads = sample_claim_events(500, settings.seed)
    sizes = (settings.small_events, settings.events)
    templates = {size: projected_template(settings, size, report) for size in sizes}
    runs = {size: {"append": [], "page": []} for size in sizes}
    with clone(templates[sizes[0]], "growth_small", settings.keep) as small, \
            clone(templates[sizes[1]], "growth_large", settings.keep) as large:
        names = {sizes[0]: small, sizes[1]: large}
        # Full pages only: on a small log most topics hold fewer than 50 claims, and a short page is no
        # measure of what a page costs (the first runs compared 12-entry pages with 50-entry ones).
        full_pages = ("SELECT key FROM timeline_entries WHERE timeline = 'topic' GROUP BY key "
                      "HAVING count(*) > 50")
        topics = {size: sample_ids(name, full_pages, 100, settings.seed) for size, name in names.items()}
        for rep in range(max(settings.reps, 2)):
            for size in (sizes if rep % 2 == 0 else tuple(reversed(sizes))):
                append_p50, page_p50 = measure(names[size], payloads, topics[size], settings.seed + rep)
                runs[size]["append"].append(append_p50)
                runs[size]["page"].append(page_p50)
                log(f"growth rep={rep} {size:,} events: append p50={append_p50:.2f}ms page p50={page_p50:.2f}ms")
    for size in sizes:
        report.result("growth", f"append_now p50 at {size:,}", {"events": size}, "p50 ms", "ms",
                      runs[size]["append"])
        report.result("growth", f"timeline page p50 at {size:,}", {"events": size}, "p50 ms", "ms",
                      runs[size]["page"])
    small, large = sizes
    report.result("growth", "append p50 large / small", {"events": f"{large}/{small}"}, "ratio", "x",
                  [b / a for a, b in zip(runs[small]["append"], runs[large]["append"])])
    report.result("growth", "page p50 large / small", {"events": f"{large}/{small}"}, "ratio", "x",
                  [b / a for a, b in zip(runs[small]["page"], runs[large]["page"])])
    report.print_table("growth", "growth")
