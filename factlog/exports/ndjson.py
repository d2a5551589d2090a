"""Claims as NDJSON (application/x-ndjson): one JSON object per line, in ``rows.claim_row``'s shape."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import orjson

from factlog.exports.rows import claim_row

MEDIA_TYPE = "application/x-ndjson"


def lines(records: Iterable[Mapping[str, Any]], claim_url: Callable[[str], str]) -> Iterator[bytes]:
    """One UTF-8 line per claim, each ending in a newline (streamed as the records come)."""
    for record in records:
        yield orjson.dumps(claim_row(record, claim_url(record["claim_id"]))) + b"\n"
