"""The import file format: checked whole before anything is written; problems named by record and field."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from factlog.claims.dates import FORMAT_HELP as DATE_HELP
from factlog.importer.file_format import FORMAT, ImportFileError, build_plan, read_file

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "factlog" / "demo" / "seed-digest.yaml"
SEED_TEXT = (ROOT / "tests" / "fixtures" / "qiosk-diplomacy-watch.txt").read_text(encoding="utf-8")


def minimal(**sections):
    data = {"format": FORMAT, "namespace": "test-file",
            "sources": [{"key": "qiosk", "kind": "outlet", "name": "QiOSK"},
                        {"key": "rudenko", "kind": "person", "name": "Andrey Rudenko"}],
            "claims": [{"key": "warning", "summary": "Relations would be destroyed.", "speaker": "rudenko",
                        "cue": "said", "reports": [{"chain": [{"source": "qiosk", "relation": "quoting"}]}]}]}
    data.update(sections)
    return data


def problems(data):
    with pytest.raises(ImportFileError) as caught:
        build_plan(data)
    return caught.value.problems


def test_ids_and_idempotency_keys_are_the_same_every_time_the_file_is_read():
    first, second = build_plan(minimal()), build_plan(minimal())
    commands = [[s.command for s in plan.sources + plan.claims] for plan in (first, second)]
    assert commands[0] == commands[1]
    assert [s.idempotency_key for s in first.claims] == [s.idempotency_key for s in second.claims]


def test_a_changed_record_gets_a_new_idempotency_key_but_keeps_its_id():
    changed = minimal()
    changed["claims"][0]["summary"] = "Relations would be fully destroyed."
    before, after = build_plan(minimal()).claims[0], build_plan(changed).claims[0]
    assert before.command.claim_id == after.command.claim_id
    assert before.idempotency_key != after.idempotency_key


def test_the_yaml_reader_keeps_dates_as_text_so_their_precision_survives(tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text("said_on: 2024-11-25\nmonth: 2024-10\nyear: 2025\n", encoding="utf-8")
    assert read_file(path) == {"said_on": "2024-11-25", "month": "2024-10", "year": 2025}


@pytest.mark.parametrize("content, suffix, message", [
    ("format: [", ".yaml", "bad.yaml is not valid YAML"),
    ("{", ".json", "bad.json is not valid JSON"),
    ("- a list", ".yaml", "bad.yaml: the file must be a mapping with format, namespace, sources, claims"),
])
def test_an_unreadable_file_is_refused_saying_why(tmp_path, content, suffix, message):
    path = tmp_path / f"bad{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert caught.value.problems[0].startswith(message)


def test_the_format_and_namespace_are_required():
    assert problems({"claims": [], "extra": 1}) == [
        "unknown top-level field(s): extra", "format: must be 'factlog-import/1'",
        "namespace: required, lowercase letters, digits, '.', '_' or '-' (e.g. 'qiosk-2024-11')"]


def test_every_problem_is_named_by_record_and_field():
    data = minimal()
    data["sources"].append({"key": "qiosk", "kind": "outlet", "name": "Again"})
    data["sources"].append({"key": "anon", "kind": "unnamed", "colour": "red"})
    data["claims"].append({"key": "bad", "summary": "", "speaker": "ghost", "cue": "said",
                           "quote": "x" * 2001, "said_on": "last week",
                           "reports": [{"chain": [{"source": "qiosk", "url": "javascript:x"},
                                                  {"publication": "p"}]}],
                           "links": [{"relation": "refutes", "claim": "warning"}, {"relation": "denies",
                                                                                 "claim": "nope"}]})
    data["claims"].append({"key": "no-report", "summary": "x", "speaker": "qiosk", "cue": "said"})
    assert problems(data) == [
        "sources[2] 'qiosk': key: used twice in sources",
        "sources[3] 'anon': colour: unknown field",
        "claims[1] 'bad': reports[0].chain[1]: publication: no publication with that key in this file",
        "claims[1] 'bad': speaker: no source with key 'ghost' in this file",
        "claims[1] 'bad': summary: May not be blank.",
        "claims[1] 'bad': quote: A quote is at most 2000 characters; quote the part that carries the claim.",
        f"claims[1] 'bad': said_on: 'last week' is not a date factlog can read. {DATE_HELP}",
        "claims[1] 'bad': reports[0].chain[0].url: Not a valid http or https URL.",
        "claims[1] 'bad': links[0]: relation: Must be one of: denies, contradicts, supports, same_as.",
        "claims[1] 'bad': links[1]: claim: no claim with key 'nope' in this file",
        "claims[2] 'no-report': reports: a claim needs at least one report (its chain)",
    ]


def test_a_reference_to_an_existing_source_must_find_exactly_that_source():
    recorded = {"QiOSK": uuid.uuid4()}
    data = minimal(sources=[{"key": "qiosk", "existing": "QiOSK"}, {"key": "rudenko", "existing": "Rudenko"}])
    with pytest.raises(ImportFileError) as caught:
        build_plan(data, recorded.get)
    assert caught.value.problems == ["sources[1] 'rudenko': existing: no recorded source is named 'Rudenko'"]
    data["sources"][1] = {"key": "rudenko", "kind": "person", "name": "Andrey Rudenko"}
    plan = build_plan(data, recorded.get)
    assert plan.claims[0].command.report.links[0].source_id == recorded["QiOSK"] and plan.existing == {
        "qiosk": "QiOSK"}


def test_the_demo_file_is_valid_and_covers_every_section_of_the_seed():
    plan = build_plan(read_file(DEMO))
    headlines = {step.command.report.links[0].headline for step in plan.claims}
    assert headlines == {
        "Diplomacy Watch: Will South Korea give weapons to Ukraine?",
        "Iran says ‘no ship is allowed to pass’ Strait of Hormuz: Reports",
        "Flattery is for fools: Can Euros stand up to Trump — and win?",
        "Gen Z doesn't have the same hang-ups about Iran as older Americans",
    }
    briefing = [s for s in plan.claims if any(link.as_written == "State Department Briefing on Nov. 25"
                                              for link in s.command.report.links)]
    assert len(briefing) == 4
    assert len(plan.claims) >= 45 and len(plan.links) == 2


def test_every_quoted_passage_of_the_seed_is_a_claims_quote_byte_for_byte():
    plan = build_plan(read_file(DEMO))
    quotes = {step.command.quote for step in plan.claims if step.command.quote}
    passages = set(re.findall(r"“([^“”]*)”", SEED_TEXT))
    assert len(passages) == 17 and quotes == passages


def test_every_name_as_written_in_the_demo_appears_in_the_seed_text():
    data = read_file(DEMO)
    for claim in data["claims"]:
        if "speaker_as_written" in claim:
            assert claim["speaker_as_written"] in SEED_TEXT, claim["key"]
    assert "Volodomir Zelenskyy" in SEED_TEXT and "Jeffery Lewis" in SEED_TEXT
