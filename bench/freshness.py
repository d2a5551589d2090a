"""Freshness: a steady stream of claims through the HTTP API (gunicorn, Redis, a Celery worker, PostgreSQL)
and how long each takes from its commit (the 201 answer) to being visible in the timeline API.

Each claim gets its own day (said_on) under one topic; a poller reads that topic's timeline from the
oldest pending day on, page after page up to the newest pending claim, and marks every pending claim it
finds as seen (a claim slow to show does not hide the ones after it).
"""
from __future__ import annotations

import threading
import time
import uuid
from datetime import date, timedelta

import requests

from bench.common import (
    Report,
    Settings,
    api_token,
    app_environment,
    celery_worker,
    clone,
    gunicorn,
    log,
    percentile,
    projected_template,
)
from bench.synthetic import Generator

RATE = 100  # claims per second
SENDERS = 8
POLL_PAGES = 10  # pages of 200 a poll reads at most: 20 s of claims at the rate


def run(report: Report, settings: Settings) -> None:
    template = projected_template(settings, settings.events, report)
    seconds = 6 if settings.quick else 60
    generator = Generator(settings.seed)
    topic = f"fresh-{uuid.uuid4().hex[:8]}"
    # A day of its own per probe, all in the past (dates in the future are refused); the probes' own topic
    # keeps them apart from the synthetic claims.
    day0 = date(1990, 1, 1)
    with clone(template, "fresh", settings.keep) as name:
        token = api_token(name, "admin", "write")
        env = app_environment(name)
        with celery_worker(env), gunicorn(name, workers=2, threads=4, env=env) as base:
            outcome = drive_probes(base, token, generator, topic, day0, seconds)
    params = {"events": settings.events, "claims_per_s": RATE, "seconds": seconds}
    log(f"freshness: sent {outcome['sent']} at {outcome['rate']:.0f}/s, seen {outcome['seen']}, "
        f"p50={outcome['p50_ms']:.0f}ms p99={outcome['p99_ms']:.0f}ms, write p50={outcome['write_p50_ms']:.0f}ms")
    report.result("freshness", "commit -> visible in timeline", params, "p50 ms", "ms", [outcome["p50_ms"]],
                  sent=outcome["sent"], seen=outcome["seen"], achieved_rate=round(outcome["rate"], 1))
    report.result("freshness", "commit -> visible in timeline", params, "p99 ms", "ms", [outcome["p99_ms"]])
    report.result("freshness", "POST /api/v1/claims", params, "p50 ms", "ms", [outcome["write_p50_ms"]])
    report.result("freshness", "POST /api/v1/claims", params, "p99 ms", "ms", [outcome["write_p99_ms"]])
    report.print_table("freshness", "freshness")


def drive_probes(base: str, token: str, generator: Generator, topic: str, day0: date,
                 seconds: float) -> dict:
    """Send RATE claims a second for ``seconds`` and time each from its 201 to its showing in the timeline."""
    headers = {"Authorization": f"Bearer {token}"}
    committed: dict[int, float] = {}  # claim number -> time its 201 arrived
    seen: dict[int, float] = {}
    writes: list[float] = []
    lock = threading.Lock()
    total = int(RATE * seconds)
    start = time.perf_counter() + 0.5
    stop = threading.Event()

    def sender(offset: int) -> None:
        with requests.Session() as http:
            http.headers.update(headers)
            for number in range(offset, total, SENDERS):
                due = start + number / RATE
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                speaker = generator.speakers[number % len(generator.speakers)]
                outlet = generator.outlets[number % len(generator.outlets)]
                said = (day0 + timedelta(days=number)).isoformat()
                body = {"summary": f"Freshness probe {number}", "speaker_id": str(speaker), "cue": "said",
                        "said_on": said, "topics": [topic],
                        "report": {"links": [{"source_id": str(outlet), "relation": "quoting",
                                              "published_on": said}]}}
                t0 = time.perf_counter()
                response = http.post(f"{base}/api/v1/claims", json=body)
                t1 = time.perf_counter()
                if response.status_code != 201:
                    log(f"freshness: POST answered {response.status_code}: {response.text[:300]}")
                    continue
                with lock:
                    committed[number] = t1
                    writes.append(t1 - t0)

    def poller() -> None:
        with requests.Session() as http:
            http.headers.update(headers)
            while not stop.is_set():
                with lock:
                    pending = sorted(set(committed) - set(seen))
                if not pending:
                    time.sleep(0.005)
                    continue
                # From the oldest pending day on, page after page up to the newest pending claim: one claim
                # slow to show must not hide the claims after it that already show.
                params = {"start": (day0 + timedelta(days=pending[0])).isoformat(), "limit": 200}
                for _ in range(POLL_PAGES):
                    response = http.get(f"{base}/api/v1/timelines/topic/{topic}", params=params)
                    now = time.perf_counter()
                    if response.status_code != 200:
                        time.sleep(0.01)
                        break
                    page = response.json()
                    numbers = [int(entry["summary"].rsplit(" ", 1)[1]) for entry in page["entries"]]
                    with lock:
                        for number in numbers:
                            if number in committed and number not in seen:
                                seen[number] = now
                    if not page["next_cursor"] or not numbers or numbers[-1] >= pending[-1]:
                        break
                    params = {**params, "cursor": page["next_cursor"]}

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(SENDERS)]
    watcher = threading.Thread(target=poller)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_at = time.perf_counter()
    while time.perf_counter() - sent_at < 20:
        with lock:
            if len(seen) >= len(committed):
                break
        time.sleep(0.05)
    stop.set()
    watcher.join()
    latencies = [seen[n] - committed[n] for n in seen]
    return {"sent": len(committed), "seen": len(seen), "rate": len(committed) / max(1e-9, sent_at - start),
            "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
            "write_p50_ms": percentile(writes, 0.5) * 1000, "write_p99_ms": percentile(writes, 0.99) * 1000}
