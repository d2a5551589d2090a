"""The page cache: a page is served from memory only under the projection mark it was read with."""
from __future__ import annotations

import orjson
import pytest

from factlog.api import page_cache as module
from factlog.api.page_cache import PageCache


@pytest.fixture
def marks(monkeypatch):
    current = {"timelines": (10, 2, "t0")}
    monkeypatch.setattr(module, "projection_mark", lambda _session, name: current.get(name))
    return current


def build(counter: list, document: dict):
    def page():
        counter.append(1)
        return document
    return page


def test_a_page_is_built_once_while_the_projection_stays_put(marks):
    cache, built = PageCache(1 << 20), []
    first = cache.page(None, "timelines", "/t?limit=50", build(built, {"entries": [1]}))
    second = cache.page(None, "timelines", "/t?limit=50", build(built, {"entries": [2]}))
    assert second == first and orjson.loads(first.body) == {"entries": [1]} and len(built) == 1
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize("moved", [(11, 2, "t0"), (10, 3, "t0"), (10, 2, "t1")])
def test_any_move_of_the_projection_rebuilds_the_page(marks, moved):
    cache, built = PageCache(1 << 20), []
    cache.page(None, "timelines", "/t", build(built, {"n": 1}))
    marks["timelines"] = moved
    assert orjson.loads(cache.page(None, "timelines", "/t", build(built, {"n": 2})).body) == {"n": 2}
    assert len(built) == 2


def test_nothing_is_kept_for_a_projection_that_never_ran_or_when_turned_off(marks):
    cache, built = PageCache(1 << 20), []
    cache.page(None, "search", "/s", build(built, {}))
    cache.page(None, "search", "/s", build(built, {}))
    off = PageCache(0)
    off.page(None, "timelines", "/t", build(built, {}))
    off.page(None, "timelines", "/t", build(built, {}))
    assert len(built) == 4 and len(cache) == 0 and len(off) == 0


def test_the_least_recently_used_pages_go_first_and_the_bytes_stay_bounded(marks):
    cache, built = PageCache(8 * 1000), []
    for number in range(40):
        cache.page(None, "timelines", f"/t/{number}", build(built, {"pad": "x" * 900}))
        cache.page(None, "timelines", "/t/0", build(built, {"pad": "x" * 900}))  # kept in use
    assert cache._bytes <= cache.max_bytes
    assert cache.entry("/t/0") is not None and cache.entry("/t/1") is None
    huge = {"pad": "x" * 5000}  # over an eighth of the cache: served, never kept
    cache.page(None, "timelines", "/huge", build(built, huge))
    assert cache.entry("/huge") is None
