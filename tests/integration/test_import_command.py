"""``factlog import FILE`` on SQLite and PostgreSQL: all or nothing, and idempotent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from factlog import claims, eventstore
from factlog.claims.dates import FORMAT_HELP as DATE_HELP
from factlog.database import get_database

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"


def run_import(app, path, actor="test:importer"):
    return app.test_cli_runner().invoke(args=["import", str(path), "--actor", actor])


def events_in(app) -> int:
    with get_database(app).session() as session:
        return eventstore.count_events(session)


def small_file(tmp_path, name="small.json", **claim_fields):
    data = {"format": "factlog-import/1", "namespace": "small",
            "sources": [{"key": "qiosk", "kind": "outlet", "name": "QiOSK"},
                        {"key": "lenderking", "kind": "person", "name": "Tim Lenderking"}],
            "claims": [{"key": "ties", "summary": "The Houthis and Moscow are deepening ties.",
                        "speaker": "lenderking", "speaker_role": "U.S. special envoy for Yemen",
                        "cue": "said",
                        "reports": [{"chain": [{"source": "qiosk", "relation": "citing"}]}], **claim_fields}]}
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_demo_file_imports_and_importing_it_again_records_nothing(app):
    first = run_import(app, DEMO)
    assert first.exit_code == 0, first.output
    assert first.output == ("imported seed-digest.yaml: recorded 36 sources, 48 claims, 0 reports, 2 links; "
                            "0 already present\n")
    count = events_in(app)
    again = run_import(app, DEMO)
    assert again.exit_code == 0 and again.output.endswith("recorded 0 sources, 0 claims, 0 reports, 0 links; "
                                                          "86 already present\n")
    assert events_in(app) == count


def test_imported_events_name_the_actor(app, tmp_path):
    assert run_import(app, small_file(tmp_path), actor="kim@newsroom").exit_code == 0
    with get_database(app).session() as session:
        every_event = eventstore.read_types(session, eventstore.event_types.names())
        assert {event.actor for event in every_event} == {"kim@newsroom"}


def test_a_bad_file_exits_non_zero_names_every_problem_and_writes_nothing(app, tmp_path):
    path = small_file(tmp_path, summary="", said_on="in October", speaker="tim")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert result.output == (
        "Error: nothing was imported from small.json:\n"
        "  claims[0] 'ties': speaker: no source with key 'tim' in this file\n"
        "  claims[0] 'ties': summary: May not be blank.\n"
        f"  claims[0] 'ties': said_on: 'in October' is not a date factlog can read. {DATE_HELP}\n")
    assert events_in(app) == 0


def test_a_refusal_halfway_through_rolls_back_everything_already_written(app, tmp_path):
    path = tmp_path / "dupes.yaml"
    path.write_text("format: factlog-import/1\nnamespace: dupes\nsources:\n"
                    "  - {key: lewis, kind: person, name: Jeffery Lewis}\n"
                    "  - {key: lewis-again, kind: person, name: Jeffrey Lewis}\n", encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 1
    assert ("sources[1] 'lewis-again': 'Jeffrey Lewis' looks like a source already recorded: "
            "Jeffery Lewis") in result.output
    assert events_in(app) == 0


def test_a_record_changed_since_it_was_imported_is_refused_not_silently_skipped(app, tmp_path):
    assert run_import(app, small_file(tmp_path)).exit_code == 0
    count = events_in(app)
    result = run_import(app, small_file(tmp_path, summary="The Houthis and Moscow signed contracts."))
    assert result.exit_code == 1
    assert ("is already recorded; the record was imported before with different content, and an import "
            "never rewrites what is recorded: correct it instead") in result.output
    assert events_in(app) == count


def test_a_file_can_refer_to_a_source_already_recorded(app, tmp_path):
    assert run_import(app, small_file(tmp_path)).exit_code == 0
    path = tmp_path / "more.yaml"
    path.write_text("format: factlog-import/1\nnamespace: more\nsources:\n"
                    "  - {key: envoy, existing: Tim Lenderking}\n"
                    "  - {key: rs, kind: outlet, name: Responsible Statecraft}\n"
                    "claims:\n  - key: contracts\n    summary: The Houthis seek contracts.\n"
                    "    speaker: envoy\n    cue: said\n    reports: [{chain: [{source: rs}]}]\n",
                    encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    with get_database(app).session() as session:
        speakers = {claim.speaker_id for claim in claims.load_claims(session)}
    assert len(speakers) == 1


@pytest.mark.parametrize("missing", ["nope.yaml"])
def test_a_missing_file_is_a_usage_error(app, tmp_path, missing):
    result = run_import(app, tmp_path / missing)
    assert result.exit_code == 2 and "does not exist" in result.output
