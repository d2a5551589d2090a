"""An event's canonical bytes: RFC 8785 (JCS) number and key-order vectors, the documented example event
(docs/transparency.md) byte for byte, and the same bytes from a dump line as from the database's values."""
from __future__ import annotations

import json
import struct
import uuid
from datetime import UTC, datetime

import pytest

from factlog.backup import from_line, to_line
from factlog.eventstore import StoredEvent
from factlog.transparency import merkle
from factlog.transparency.canonical import canonical_json, event_bytes, number_text

# RFC 8785 appendix B: IEEE-754 bit patterns and how JCS writes them.
NUMBERS = [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize("bits, text", NUMBERS)
def test_numbers_are_written_as_jcs_writes_them(bits, text):
    assert number_text(struct.unpack(">d", bytes.fromhex(bits))[0]) == text


def test_keys_sort_by_utf16_code_units_and_strings_escape_only_what_json_must():
    # RFC 8785 3.2.3's example: the emoji (a surrogate pair, 0xD83D) sorts before U+FB33.
    value = {"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\U0001F600": 5, "\u0080": 6, "\u00f6": 7}
    assert canonical_json(value).decode() == '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\U0001F600":5,"\ufb33":3}'
    assert canonical_json(["\x1f\u2028/é\"\\", 2 ** 70, True, None, 1.0]) == \
        '["\\u001f\u2028/é\\"\\\\",1180591620717411303424,true,null,1]'.encode()


EXAMPLE = StoredEvent(
    position=42, event_id=uuid.UUID("0b5a8e4e-7d0c-4a51-9a53-8f2b8c9d1e01"), stream_id="source-a1b2", stream_version=3,
    event_type="SourceAliasAdded", schema_version=1,
    data={"source_id": "a1b2", "alias": "the Times"}, metadata={"actor": "user:7", "request_id": "r-1"},
    recorded_at=datetime(2024, 11, 28, 12, 0, 0, 123000, tzinfo=UTC), idempotency_key=None)
# The example in docs/transparency.md: keep both in step.
EXAMPLE_BYTES = ('{"data":{"alias":"the Times","source_id":"a1b2"},"event_id":"0b5a8e4e-7d0c-4a51-9a53-8f2b8c9d1e01",'
                 '"event_type":"SourceAliasAdded","idempotency_key":null,"metadata":{"actor":"user:7","request_id":'
                 '"r-1"},"position":42,"recorded_at":"2024-11-28T12:00:00.123000Z","schema_version":1,"stream_id":'
                 '"source-a1b2","stream_version":3}')
EXAMPLE_LEAF = "a752a8f35072b661828cacf9332bd513270c78f23b3006df2bcc5f0686c5bfa9"  # printf | sha256sum agrees


def test_the_documented_example_event_has_the_documented_bytes_and_leaf_hash():
    assert event_bytes(EXAMPLE).decode() == EXAMPLE_BYTES
    assert merkle.leaf_hash(EXAMPLE_BYTES.encode()).hex() == EXAMPLE_LEAF


def test_a_dump_line_gives_the_bytes_the_database_values_give():
    line = to_line(EXAMPLE)
    assert event_bytes(from_line(line, 1)) == event_bytes(EXAMPLE)
    # Whatever the key order and spacing of the line, and with the time in another offset.
    record = json.loads(line)
    record["recorded_at"] = "2024-11-28T13:00:00.123000+01:00"
    reordered = json.dumps(dict(reversed(list(record.items()))), indent=2).replace("\n", " ")
    assert event_bytes(from_line(reordered, 1)) == event_bytes(EXAMPLE)


def test_a_naive_time_counts_as_utc_as_sqlite_stores_it():
    naive = StoredEvent(**{**EXAMPLE.__dict__, "recorded_at": datetime(2024, 11, 28, 12, 0, 0, 123000)})
    assert event_bytes(naive) == event_bytes(EXAMPLE)



def test_the_event_writer_agrees_with_canonical_json_of_the_whole_object():
    odd = StoredEvent(**{**EXAMPLE.__dict__, "stream_id": "claim-é\u2028\"", "idempotency_key": "key \\ 1",
                         "data": {"ratio": 0.5, "\U0001F600": [1, 2 ** 60], "\ufb33": None}})
    for event in (EXAMPLE, odd):
        whole = {name: getattr(event, name) for name in ("data", "event_type", "idempotency_key", "metadata",
                                                        "position", "schema_version", "stream_id", "stream_version")}
        whole |= {"event_id": str(event.event_id), "recorded_at": "2024-11-28T12:00:00.123000Z"}
        assert event_bytes(event) == canonical_json(whole)
