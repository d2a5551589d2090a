"""A write -> timeline round trip over real HTTP: record a claim through the API, wait for the worker to
project it onto the timeline."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

from tests.support.workers import wait_for


def call(base_url: str, method: str, path: str, token: str | None = None, body: dict | None = None,
         headers: dict | None = None) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of one request."""
    request = urllib.request.Request(base_url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw, status, answer_headers = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, answer_headers = error.read(), error.code, dict(error.headers)
    text = raw.decode() if raw else ""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {"text": text}
    return status, data, answer_headers


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def record_claim(base_url: str, token: str, request_id: str | None = None) -> str:
    """Register a speaker and an outlet, record a claim they carry; return the claim id."""
    suffix = uuid.uuid4().hex[:8]
    ids = {}
    for key, kind, name in (("speaker", "person", f"Speaker {suffix}"),
                            ("outlet", "outlet", f"Outlet {suffix}")):
        status, body, _ = call(base_url, "POST", "/api/v1/sources", token, {"kind": kind, "name": name})
        assert status == 201, body
        ids[key] = body["id"]
    claim = {"summary": f"Round trip {suffix} reached the timeline.", "speaker_id": ids["speaker"],
             "cue": "said", "said_on": "2024-11", "topics": ["round-trip"],
             "report": {"links": [{"source_id": ids["outlet"], "relation": "citing"},
                                  {"source_id": ids["speaker"]}]}}
    status, body, headers = call(base_url, "POST", "/api/v1/claims", token, claim,
                                 {"X-Request-ID": request_id} if request_id else None)
    assert status == 201, body
    if request_id:
        assert headers.get("X-Request-ID") == request_id
    return body["id"]


def on_timeline(base_url: str, token: str, claim_id: str) -> dict | None:
    status, body, _ = call(base_url, "GET", "/api/v1/timeline?limit=200", token)
    assert status == 200, body
    return next((entry for entry in body["entries"] if entry["claim_id"] == claim_id), None)


def wait_on_timeline(base_url: str, token: str, claim_id: str, timeout: float = 30) -> tuple[dict, float]:
    """The claim's timeline entry, and how long after the call it appeared."""
    started = time.monotonic()
    entry = wait_for(lambda: on_timeline(base_url, token, claim_id), timeout, "the claim on the timeline",
                     interval=0.1)
    return entry, time.monotonic() - started
