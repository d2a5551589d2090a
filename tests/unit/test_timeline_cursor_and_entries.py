"""Timeline cursors refuse what factlog did not hand out; encoded entries are the card plus members."""
from __future__ import annotations

import base64
import json
from datetime import date

import orjson
import pytest

from factlog.readmodels.queries import timeline_cursors, timelines


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not-a-cursor", _cursor("said_on", 0, "2024-10-01", "2024-10-31", 2 ** 63),
    _cursor("said_on", 7, "2024-10-01", "2024-10-31", 5), _cursor("said_on", 0, "October", "2024-10-31", 5),
    _cursor("said_on", 0, "2024-10-01", "2024-10-31", -1)])
def test_cursors_out_of_range_or_malformed_are_refused(cursor):
    with pytest.raises(timelines.InvalidCursor):
        timeline_cursors.decode(cursor, "said_on", "oldest")


def test_a_cursor_for_another_sort_is_refused():
    with pytest.raises(timelines.InvalidCursor, match="sorted by said_on"):
        timeline_cursors.decode(_cursor("said_on", 0, "2024-10-01", "2024-10-31", 5), "happened_on", "oldest")


@pytest.mark.parametrize("cursor", [
    _cursor("said_on", "newest", "sideways", 0, "2024-10-01", "2024-10-31", 5, 3),
    _cursor("said_on", "random", "after", 0, "2024-10-01", "2024-10-31", 5, 3),
    _cursor("said_on", "newest", "after", 0, "2024-10-01", "2024-10-31", 5, -3),
    _cursor("said_on", "newest", "after", 0, "2024-10-01", "2024-10-31", 5, 2.5),
    _cursor("said_on", "newest", "after", 0, "2024-10-01", "2024-10-31", 5)])
def test_cursors_with_a_bad_order_direction_or_count_are_refused(cursor):
    with pytest.raises(timeline_cursors.InvalidCursor, match="not handed out"):
        timeline_cursors.decode(cursor, "said_on", "newest")


def test_a_cursor_reads_back_as_handed_out_and_only_for_its_order():
    cursor = timeline_cursors.Cursor("happened_on", "newest", "before", (0, date(2024, 10, 1), date(2024, 10, 31),
                                                                         12), 50)
    text = timeline_cursors.encode(cursor)
    assert timeline_cursors.decode(text, "happened_on", "newest") == cursor
    with pytest.raises(timeline_cursors.InvalidCursor, match="newest first, not oldest first"):
        timeline_cursors.decode(text, "happened_on", "oldest")


def test_an_old_cursor_reads_as_after_its_entry_oldest_first_without_a_count():
    cursor = timeline_cursors.decode(_cursor("said_on", 1, "9999-12-31", "9999-12-31", 7), "said_on", "oldest")
    assert (cursor.order, cursor.direction, cursor.key[0], cursor.key[3], cursor.offset) == (
        "oldest", "after", 1, 7, None)


def test_members_are_added_to_a_card_before_its_closing_brace():
    card = orjson.dumps({"summary": 'a "}" in text', "said_on": {"display": "October 2024"}}).decode()
    entry = timelines._add_to_object(card + "\n", ',"date":{"display":"October 2024"},"certain":false')
    assert orjson.loads(entry) == {"summary": 'a "}" in text', "said_on": {"display": "October 2024"},
                                   "date": {"display": "October 2024"}, "certain": False}
    for not_an_object in ("{}", "[1]", '"text"'):
        with pytest.raises(ValueError):
            timelines._add_to_object(not_an_object, ',"date":null')
