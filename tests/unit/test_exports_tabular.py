"""CSV and NDJSON exports: attribution fields, header row, UTF-8, formula injection neutralized."""
from __future__ import annotations

import csv
import io
import json

from factlog.exports import csv_file, ndjson
from factlog.exports.csv_file import safe_cell
from tests.support.export_records import claim_url, record


def test_cells_a_spreadsheet_would_run_get_a_leading_quote():
    assert [safe_cell(v) for v in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "plain", None, True, 3]] == [
        "'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", "", "true", "3"]


def test_the_csv_has_a_header_and_one_row_per_claim_with_its_attribution():
    hostile = record(claim_id="2", summary="=HYPERLINK(\"https://evil.example\")",
                     quote="«Zelenskyy» — “quoted”")
    text = b"".join(csv_file.lines([record(), hostile], claim_url)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == csv_file.COLUMNS
    first, second = rows
    assert first["chain"] == "QiOSK quoting The New York Times citing Nick Brown"
    assert json.loads(first["chains_json"])[0][1]["url"] == "https://www.nytimes.com/oreshnik"
    assert (first["said_on"], first["said_on_precision"]) == ("2024-11", "month")
    assert (first["first_outlet"], first["corroboration"], first["verdict"]) == ("The New York Times", "1",
                                                                               "mostly-true")
    assert first["outlets"] == "QiOSK; The New York Times" and first["topics"] == "ukraine; weapons"
    assert (first["corrected"], first["retracted"]) == ("false", "false")
    assert second["summary"].startswith("'=HYPERLINK")
    assert second["quote"] == "«Zelenskyy» — “quoted”"


def test_ndjson_is_one_structured_object_per_line():
    lines = list(ndjson.lines([record(), record(claim_id="2", verdict=None, retraction={"reason": "gone"})],
                              claim_url))
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines)
    first, second = (json.loads(line) for line in lines)
    assert first["chains"][0][0]["name"] == "QiOSK"
    assert first["verdict"]["given_at"] == "2024-12-02T09:30:00+00:00"
    assert first["said_on"] == {"value": "2024-11", "precision": "month", "display": "November 2024",
                                "date": "2024-11"}
    assert second["verdict"] is None and second["retracted"] is True and second["retraction_reason"] == "gone"
