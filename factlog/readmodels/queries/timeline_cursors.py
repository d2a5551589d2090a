"""Timeline cursors: the entry a keyset page starts from, which side of it the page lies on, in which order,
and how many entries come before (for "claims 26-50 of 372" without counting them again).

Opaque to callers: base64 of a JSON list. Cursors handed out before pages could go backwards (five members:
the date field and the sort key) still read as "after this entry, oldest first", with no count.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date

OLDEST, NEWEST = "oldest", "newest"
ORDERS = (OLDEST, NEWEST)
ORDER_NAMES = {OLDEST: "oldest first", NEWEST: "newest first"}
AFTER, BEFORE = "after", "before"  # the page follows the cursor's entry (next) or precedes it (previous)

SortKey = tuple[int, date, date, int]  # unknown (0/1), earliest day, latest day, position


class InvalidCursor(ValueError):
    """A cursor this server did not hand out (or for another ordering)."""


@dataclass(frozen=True)
class Cursor:
    by: str
    order: str
    direction: str
    key: SortKey
    # AFTER: entries up to and including the cursor's; BEFORE: entries before it. None for an old cursor.
    offset: int | None


def encode(cursor: Cursor) -> str:
    unknown, first, last, position = cursor.key
    raw = json.dumps([cursor.by, cursor.order, cursor.direction, unknown, first.isoformat(), last.isoformat(),
                      position, cursor.offset])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(text: str, by: str, order: str) -> Cursor:
    """The cursor in ``text``, which must page a timeline sorted by ``by`` in ``order``."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if len(raw) == 5:
            raw = [raw[0], OLDEST, AFTER, *raw[1:], None]
        cursor_by, cursor_order, direction, unknown, first, last, position, offset = raw
        key = (int(unknown), date.fromisoformat(first), date.fromisoformat(last), int(position))
        if (key[0] not in (0, 1) or not 0 <= key[3] < 2 ** 63 or cursor_order not in ORDERS
                or direction not in (AFTER, BEFORE)
                or offset is not None and (type(offset) is not int or not 0 <= offset < 2 ** 63)):
            raise ValueError("out of range")
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise InvalidCursor("this cursor was not handed out by factlog; start again without one") from None
    if cursor_by != by:
        raise InvalidCursor(f"this cursor pages a timeline sorted by {cursor_by}, not {by}")
    if cursor_order != order:
        raise InvalidCursor(f"this cursor pages a timeline {ORDER_NAMES[cursor_order]}, not "
                            f"{ORDER_NAMES.get(order, order)}")
    return Cursor(cursor_by, cursor_order, direction, key, offset)
