"""What the reliability tests' processes and threads do: append to the log, follow the feed over HTTP, call
the API with Idempotency-Key retries. (Writer functions run in spawned processes: keep them importable.)"""
from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable

import requests
from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.accounts.tokens import create_token
from factlog.accounts.users import create_user, find_user
from factlog.database import make_engine
from factlog.eventstore import ConcurrencyError, NewEvent
from tests.support.log_workload import registry


def write_events(url: str, writer: int, events_wanted: int, shared_streams: int, results) -> None:
    """Append until ``events_wanted`` events are acknowledged: 1- to 6-event appends, a third to streams every
    writer shares, each expecting the version this writer last saw (a conflict tells it the current one).
    Reports the acknowledged events and the refused ones."""
    types, rng = registry(), random.Random(writer)
    engine = make_engine(url)
    acked, refused, conflicts, n = [], [], 0, 0
    last_seen: dict[str, int] = {}
    with Session(engine) as session:
        while len(acked) < events_wanted:
            n += 1
            shared = rng.random() < 0.3
            stream = f"shared-{rng.randrange(shared_streams)}" if shared else f"private-{writer}-{n % 11}"
            size = min(1 if rng.random() < 0.4 else rng.randint(2, 6), events_wanted - len(acked))
            batch = [NewEvent("Ticked", {"writer": writer, "n": n}) for _ in range(size)]
            try:
                result = eventstore.append(session, stream, batch, last_seen.get(stream, 0), registry=types)
                session.commit()
            except ConcurrencyError as conflict:
                session.rollback()
                conflicts += 1
                refused.extend(str(e.event_id) for e in batch)
                last_seen[stream] = conflict.actual
                continue
            last_seen[stream] = result.last_version
            acked.extend((str(e.event_id), stream, v, p) for e, v, p in
                         zip(batch, range(result.first_version, result.last_version + 1), result.positions))
    engine.dispose()
    results.put((writer, acked, refused, conflicts))


def follow_feed(base_url: str, token: str, finished: Callable[[list], bool], seen: list) -> None:
    """Tail ``/api/v1/events`` page by page, appending to ``seen``, until an empty page finds
    ``finished(seen)``."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    after = 0
    while True:
        response = http.get(f"{base_url}/api/v1/events", params={"after": after, "limit": 1000}, timeout=30)
        response.raise_for_status()
        page = response.json()
        if page["events"]:
            seen.extend((e["id"], e["stream"], e["version"], e["position"]) for e in page["events"])
            after = page["next_after"]
            continue
        if finished(seen):
            return
        time.sleep(0.01)


def api_token(url: str, email: str, role: str = "editor", scope: str = "write") -> str:
    """A bearer token for a user (created if new) in the database at ``url``."""
    engine = make_engine(url)
    with Session(engine) as session:
        if find_user(session, email) is None:
            create_user(session, email, email.split("@")[0].title(), role)
        _, secret = create_token(session, email, scope)
        session.commit()
    engine.dispose()
    return secret


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedClient:
    """Sends API writes, each under a fresh Idempotency-Key, and now and then sends the same request again:
    right after the answer, after giving up on the first try (a forced client-side timeout), or from a second
    thread at the same moment. Keeps every answer per key in ``answers``."""

    TRANSIENT = frozenset({502, 503, 504})

    def __init__(self, base_url: str, token: str, rng: random.Random, *, repeat: float = 0.25,
                 time_out: float = 0.15, race: float = 0.1, give_up_after: float = 90):
        self.base_url, self.rng, self.give_up_after = base_url, rng, give_up_after
        self.repeat, self.time_out, self.race = repeat, time_out, race
        self.http = requests.Session()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.answers: dict[str, list[tuple[int, dict]]] = {}
        self.try_again: list[tuple[int, dict]] = []  # the "try again" answers (503...) retried under the key
        self.sent = self.timeouts = self.transient = 0

    def post(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
        """The final answer to one write (after any forced timeouts, retries and repeats)."""
        key = new_key()
        headers = {**self.headers, **(headers or {}), "Idempotency-Key": key}
        answers = self.answers.setdefault(key, [])
        if self.rng.random() < self.time_out:
            self.timeouts += 1
            self.sent += 1
            try:  # the request reaches the server; the client stops waiting for the answer
                answers.append(self._send(path, body, headers, read_timeout=self.rng.uniform(0.001, 0.05)))
            except requests.Timeout:
                pass
        if self.rng.random() < self.race:
            racer = requests.Session()  # a second client: sessions are not shared between threads
            other = threading.Thread(target=lambda: answers.append(self._until_answered(path, body, headers,
                                                                                         racer)))
            other.start()
            answers.append(self._until_answered(path, body, headers))
            other.join()
        else:
            answers.append(self._until_answered(path, body, headers))
        if self.rng.random() < self.repeat:
            answers.append(self._until_answered(path, body, headers))
        return answers[-1]

    def _until_answered(self, path: str, body: dict, headers: dict,
                        http: requests.Session | None = None) -> tuple[int, dict]:
        """Send until an answer other than "try again": a lost connection or a 503 is retried, same key."""
        deadline = time.monotonic() + self.give_up_after
        while True:
            try:
                status, data = self._send(path, body, headers, read_timeout=30, http=http)
            except (requests.ConnectionError, requests.Timeout):
                status, data = 0, {}
            if status not in self.TRANSIENT and status != 0:
                return status, data
            self.transient += 1
            self.try_again.append((status, data))
            if time.monotonic() > deadline:
                return status, data
            time.sleep(0.2)

    def _send(self, path: str, body: dict, headers: dict, read_timeout: float,
              http: requests.Session | None = None) -> tuple[int, dict]:
        self.sent += 1
        response = (http or self.http).post(self.base_url + path, json=body, headers=headers,
                                            timeout=(5, read_timeout))
        data = response.json() if response.content else {}
        if isinstance(data, dict):
            data["_replayed_header"] = response.headers.get("Idempotent-Replayed")
            data["_retry_after"] = response.headers.get("Retry-After")
        return response.status_code, data
