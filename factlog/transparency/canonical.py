"""An event's canonical bytes: what its Merkle leaf hashes (docs/transparency.md, "Canonical bytes").

One JSON object with the event's stored columns, written as RFC 8785 (JSON Canonicalization Scheme)
writes it: keys sorted by their UTF-16 code units, no whitespace, UTF-8, strings escaping only ``"``, ``\\``
and control characters, numbers as ECMAScript prints a double. One extension: an integer beyond 2**53
(which JCS cannot hold exactly, and which factlog's JSON keeps exact) is written as its exact decimal
digits. The data is the stored data, never upcast, so a dump (``factlog export --ndjson``) gives the same
bytes as the database; the PostgreSQL transaction id is not included (a restore changes it, not the order).
"""
from __future__ import annotations

import math
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from factlog.eventstore.dump import StoredEvent


def event_bytes(event: StoredEvent) -> bytes:
    """The canonical bytes of one stored event."""
    # canonical_json of the whole object, its fixed keys written in their sorted order (a third faster than
    # building and sorting the object for every event; a unit test checks both agree).
    key = event.idempotency_key
    return b"".join((
        b'{"data":', canonical_json(event.data),
        b',"event_id":"', str(event.event_id).encode(),
        b'","event_type":', _string(event.event_type),
        b',"idempotency_key":', b"null" if key is None else _string(key),
        b',"metadata":', canonical_json(event.metadata),
        b',"position":', str(int(event.position)).encode(),
        b',"recorded_at":"', timestamp_text(event.recorded_at).encode(),
        b'","schema_version":', str(int(event.schema_version)).encode(),
        b',"stream_id":', _string(event.stream_id),
        b',"stream_version":', str(int(event.stream_version)).encode(),
        b"}",
    ))


def _string(text: str) -> bytes:
    return encode_basestring(text).encode("utf-8", "surrogatepass")


def timestamp_text(moment: datetime) -> str:
    """UTC, always six fractional digits: ``2024-11-28T12:00:00.000000Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> bytes:
    # (json.dumps(sort_keys=True) plus checks that no float or high character needs JCS's own rules was
    # tried as a fast path: slower than this writer for event-sized documents.)
    parts: list[str] = []
    _write(value, parts)
    # A lone surrogate (only SQLite can hold one) is written as its generalized UTF-8 bytes rather than refused.
    return "".join(parts).encode("utf-8", "surrogatepass")


def _write(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        out.append("{")
        keys = sorted(value) if "".join(value).isascii() else sorted(value, key=_utf16)
        for number, key in enumerate(keys):
            if number:
                out.append(",")
            out.append(encode_basestring(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif kind is list or kind is tuple:
        out.append("[")
        for number, item in enumerate(value):
            if number:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(str(value))  # what ECMAScript prints up to 2**53, and exact beyond (the extension)
    elif kind is float:
        out.append(number_text(value))
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def number_text(value: float) -> str:
    """ECMAScript's Number.prototype.toString for a finite double (RFC 8785 3.2.2.3)."""
    if not math.isfinite(value):
        raise ValueError("JSON has no NaN or infinity")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, exponent = _shortest(abs(value))
    k, n = len(digits), exponent
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        text = _exponent_form(abs(value))
    return sign + text


def _exponent_form(value: float) -> str:
    sign = "-" if value < 0 else ""
    digits, n = _shortest(abs(value))
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def _shortest(value: float) -> tuple[str, int]:
    """The shortest digits that round-trip (Python's repr) and n with value = 0.digits * 10**n."""
    text = repr(value)
    mantissa, _, exp = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    leading = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    n = len(whole) + int(exp or 0) - leading
    digits = digits.rstrip("0") or "0"
    return digits, n
