"""Reads under load: timeline pages (50 entries) and claim attribution views through gunicorn at
1,000,000 events, 32 concurrent clients (4 processes x 8 threads, keep-alive), for a fixed time."""
from __future__ import annotations

import multiprocessing
import random
import threading
import time

from bench.common import (
    Report,
    Settings,
    api_token,
    clone,
    gunicorn,
    log,
    percentile,
    projected_template,
    sample_ids,
)

CLIENTS, PROCESSES = 32, 4


def _client_process(base, token, paths, seconds, threads, seed, results) -> None:
    # http.client on one keep-alive connection per client: a load generator sharing 2 cores with the server
    # must cost as little as it can (requests spent ~3x the CPU per request, taken from the server).
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(base)
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start_at = time.perf_counter()
    deadline = start_at + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        mine, failed = [], 0
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                connection.request("GET", rng.choice(paths), headers=headers)
                response = connection.getresponse()
                response.read()
                t1 = time.perf_counter()
                if response.status != 200:
                    failed += 1
                mine.append(t1 - t0)
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((latencies, errors[0], time.perf_counter() - start_at))


def load_test(base: str, token: str, paths: list[str], seconds: float, seed: int) -> dict:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=_client_process, args=(base, token, paths, seconds,
                                                               CLIENTS // PROCESSES, seed + p, results))
                 for p in range(PROCESSES)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    latencies = [latency for o in outcomes for latency in o[0]]
    elapsed = max(o[2] for o in outcomes)
    return {"requests_per_s": len(latencies) / elapsed, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "errors": sum(o[1] for o in outcomes)}


def run(report: Report, settings: Settings) -> None:
    template = projected_template(settings, settings.events, report)
    seconds = 3 if settings.quick else 20
    with clone(template, "reads", settings.keep) as name:
        topics = sample_ids(name, "SELECT DISTINCT key FROM timeline_entries WHERE timeline = 'topic'", 200,
                            settings.seed)
        speakers = sample_ids(name, "SELECT DISTINCT key FROM timeline_entries WHERE timeline = 'speaker'", 200,
                              settings.seed)
        claims = sample_ids(name, "SELECT claim_id FROM timeline_claims", 2000, settings.seed)
        views = {
            "timeline pages (50)": [f"/api/v1/timelines/topic/{t}?limit=50" for t in topics]
            + [f"/api/v1/timelines/speaker/{s}?limit=50" for s in speakers] + ["/api/v1/timeline?limit=50"],
            "claim attribution": [f"/api/v1/claims/{c}/attribution" for c in claims],
        }
        token = api_token(name, "admin", "read")
        with gunicorn(name, workers=2, threads=8) as base:
            runs: dict[str, list[dict]] = {what: [] for what in views}
            for what, paths in views.items():  # warm up
                load_test(base, token, paths, 1, settings.seed)
            for rep in range(settings.reps):
                for what in (list(views) if rep % 2 == 0 else list(reversed(views))):
                    outcome = load_test(base, token, views[what], seconds, settings.seed + rep)
                    runs[what].append(outcome)
                    log(f"reads rep={rep} {what}: {outcome['requests_per_s']:,.0f} req/s "
                        f"p50={outcome['p50_ms']:.1f}ms p99={outcome['p99_ms']:.1f}ms errors={outcome['errors']}")
        params = {"events": settings.events, "clients": CLIENTS, "gunicorn": "2x8"}
        for what, outcomes in runs.items():
            report.result("reads", what, params, "requests/s", "req/s", [o["requests_per_s"] for o in outcomes],
                          errors=sum(o["errors"] for o in outcomes))
            report.result("reads", what, params, "p50 ms", "ms", [o["p50_ms"] for o in outcomes])
            report.result("reads", what, params, "p99 ms", "ms", [o["p99_ms"] for o in outcomes])
    report.print_table("reads", "reads under load")
