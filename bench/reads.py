"""Reads under load: timeline pages (50 entries) and claim attribution views through gunicorn at
1,000,000 events, 32 concurrent clients (a process each, keep-alive), for a fixed time; timeline pages
and claim attribution views from a server with its page cache on (the default) and from one with it off,
runs alternating."""
from __future__ import annotations

import multiprocessing
import random
import time

from bench.common import (
    Report,
    Settings,
    api_token,
    app_environment,
    clone,
    gunicorn,
    log,
    percentile,
    projected_template,
    sample_ids,
)

CLIENTS = 32


def _client_process(base, token, paths, seconds, seed, results) -> None:
    """One keep-alive client: sends a request as soon as its last answer is in, until the time is up.

    HTTP/1.1 is spoken directly on a blocking socket (each path's request written once; answers read by
    Content-Length), one process per client: a load generator sharing 2 cores with the server must take as
    little of them as it can. http.client in threads spent ~4x the CPU per request (header parsing and the
    threads' contention for the GIL), asyncio streams ~2x."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(base)
    requests = {path: (f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\nAuthorization: Bearer {token}\r\n"
                       "Connection: keep-alive\r\n\r\n").encode() for path in set(paths)}
    rng = random.Random(seed)
    latencies, failed = [], 0
    cpu, start_at = time.process_time(), time.perf_counter()
    deadline = start_at + seconds
    with socket.create_connection((address.hostname, address.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            sock.sendall(requests[rng.choice(paths)])
            while (end := buffer.find(b"\r\n\r\n")) < 0:
                buffer += _received(sock)
            head, buffer = buffer[:end], buffer[end + 4:]
            length = _content_length(head)
            while len(buffer) < length:
                buffer += _received(sock)
            buffer = buffer[length:]
            latencies.append(time.perf_counter() - t0)
            failed += head[9:12] != b"200"
    results.put((latencies, failed, time.perf_counter() - start_at, time.process_time() - cpu))


def _received(sock) -> bytes:
    data = sock.recv(262144)
    if not data:
        raise RuntimeError("the server closed the connection")
    return data


def _content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        raise RuntimeError(f"an answer without Content-Length: {head[:200]!r}")
    end = head.find(b"\r\n", at + 2)
    return int(head[at + 17:end if end >= 0 else len(head)])


def load_test(base: str, token: str, paths: list[str], seconds: float, seed: int) -> dict:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=_client_process, args=(base, token, paths, seconds, seed * 1000 + n,
                                                               results)) for n in range(CLIENTS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    latencies = [latency for o in outcomes for latency in o[0]]
    elapsed = max(o[2] for o in outcomes)
    return {"requests_per_s": len(latencies) / elapsed, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "errors": sum(o[1] for o in outcomes),
            "client_cpu_us": sum(o[3] for o in outcomes) / max(1, len(latencies)) * 1e6}


def run(report: Report, settings: Settings) -> None:
    template = projected_template(settings, settings.events, report)
    seconds = 3 if settings.quick else 20
    with clone(template, "reads", settings.keep) as name:
        topics = sample_ids(name, "SELECT DISTINCT key FROM timeline_entries WHERE timeline = 'topic'", 200,
                            settings.seed)
        speakers = sample_ids(name, "SELECT DISTINCT key FROM timeline_entries WHERE timeline = 'speaker'", 200,
                              settings.seed)
        claims = sample_ids(name, "SELECT claim_id FROM timeline_claims", 2000, settings.seed)
        timeline_pages = ([f"/api/v1/timelines/topic/{t}?limit=50" for t in topics]
                          + [f"/api/v1/timelines/speaker/{s}?limit=50" for s in speakers]
                          + ["/api/v1/timeline?limit=50"])
        attribution_views = [f"/api/v1/claims/{c}/attribution" for c in claims]
        # What each run reads, and from which server: the page cache on (the default) and off.
        views = {
            "timeline pages (50)": ("cache", timeline_pages),
            "timeline pages (50), page cache off": ("no cache", timeline_pages),
            "claim attribution": ("cache", attribution_views),
            "claim attribution, page cache off": ("no cache", attribution_views),
        }
        token = api_token(name, "admin", "read")
        no_cache = app_environment(name) | {"FACTLOG_PAGE_CACHE_MB": "0"}
        with gunicorn(name, workers=2, threads=8) as cached, \
                gunicorn(name, workers=2, threads=8, env=no_cache) as uncached:
            bases = {"cache": cached, "no cache": uncached}
            runs: dict[str, list[dict]] = {what: [] for what in views}
            for server, paths in views.values():  # warm up: connections, prepared statements, cached pages
                load_test(bases[server], token, paths, 1 if settings.quick else 5, settings.seed)
            for rep in range(settings.reps):
                order = list(views)[rep % len(views):] + list(views)[:rep % len(views)]  # rotates
                for what in order:
                    server, paths = views[what]
                    outcome = load_test(bases[server], token, paths, seconds, settings.seed + rep)
                    runs[what].append(outcome)
                    log(f"reads rep={rep} {what}: {outcome['requests_per_s']:,.0f} req/s "
                        f"p50={outcome['p50_ms']:.1f}ms p99={outcome['p99_ms']:.1f}ms errors={outcome['errors']} "
                        f"client CPU {outcome['client_cpu_us']:.0f} us/request")
        params = {"events": settings.events, "clients": CLIENTS, "gunicorn": "2x8"}
        for what, outcomes in runs.items():
            report.result("reads", what, params, "requests/s", "req/s", [o["requests_per_s"] for o in outcomes],
                          errors=sum(o["errors"] for o in outcomes))
            report.result("reads", what, params, "p50 ms", "ms", [o["p50_ms"] for o in outcomes])
            report.result("reads", what, params, "p99 ms", "ms", [o["p99_ms"] for o in outcomes])
            report.result("reads", what, params, "client CPU us/request", "us",
                          [o["client_cpu_us"] for o in outcomes])
    report.print_table("reads", "reads under load")
