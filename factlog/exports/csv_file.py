"""Claims as CSV: UTF-8, a header row, one row per claim, safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be run as a formula by
Excel, LibreOffice and Google Sheets; such cells get a leading ``'`` (OWASP's advice on CSV injection).
Lists are joined with ``; ``, chains written as text ("QiOSK quoting The New York Times citing Nick Brown",
chains separated by `` | ``) and as JSON (``chains_json``) for programs.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from factlog.exports.rows import claim_row

MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "claim_id", "url", "summary", "quote", "cue", "speaker", "speaker_id", "speaker_kind",
    "speaker_as_written", "role", "said_on", "said_on_precision", "said_on_display", "happened_on",
    "happened_on_precision", "topics", "chain", "chains_json", "outlets", "outlet_ids", "first_outlet",
    "first_outlet_id", "first_outlet_url", "corroboration", "single_source", "verdict", "verdict_label",
    "verdict_value", "verdict_given_at", "status", "corrected", "retracted", "retraction_reason",
    "recorded_at", "updated_at",
)


def safe_cell(value: Any) -> str:
    """The cell's text, with a ``'`` before anything a spreadsheet would take for a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``claim_row`` flattened to the CSV's columns."""
    speaker, verdict, first = row["speaker"], row["verdict"] or {}, row["first_outlet"] or {}
    return {
        "claim_id": row["claim_id"], "url": row["url"], "summary": row["summary"], "quote": row["quote"],
        "cue": row["cue"], "speaker": speaker["name"], "speaker_id": speaker["id"],
        "speaker_kind": speaker["kind"], "speaker_as_written": speaker["as_written"], "role": row["role"],
        "said_on": row["said_on"]["value"], "said_on_precision": row["said_on"]["precision"],
        "said_on_display": row["said_on"]["display"], "happened_on": row["happened_on"]["value"],
        "happened_on_precision": row["happened_on"]["precision"], "topics": "; ".join(row["topics"]),
        "chain": row["chain_text"], "chains_json": json.dumps(row["chains"], ensure_ascii=False),
        "outlets": "; ".join(outlet["name"] for outlet in row["outlets"]),
        "outlet_ids": "; ".join(outlet["id"] for outlet in row["outlets"]),
        "first_outlet": first.get("name"), "first_outlet_id": first.get("id"),
        "first_outlet_url": first.get("url"),
        "corroboration": row["corroboration"], "single_source": row["single_source"],
        "verdict": verdict.get("rating"), "verdict_label": verdict.get("label"),
        "verdict_value": verdict.get("value"), "verdict_given_at": verdict.get("given_at"),
        "status": row["status"], "corrected": row["corrected"], "retracted": row["retracted"],
        "retraction_reason": row["retraction_reason"], "recorded_at": row["recorded_at"],
        "updated_at": row["updated_at"],
    }


def _line(values: Iterable[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def lines(records: Iterable[Mapping[str, Any]], claim_url: Callable[[str], str]) -> Iterator[bytes]:
    """The header, then one CSV line per claim (RFC 4180, CRLF), streamed as the records come."""
    yield _line(COLUMNS)
    for record in records:
        cells = csv_cells(claim_row(record, claim_url(record["claim_id"])))
        yield _line(safe_cell(cells[column]) for column in COLUMNS)
