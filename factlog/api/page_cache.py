"""A per-process cache of encoded read-model pages, valid while the projection that wrote them has not moved.

A timeline page (or a claim's attribution view) changes only when its projection applies events, or when a
rebuild switches in new tables. Each cached page is kept with the projection's mark (checkpoint position, projector version and the
start of the run that produced the tables) read *before* the page was; a request reads the current mark (one
indexed row) and is served the cached body only when the marks are equal. So a page is never older than
the projection is: the answer is the one a fresh query would give. Authentication still runs on every
request; pages hold nothing user-specific (every reader sees the same read models).

Bounded by bytes, least recently used first out; ``FACTLOG_PAGE_CACHE_MB=0`` turns it off. Each gunicorn
worker keeps its own; a worker's cache fills from its own misses. Most hits are answered in front of Flask
(factlog/api/cached_answers.py); the rest here, in the view.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, request
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from factlog.api.encoded import body_response, encode, etag_header
from factlog.database import get_session
from factlog.hot_statements import HotStatement
from factlog.projections.tables import projection_checkpoints

EXTENSION = "factlog.page_cache"
DEFAULT_MEGABYTES = 64


@dataclass(frozen=True)
class Page:
    body: bytes
    etag: str


@dataclass(frozen=True)
class Entry:
    """A cached page, the projection and mark it was built at and, when a request built it, its route (for
    metrics) and the ETag header it was sent with (factlog/api/cached_answers.py answers with both)."""

    projection: str
    mark: tuple
    page: Page
    route: str | None = None
    etag_header: str | None = None


class PageCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        # By key (a request's path and query): a path belongs to one route, so to one projection.
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def cached(self, session: Session, projection: str, key: str) -> Page | None:
        """The page under ``key`` if it is cached and ``projection`` has not moved since; None otherwise."""
        if self.max_bytes <= 0:
            return None
        return self._hit(projection, key, projection_mark(session, projection))

    def page(self, session: Session, projection: str, key: str, build: Callable[[], Any],
             route: str | None = None) -> Page:
        """The page under ``key``: cached if ``projection`` has not moved since, else ``build()`` encoded."""
        if self.max_bytes <= 0:
            return _encoded(build())
        mark = projection_mark(session, projection)  # read before the page: a page is never newer than its mark
        page = self._hit(projection, key, mark)
        if page is not None:
            return page
        with self._lock:
            self.misses += 1
        page = _encoded(build())
        if mark is not None:
            self._keep(key, Entry(projection, mark, page, route, route and etag_header(page.etag)))
        return page

    def entry(self, key: str) -> Entry | None:
        """What is cached under ``key``, whatever its mark (the caller compares it with the projection's)."""
        return self._entries.get(key) if self.max_bytes > 0 else None

    def hit(self, key: str, entry: Entry) -> None:
        """Count a hit on ``entry``, which the caller found still current."""
        with self._lock:
            if self._entries.get(key) is entry:
                self._entries.move_to_end(key)
            self.hits += 1

    def _hit(self, projection: str, key: str, mark: tuple | None) -> Page | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and mark is not None and entry.projection == projection and entry.mark == mark:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry.page
        return None

    def _keep(self, key: str, entry: Entry) -> None:
        size = len(entry.page.body) + len(key)
        if size > self.max_bytes // 8:  # one huge page must not empty the cache
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.page.body) + len(key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                evicted_key, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.page.body) + len(evicted_key)

    def __len__(self) -> int:
        return len(self._entries)


def _encoded(document: Any) -> Page:
    return Page(*encode(document))


def projection_mark(session: Session, projection: str) -> tuple | None:
    """What identifies the projection's read model as it stands: None when it never ran."""
    return _MARK.first(session, {"name": projection})


def _mark_query() -> sa.Select:
    c = projection_checkpoints
    return sa.select(c.c.position, c.c.version, c.c.started_at).where(c.c.name == sa.bindparam("name"))


_MARK = HotStatement(_mark_query)


def init_app(app: Flask) -> PageCache:
    megabytes = app.config.get("PAGE_CACHE_MB", DEFAULT_MEGABYTES)
    cache = app.extensions[EXTENSION] = PageCache(int(megabytes * 1024 * 1024))
    return cache


def page_cache() -> PageCache:
    return current_app.extensions[EXTENSION]


def cached_page(session: Session, projection: str, build: Callable[[], Any]) -> Page:
    """The page this request (its path and query) asks for: cached while ``projection`` has not moved, else
    ``build()`` encoded."""
    return page_cache().page(session, projection, request.full_path, build, route=request.url_rule.rule)


def serves_cached(blp: Blueprint, projection: str):
    """Decorate a view whose body is a cached page (keyed by the request's path and query): a hit is answered
    before the view, so before its query arguments are parsed again; they were valid when the page was
    built, for the very same path and query (pages of errors are never kept). Goes under the
    authentication decorator (which still runs on every request) and ``blp.etag`` (which gives the page its
    ETag, or a 304, as it does for a page just built)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            page = page_cache().cached(get_session(), projection, request.full_path)
            if page is None:
                return view(*args, **kwargs)
            return body_response(blp, page.body, page.etag)

        return wrapper

    return decorator
