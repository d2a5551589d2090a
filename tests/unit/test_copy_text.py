"""COPY text lines for projector rows: the fast whole-chunk path and the per-value path agree, and escape
exactly what PostgreSQL's COPY text format needs escaped."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from factlog.readmodels.columns import JSONDocument
from workers import bulk

COLUMNS = [sa.Column("id", sa.String(36)), sa.Column("position", sa.BigInteger()),
           sa.Column("day", sa.Date()), sa.Column("first", sa.Boolean()), sa.Column("name", sa.Text()),
           sa.Column("card", JSONDocument)]


def row(name, card, **overrides):
    return {"id": "c-1", "position": 7, "day": date(2024, 10, 1), "first": True, "name": name,
            "card": card} | overrides


def per_value(rows):
    """The reference: every value escaped on its own."""
    encoders = [(column.name, bulk._encoder(column.type)) for column in COLUMNS]
    return "".join("\t".join([r"\N" if r[name] is None else encode(r[name]) for name, encode in encoders]) + "\n"
                   for r in rows)


def test_plain_rows_go_as_tab_separated_lines_with_nulls_and_iso_dates():
    rows = [row("Reuters", {"a": [1, "x"]}), row(None, None, first=False, day=None)]
    assert bulk.copy_text(COLUMNS, rows) == (
        'c-1\t7\t2024-10-01\tTrue\tReuters\t{"a":[1,"x"]}\n'
        "c-1\t7\t\\N\tFalse\t\\N\t\\N\n")


def test_backslashes_in_json_are_doubled_on_the_fast_path():
    rows = [row("Reuters", {"quote": 'he said "no"', "path": "a\\b"}), row(None, {"x": "\\N"})]
    text = bulk.copy_text(COLUMNS, rows)
    assert text == ('c-1\t7\t2024-10-01\tTrue\tReuters\t{"quote":"he said \\\\"no\\\\"","path":"a\\\\\\\\b"}\n'
                    'c-1\t7\t2024-10-01\tTrue\t\\N\t{"x":"\\\\\\\\N"}\n')
    assert text.replace("True", "t") == per_value(rows)


def test_a_backslash_in_text_sends_the_chunk_to_the_per_value_path():
    rows = [row("C:\\path", {"quote": 'he said "no"'}), row("lines \\N", None)]
    text = bulk.copy_text(COLUMNS, rows)
    assert text == per_value(rows)
    assert "C:\\\\path" in text and "lines \\\\N\t\\N\n" in text


def test_a_value_with_a_tab_newline_or_carriage_return_is_escaped_on_its_own():
    rows = [row("Reuters", {}), row("two\tcolumns\nand\rlines \\N", {"x": "tab\there"})]
    text = bulk.copy_text(COLUMNS, rows)
    assert text == per_value(rows)
    assert "two\\tcolumns\\nand\\rlines \\\\N" in text and text.count("\n") == 2


def test_a_nul_character_in_text_is_not_taken_for_null():
    rows = [row("nul\x00inside", {})]
    text = bulk.copy_text(COLUMNS, rows)
    assert "\tnul\x00inside\t" in text and "\\N" not in text  # PostgreSQL refuses it, as any NUL in text
    assert text.replace("True", "t") == per_value(rows)


def test_within_shared_json_one_object_written_to_several_tables_is_encoded_once(monkeypatch):
    encoded = []
    original = bulk._json_text
    monkeypatch.setattr(bulk, "_json_text", lambda value: encoded.append(value) or original(value))
    card, equal = {"claim": "c-1", "said_on": "2024"}, {"claim": "c-1", "said_on": "2024"}
    rows = [row("Reuters", card), row("AP", equal)]
    with bulk.shared_json():
        first = bulk.copy_text(COLUMNS, rows)
        assert bulk.copy_text(COLUMNS, rows[:1]) == first.splitlines(keepends=True)[0]
    assert encoded == [card, equal]  # the second table's card came from the first; an equal object is its own
    assert bulk.copy_text(COLUMNS, rows) == first
    assert len(encoded) == 4  # outside the block, nothing is kept
