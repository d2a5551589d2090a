"""Timeline cursors refuse what factlog did not hand out; encoded entries are the card plus members."""
from __future__ import annotations

import base64
import json

import orjson
import pytest

from factlog.readmodels.queries import timelines


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "not-a-cursor", _cursor("said_on", 0, "2024-10-01", "2024-10-31", 2 ** 63),
    _cursor("said_on", 7, "2024-10-01", "2024-10-31", 5), _cursor("said_on", 0, "October", "2024-10-31", 5),
    _cursor("said_on", 0, "2024-10-01", "2024-10-31", -1)])
def test_cursors_out_of_range_or_malformed_are_refused(cursor):
    with pytest.raises(timelines.InvalidCursor):
        timelines._decode(cursor, "said_on")


def test_a_cursor_for_another_sort_is_refused():
    with pytest.raises(timelines.InvalidCursor, match="sorted by said_on"):
        timelines._decode(_cursor("said_on", 0, "2024-10-01", "2024-10-31", 5), "happened_on")


def test_members_are_added_to_a_card_before_its_closing_brace():
    card = orjson.dumps({"summary": 'a "}" in text', "said_on": {"display": "October 2024"}}).decode()
    entry = timelines._add_to_object(card + "\n", ',"date":{"display":"October 2024"},"certain":false')
    assert orjson.loads(entry) == {"summary": 'a "}" in text', "said_on": {"display": "October 2024"},
                                   "date": {"display": "October 2024"}, "certain": False}
    for not_an_object in ("{}", "[1]", '"text"'):
        with pytest.raises(ValueError):
            timelines._add_to_object(not_an_object, ',"date":null')
