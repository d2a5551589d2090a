"""Timelines oldest or newest first, paged forwards and backwards by keyset cursors that count their place."""
from __future__ import annotations

import base64
import json
from datetime import date

import orjson
import pytest
import sqlalchemy as sa

from factlog.readmodels import queries
from factlog.readmodels.queries import timelines
from tests.support.newsroom import Newsroom
from tests.support.projections import wait_until_visible
from workers.projectors import all_projections
from workers.runner import catch_up, live

# Recorded in this order (so positions break the tie between D and E, and order G before H).
CLAIMS = [("G", "unknown"), ("D", "2024-10-15"), ("A", "2024-09-30"), ("F", "2024-11-02"), ("C", "2024-10"),
          ("H", "unknown"), ("B", "2024-10-01"), ("E", "2024-10-15")]
OLDEST = list("ABCDEFGH")  # a month sorts as 1-31 October: after 1 October, before 15 October
NEWEST = list("FEDCBAHG")  # dated newest first, then undated, newest recorded first: unknown last both ways


@pytest.fixture
def topic(db, session):
    room = Newsroom(session)
    room.source("Reuters")
    room.person("Nick Brown")
    for letter, said_on in CLAIMS:
        room.claim(f"{letter} claim", "Nick Brown", room.chain(("Reuters", "quoting", "2024-12-01")),
                   said_on=said_on, topics=["ukraine"])
    wait_until_visible(session, max(room.positions))
    for projection in all_projections():
        catch_up(db, [live(projection)])
    return "ukraine"


def read(session, **args):
    try:
        return queries.timeline(session, "topic", "ukraine", **args)
    finally:
        session.rollback()


def letters(page):
    return [entry["summary"][0] for entry in page.entries]


def forward_pages(session, **args):
    pages, cursor = [], None
    while True:
        page = read(session, cursor=cursor, **args)
        pages.append(page)
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


def test_newest_first_puts_the_latest_date_first_and_unknown_dates_still_last(session, topic):
    assert letters(read(session)) == OLDEST
    assert letters(read(session, order="oldest")) == OLDEST
    assert letters(read(session, order="newest")) == NEWEST
    encoded = queries.timeline_encoded(session, "topic", "ukraine", order="newest")
    session.rollback()
    assert [entry["summary"][0] for entry in orjson.loads(orjson.dumps(encoded.entries))] == NEWEST


@pytest.mark.parametrize("order, expected", [("oldest", OLDEST), ("newest", NEWEST)])
@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_pages_follow_each_other_both_ways_and_know_their_place(session, topic, order, expected, limit):
    pages = forward_pages(session, order=order, limit=limit)
    assert [letter for page in pages for letter in letters(page)] == expected
    assert [page.offset for page in pages] == list(range(0, len(expected), limit))
    assert pages[0].previous_cursor is None
    for before, page in zip(pages, pages[1:]):
        back = read(session, order=order, limit=limit, cursor=page.previous_cursor)
        assert letters(back) == letters(before) and back.offset == before.offset
        assert back.next_cursor is not None
        assert (back.previous_cursor is None) == (before.offset == 0)
    # Backwards from the last page to the first, every entry once.
    seen, page = [], pages[-1]
    while True:
        seen = letters(page) + seen
        if page.previous_cursor is None:
            break
        page = read(session, order=order, limit=limit, cursor=page.previous_cursor)
    assert seen == expected and page.offset == 0


def test_going_back_near_the_start_shows_the_first_page_whole(session, topic):
    third = read(session, order="newest", limit=3, cursor=read(session, order="newest", limit=2).next_cursor)
    assert letters(third) == ["D", "C", "B"] and third.offset == 2
    back = read(session, order="newest", limit=3, cursor=third.previous_cursor)
    assert letters(back) == ["F", "E", "D"] and back.offset == 0 and back.previous_cursor is None


def test_a_date_window_pages_newest_first_over_dated_claims_only(session, topic):
    window = {"start": date(2024, 10, 1), "end": date(2024, 10, 31), "order": "newest"}
    pages = forward_pages(session, limit=2, **window)
    assert [letter for page in pages for letter in letters(page)] == ["E", "D", "C", "B"]
    back = read(session, limit=2, cursor=pages[1].previous_cursor, **window)
    assert letters(back) == ["E", "D"]
    assert queries.timeline_count(session, "topic", "ukraine", start=date(2024, 10, 1),
                                  end=date(2024, 10, 31)) == 4


def test_counts_follow_the_filters(session, topic):
    assert queries.timeline_count(session, "topic", "ukraine") == 8
    assert queries.timeline_count(session, "topic", "ukraine", status="retracted") == 0
    assert queries.timeline_count(session, "topic", "no-such-topic") == 0
    assert queries.timeline_count(session, "all") == 8


def test_a_cursor_pages_only_the_order_it_was_handed_out_for(session, topic):
    newest = read(session, order="newest", limit=2)
    with pytest.raises(queries.InvalidCursor, match="newest first, not oldest first"):
        read(session, order="oldest", limit=2, cursor=newest.next_cursor)
    with pytest.raises(ValueError, match="oldest or newest"):
        read(session, order="sideways")


def test_a_cursor_handed_out_before_pages_went_backwards_still_reads_the_next_page(session, topic):
    second = read(session, limit=3, cursor=read(session, limit=3).next_cursor)
    raw = json.loads(base64.urlsafe_b64decode(second.previous_cursor + "=="))
    old = base64.urlsafe_b64encode(json.dumps(["said_on", *raw[3:7]]).encode()).decode().rstrip("=")
    page = read(session, limit=3, cursor=old)  # after the entry the old cursor names: D, 4th oldest
    assert letters(page) == ["E", "F", "G"] and page.offset is None and page.next_cursor is not None


def test_newest_first_pages_read_the_page_index_backwards_without_sorting(database_url, session, topic):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's plans")
    # So few rows would be read from the table itself: ask for index plans, to see whether one needs a sort.
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    session.execute(sa.text("SET LOCAL enable_bitmapscan = off"))
    page = timelines._Page("topic", "ukraine", "said_on", "newest", None, None, None, None, None, 3, None)
    cursor = {"after_unknown": 0, "after_start": date(2024, 10, 15), "after_end": date(2024, 10, 15),
              "after_position": 1 << 40}
    for bound, encoded in ((False, False), (True, True)):
        statement = timelines._page_query(encoded, "said_on", False, False, False, False, bound, False, True,
                                          False)
        params = {**page.params, "page_size": 4, "unknown": 0, **cursor}
        wanted = {name: value for name, value in params.items() if name in statement.compile().params}
        compiled = statement.params(**wanted).compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        explained = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}").scalar()
        plan = json.dumps(explained)
        assert '"Sort"' not in plan and "Incremental Sort" not in plan, plan
        assert '"Scan Direction": "Backward"' in plan and "ix_timeline_entries_said" in plan, plan
    session.rollback()
