"""CSV rows -> the import plan, without a database: every kind of problem is named by row and column."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path

import pytest

from factlog.claims import RecordClaim, dates, written_dates
from factlog.claims.dates import DateError
from factlog.importer.csv_report import RowProblem
from factlog.importer.csv_rows import COLUMNS, build_csv_plan, read_rows
from factlog.sources import RegisterSource
from factlog.sources.index import SourceIndex
from factlog.sources.source import Source

SAMPLE = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "claims.csv"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "qiosk-diplomacy-watch.txt"


def source(name: str, kind: str = "person", *aliases: str) -> Source:
    return Source(uuid.uuid4(), kind, name, None, aliases, None, (), None, version=1)


QIOSK, NYT = source("QiOSK", "outlet"), source("The New York Times", "outlet", "the Times")
RUDENKO, MOSCOW_1, MOSCOW_2 = source("Andrey Rudenko"), source("Moscow", "government_body"), \
    source("Moscow", "organization")
INDEX = SourceIndex({s.source_id: s for s in (QIOSK, NYT, RUDENKO, MOSCOW_1, MOSCOW_2)})
HEADER = ["speaker", "summary", "cue", "outlet", "outlet relation"]


def csv_text(*rows: dict, header=HEADER, newline="\r\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def rudenko(**cells) -> dict:
    return {"speaker": "Andrey Rudenko", "summary": "Weapons would destroy relations.", "cue": "said",
            "outlet": "QiOSK", "outlet relation": "quoting", **cells}


def plan_of(text: str | bytes, index: SourceIndex = INDEX):
    rows, problems = read_rows(text)
    assert problems == []
    return build_csv_plan(rows, index)


def problems_of(text: str | bytes, index: SourceIndex = INDEX) -> list[str]:
    rows, problems = read_rows(text)
    return [str(problem) for problem in problems + (build_csv_plan(rows, index).problems if rows else [])]


def only_claim(text: str | bytes) -> RecordClaim:
    built = plan_of(text)
    assert built.problems == []
    [step] = built.plan.claims
    return step.command


def test_a_row_becomes_a_claim_checked_by_the_commands_schema():
    header = HEADER + ["role", "quote", "said on", "topics", "url", "published on", "headline", "note"]
    claim = only_claim(csv_text(rudenko(**{
        "role": "Russian Deputy Foreign Minister", "quote": "Seoul must realize …,", "said on": "2024-11",
        "topics": "russia; south-korea ;", "url": "https://example.org/a", "published on": "2024-11-28",
        "headline": "Diplomacy Watch", "note": "An editor's caveat."}), header=header))
    assert (claim.speaker_id, claim.cue, claim.speaker_role) == (RUDENKO.source_id, "said",
                                                                 "Russian Deputy Foreign Minister")
    assert claim.quote == "Seoul must realize …," and claim.topics == ("russia", "south-korea")
    assert claim.said_on.precision is dates.Precision.MONTH and claim.said_on.value == "2024-11"
    [link] = claim.report.links
    assert (link.source_id, link.relation, link.url, str(link.published_on)) == (
        QIOSK.source_id, "quoting", "https://example.org/a", "28 November 2024")


def test_the_same_file_gives_the_same_ids_and_idempotency_keys_and_another_row_order_too():
    first, second = (rudenko(), rudenko(summary="Another claim."))
    one, two = plan_of(csv_text(first, second)).plan, plan_of(csv_text(second, first)).plan
    assert sorted(s.idempotency_key for s in one.claims) == sorted(s.idempotency_key for s in two.claims)
    assert {s.command.claim_id for s in one.claims} == {s.command.claim_id for s in two.claims}


def test_via_names_the_chain_between_outlet_and_speaker_with_relations_and_aliases_as_written():
    claim = only_claim(csv_text(rudenko(speaker="Andrey Rudenko", via="the Times [citing]", quote="x",
                                        **{"quote source": "The New York Times"}),
                                header=HEADER + ["via", "quote", "quote source"]))
    outlet, times = claim.report.links
    assert (outlet.source_id, outlet.relation) == (QIOSK.source_id, "quoting")
    assert (times.source_id, times.relation, times.as_written) == (NYT.source_id, "citing", "the Times")
    assert claim.quote_source_id == NYT.source_id


def test_a_speaker_that_publishes_is_the_last_via_link_without_a_relation():
    claim = only_claim(csv_text(rudenko(speaker="the Times", via="The New York Times",
                                        **{"outlet relation": "citing"}), header=HEADER + ["via"]))
    assert claim.speaker_id == NYT.source_id and claim.speaker_as_written == "the Times"
    assert [(link.source_id, link.relation) for link in claim.report.links] == [
        (QIOSK.source_id, "citing"), (NYT.source_id, None)]


def test_new_sources_are_registered_once_and_other_rows_may_name_them():
    header = HEADER + ["new source kind", "new source aliases", "new outlet kind", "via"]
    built = plan_of(csv_text(
        rudenko(speaker="Nick Brown", outlet="Responsible Statecraft", via="Janes [citing]",
                **{"new source kind": "person", "new outlet kind": "outlet"}),
        rudenko(speaker="Janes", summary="Janes says so.", **{"new source kind": "organization",
                                                              "new source aliases": "Janes Ltd"}),
        rudenko(speaker="Nick Brown", summary="Another.", outlet="janes ltd",
                **{"new source kind": "person", "outlet relation": ""}),
        header=header))
    assert built.problems == []
    registered = [step.command for step in built.plan.sources]
    assert all(isinstance(command, RegisterSource) for command in registered)
    assert sorted((c.kind, c.name, c.aliases) for c in registered) == [
        ("organization", "Janes", ("Janes Ltd",)), ("outlet", "Responsible Statecraft", ()),
        ("person", "Nick Brown", ())]
    ids = {command.name: command.source_id for command in registered}
    claims = [step.command for step in built.plan.claims]
    assert claims[0].report.links[1].source_id == ids["Janes"]
    assert claims[2].speaker_id == ids["Nick Brown"] and claims[2].report.links[0].as_written == "janes ltd"


def test_an_unnamed_speaker_is_described_by_the_speaker_cell_and_never_matched_by_name():
    unnamed = Source(uuid.uuid4(), "unnamed", None, "experts", (), None, (), None, version=1)
    index = SourceIndex({**{s.source_id: s for s in (QIOSK,)}, unnamed.source_id: unnamed})
    built = plan_of(csv_text(rudenko(speaker="experts", **{"new source kind": "unnamed"}),
                             header=HEADER + ["new source kind"]), index)
    [registered] = [step.command for step in built.plan.sources]
    assert (registered.kind, registered.name, registered.description) == ("unnamed", None, "experts")
    assert registered.source_id != unnamed.source_id


@pytest.mark.parametrize("cells, header, expected", [
    ({"speaker": "Andrei Rudenkov"}, HEADER,
     ("row 2, speaker: no recorded source is named 'Andrei Rudenkov'; did you mean Andrey Rudenko (a close "
      "spelling, scoring 90 of 100)? Write its name or an alias; otherwise give new source kind to register it")),
    ({"speaker": "Tim Lenderking"}, HEADER,
     "row 2, speaker: no recorded source is named 'Tim Lenderking': give new source kind to register it"),
    ({"outlet": "Nowhere Daily"}, HEADER,
     "row 2, outlet: no recorded source is named 'Nowhere Daily': give new outlet kind to register it"),
    ({"speaker": "Moscow"}, HEADER, "row 2, speaker: 'Moscow' names 2 sources: Moscow (a government body); "
                                    "Moscow (an organization); use the full name"),
    ({"via": "Ghost [citing]"}, HEADER + ["via"],
     "row 2, via: no recorded source is named 'Ghost': register it first"),
    ({"via": "the Times [citing] > "}, HEADER + ["via"],
     "row 2, via: an empty step in 'the Times [citing] >': name a source between each '>'"),
    ({"via": "the Times [cited]"}, HEADER + ["via"],
     "row 2, via: Must be one of: citing, quoting, told, republishing."),
    ({"summary": ""}, HEADER, "row 2, summary: Required."),
    ({"summary": "   "}, HEADER, "row 2, summary: May not be blank."),
    ({"cue": "sayed"}, HEADER, "row 2, cue: Must be one of: said, told, reported, claimed, stated, denied, "
                               "estimated, warned, found, confirmed, questioned, could_not_confirm, "
                               "did_not_comment."),
    ({"outlet relation": "cited"}, HEADER, "row 2, outlet relation: Must be one of: citing, quoting, told, "
                                           "republishing."),
    ({"url": "javascript:alert(1)"}, HEADER + ["url"], "row 2, url: Not a valid http or https URL."),
    ({"said on": "in the autumn"}, HEADER + ["said on"],
     f"row 2, said on: 'in the autumn' is not a date factlog can read. {dates.FORMAT_HELP} "
     f"{written_dates.WRITTEN_HELP}"),
    ({"happened on": "last week"}, HEADER + ["happened on"],
     "row 2, happened on: 'last week' counts from the day it was published: give the published on date"),
    ({"published on": "2024-02-30"}, HEADER + ["published on"], "row 2, published on: '2024-02-30' is not a "
                                                                 "real date"),
    ({"topics": "russia; Russia"}, HEADER + ["topics"], "row 2, topics: Listed twice: Russia."),
    ({"key": "Not A Key"}, HEADER + ["key"],
     "row 2, key: required, lowercase letters, digits, '.', '_' or '-'"),
    ({"quote source": "the Times"}, HEADER + ["quote source"],
     "row 2, quote source: Only a claim with a quote can say whose words the quote is."),
    ({"new source kind": "alien", "speaker": "Zed"}, HEADER + ["new source kind"],
     "row 2, new source kind: Must be one of: person, organization, government_body, outlet, poll, "
     "document, collective, unnamed."),
    ({"new source kind": "outlet"}, HEADER + ["new source kind"],
     "row 2, new source kind: 'Andrey Rudenko' is already recorded as a person"),
    ({"new source kind": "collective", "speaker": "Seoul and Kyiv"}, HEADER + ["new source kind"],
     "row 2, new source kind: A collective names at least two member sources."),
    ({"new source kind": "person", "speaker": "Zed", "confirm new source": "maybe"},
     HEADER + ["new source kind", "confirm new source"], "row 2, confirm new source: yes or no"),
])
def test_every_problem_names_its_row_and_column(cells, header, expected):
    assert expected in problems_of(csv_text(rudenko(**cells), header=header))


def test_every_row_is_checked_and_every_problem_reported():
    problems = problems_of(csv_text(rudenko(cue="sayed"), rudenko(summary="Fine."),
                                    rudenko(summary="", speaker="Nobody")))
    assert [problem.split(":")[0] for problem in problems] == [
        "row 2, cue", "row 4, speaker", "row 4, summary"]


def test_a_row_repeated_in_the_file_is_a_problem_and_so_is_a_key_used_twice():
    assert "row 3: repeats row 2 (same speaker, summary, quote, outlet and url)" in problems_of(
        csv_text(rudenko(), rudenko()))
    assert "row 3, key: row 2 has the same key" in problems_of(
        csv_text(rudenko(key="k"), rudenko(key="k", summary="Other."), header=HEADER + ["key"]))


def test_a_source_registered_twice_with_different_kinds_is_a_problem():
    header = HEADER + ["new source kind"]
    assert "row 3, new source kind: row 2 registers 'Zed' as a person" in problems_of(csv_text(
        rudenko(speaker="Zed", **{"new source kind": "person"}),
        rudenko(speaker="Zed", summary="Other.", **{"new source kind": "organization"}), header=header))


@pytest.mark.parametrize("text, expected", [
    ("speaker,summary,cue,outlet,colour\r\n", ["row 1, colour: unknown column; the columns are: "
                                               + ", ".join(COLUMNS)]),
    ("speaker,summary,cue,Outlet,outlet\r\n", ["row 1, outlet: this column appears twice"]),
    ("speaker,summary\r\nA,B\r\n", ["row 1, cue: required column is missing",
                                    "row 1, outlet: required column is missing"]),
    ("", ["row 1: the file is empty: the first row names the columns (speaker, summary, cue, outlet, …)"]),
    ("speaker,summary,cue,outlet\r\n", ["row 1: no claims: the file has a header and no rows under it"]),
    ("speaker,summary,cue,outlet\r\nA,B,said,C,extra\r\n", ["row 2: has 5 cells but the header names 4 "
                                                            "columns"]),
])
def test_the_header_and_the_shape_of_rows_are_checked(text, expected):
    assert [str(problem) for problem in read_rows(text)[1]] == expected


def test_headers_are_matched_whatever_their_case_spaces_or_underscores():
    rows, problems = read_rows("Speaker,SUMMARY,cue,outlet,Outlet_Relation\r\nA,B,said,C,citing\r\n")
    assert problems == [] and rows[0].get("outlet relation") == "citing"


def test_a_byte_order_mark_and_crlf_line_ends_are_read_and_non_utf8_is_refused():
    text = csv_text(rudenko())
    assert only_claim(("\ufeff" + text).encode("utf-8")).speaker_id == RUDENKO.source_id
    assert only_claim(text.replace("\r\n", "\n")).speaker_id == RUDENKO.source_id
    rows, problems = read_rows(text.replace("Weapons", "Wéapons").encode("latin-1"))
    assert rows == [] and problems[0].row == 1 and "save the CSV as UTF-8" in problems[0].message


def test_a_quoted_cell_with_newlines_is_one_row_and_row_numbers_follow_the_spreadsheet():
    text = csv_text(rudenko(summary="First line,\r\nsecond line."), rudenko(summary="Next.", cue="sayed"))
    assert only_claim(csv_text(rudenko(summary="First line,\r\nsecond line."))).summary == \
        "First line,\nsecond line."
    assert problems_of(text)[0].startswith("row 3, cue:")


def test_blank_rows_are_skipped_but_counted_in_row_numbers():
    text = csv_text(rudenko(), {}, rudenko(summary="Next.", cue="sayed"))
    rows, _ = read_rows(text)
    assert [row.number for row in rows] == [2, 4]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1 555", "-2", "@SUM(A1)",
                                  "  spaced, “typographic” — quote…,  "])
def test_formula_like_and_padded_cells_are_stored_verbatim(cell):
    claim = only_claim(csv_text(rudenko(quote=cell, summary=cell), header=HEADER + ["quote"]))
    assert claim.quote == cell and claim.summary == cell


def test_dates_are_read_as_precisely_as_the_source_gives_them():
    published = dates.parse("2024-11-27..2024-12-01")
    read = {text: written_dates.read(text, published) for text in (
        "2024-10-03", "October 2024", "in October", "last week", "On Wednesday", "Nov. 25", "3 Oct 2024",
        "2024-11-18..2024-11-24", "~2024-11", "unknown")}
    assert {text: when.value for text, when in read.items()} == {
        "2024-10-03": "2024-10-03", "October 2024": "2024-10", "in October": "2024-10",
        "last week": "2024-11-18..2024-11-24", "On Wednesday": "2024-11-27", "Nov. 25": "2024-11-25",
        "3 Oct 2024": "2024-10-03", "2024-11-18..2024-11-24": "2024-11-18..2024-11-24",
        "~2024-11": "~2024-11", "unknown": "unknown"}
    assert read["in October"].as_written == "in October" and read["2024-10-03"].as_written is None
    assert read["October 2024"].start == date(2024, 10, 1) and read["October 2024"].end == date(2024, 10, 31)
    assert written_dates.read("yesterday", dates.parse("2024-11-27..2024-11-29")).value == \
        "2024-11-26..2024-11-28"


def test_relative_words_need_a_known_reference():
    with pytest.raises(DateError, match="counts from the day it was published"):
        written_dates.read("last week", dates.unknown())


def test_the_sample_file_is_valid_and_its_quotes_are_the_seeds_byte_for_byte():
    rows, problems = read_rows(SAMPLE.read_bytes())
    built = build_csv_plan(rows, SourceIndex())
    assert problems == [] and built.problems == [] and len(built.plan.claims) == len(rows) >= 8
    commands = [step.command for step in built.plan.claims]
    seed = SEED.read_text(encoding="utf-8")
    assert all(command.quote in seed for command in commands if command.quote)
    kinds = {step.command.kind for step in built.plan.sources}
    assert {"unnamed", "outlet", "person"} <= kinds  # an unnamed source, outlets citing outlets
    assert any(command.quote_source_id not in (None, command.speaker_id) for command in commands)  # indirect
    assert any(command.said_on.precision is dates.Precision.MONTH for command in commands)
    assert any(len(command.report.links) > 1 for command in commands)


def test_row_problems_read_as_row_then_column():
    assert str(RowProblem(4, "said on", "bad")) == "row 4, said on: bad"
    assert RowProblem(4, "", "bad").to_dict() == {"row": 4, "column": None, "message": "bad"}
