"""JSON as factlog writes it to the database: orjson, and the standard library for what orjson refuses.

orjson writes a 600-byte event in 0.5 us where the standard library takes 9 (a 100-event append spent a
sixth of its time there). What it refuses goes to the standard library, which writes it as it always did or
refuses it as before: an integer beyond 64 bits (written exactly), a key that is not a string, a lone
surrogate. Event data holds JSON only, so datetimes and dataclasses are refused there (orjson passes them on
to the standard library); read-model documents may hold dates (``dates=True``: ISO 8601). PostgreSQL keeps
the parsed document (JSONB) or the text as written (json), so the text's spacing does not matter.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson

_STRICT = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value: Any, *, dates: bool = False) -> bytes | str:
    """orjson's bytes, or the standard library's text for what orjson refuses (see above)."""
    try:
        return orjson.dumps(value, option=0 if dates else _STRICT)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, ensure_ascii=False, default=_iso if dates else None)


def json_text(value: Any, *, dates: bool = False) -> str:
    encoded = dumps(value, dates=dates)
    return encoded.decode() if isinstance(encoded, bytes) else encoded


def _iso(value: date | datetime) -> str:
    return value.isoformat()
