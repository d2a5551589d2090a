"""CSV rows of claims, one claim with its attribution per row, turned into the import file's records.

Each row becomes a small import document (docs/import-format.md) checked by ``file_format.build_plan``,
so the same schemas and messages apply; its steps join one plan. Names in the speaker, outlet, via and
quote source columns are matched to recorded sources by name or alias, or to a source a row of the file
registers (``new source kind``, ``new outlet kind``). Every problem is kept with its row and column.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass, field, replace

from factlog.claims import written_dates
from factlog.claims.dates import DateError, PreciseDate
from factlog.importer.csv_report import HEADER_ROW, RowProblem, claim_problem, source_problem
from factlog.importer.file_format import (
    FORMAT,
    PLACEHOLDER_ID,
    ImportFileError,
    ImportPlan,
    Step,
    build_plan,
    record_id,
)
from factlog.sources.duplicates import find_likely_duplicates
from factlog.sources.index import SourceIndex
from factlog.sources.source import KINDS, UNNAMED

DEFAULT_NAMESPACE = "csv"
TOPIC_SEPARATOR = ";"
VIA_SEPARATOR = ">"
# Column -> what it holds; the order is the sample's and the docs'.
COLUMNS = {
    "key": "optional: the claim's own key (lowercase letters, digits, '.', '_', '-'); without it the row's "
           "speaker, summary, quote, outlet and url make the key",
    "speaker": "who made the claim: a recorded source's name or alias, or a new source (new source kind)",
    "new source kind": "register the speaker: " + ", ".join(KINDS) + " (unnamed: the speaker cell "
                       "describes it)",
    "new source aliases": "other names the new speaker goes by, separated by ';'",
    "new source affiliation": "the new speaker's organization, by name",
    "confirm new source": "yes: register the new speaker or outlet although its name is close to a "
                          "recorded one",
    "role": "the speaker's role when the claim was made",
    "speaker as written": "how the publication named the speaker (default: the speaker cell when it is an "
                          "alias)",
    "summary": "what was asserted, in neutral words (the paraphrase)",
    "quote": "the verbatim words, exactly as published",
    "quote source": "whose words the quote is, when not the speaker's (a source of the chain)",
    "cue": "said, told, reported, claimed, stated, denied, estimated, warned, found, confirmed, questioned, "
           "could not confirm, did not comment",
    "said on": "when it was said, as the source gives it: 2024-10-03, 2024-10, October 2024, last week, …",
    "happened on": "when what it describes happened, as for said on",
    "topics": "topics separated by ';'",
    "note": "the editor's caveat",
    "outlet": "the publication the claim was read in, by name or alias",
    "new outlet kind": "register the outlet (usually: outlet)",
    "outlet relation": "how the outlet attributes the claim: citing, quoting, told, republishing; empty "
                       "when the outlet is the speaker",
    "headline": "the headline of the outlet's article",
    "url": "the outlet's article (http or https)",
    "published on": "when the outlet published it; relative dates count from it",
    "via": "the sources between the outlet and the speaker, in order, separated by '>', each with its "
           "relation in brackets: 'The New York Times [citing]'; the speaker itself last, without one, when "
           "it published the claim",
}
REQUIRED = ("speaker", "summary", "cue", "outlet")
YES, NO = frozenset({"yes", "y", "true", "1", "x"}), frozenset({"", "no", "n", "false", "0"})
_VIA_ITEM = re.compile(r"^(?P<name>.*?)\s*(?:\[\s*(?P<relation>[^\]]*?)\s*\])?$", re.DOTALL)
_MISSING = "Missing data for required field."


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    cells: dict[str, str]  # column -> the cell's text, '' when empty

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def name(self, column: str) -> str:
        return " ".join(self.get(column).split())


@dataclass
class CsvPlan:
    """The import plan of the whole file, where each step came from, and the problems found so far."""

    plan: ImportPlan
    origins: dict[str, tuple[int, str]] = field(default_factory=dict)  # idempotency key -> (row, column)
    problems: list[RowProblem] = field(default_factory=list)


def normalize_column(name: str) -> str:
    """"Said_On " -> "said on": headers are matched whatever their case, spaces or underscores."""
    return " ".join(name.replace("_", " ").split()).casefold()


def read_rows(data: bytes | str) -> tuple[list[CsvRow], list[RowProblem]]:
    """Decode (UTF-8, with or without a byte-order mark) and split into rows; header and shape problems."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return [], [RowProblem(HEADER_ROW, "", f"the file is not UTF-8 text ({error.reason} at byte "
                                                   f"{error.start}): save the CSV as UTF-8")]
    data = data.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(data, newline=""))
    problems: list[RowProblem] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [RowProblem(HEADER_ROW, "", f"not a readable CSV header: {error}")]
    if not header or not any(cell.strip() for cell in header):
        return [], [RowProblem(HEADER_ROW, "", "the file is empty: the first row names the columns ("
                                               + ", ".join(REQUIRED) + ", …)")]
    columns = [normalize_column(cell) for cell in header]
    problems.extend(_header_problems(header, columns))
    rows: list[CsvRow] = []
    number = HEADER_ROW
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(RowProblem(number, "", f"not readable as CSV: {error}"))
            break
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
            problems.append(RowProblem(number, "", f"has {len(cells)} cells but the header names "
                                                   f"{len(columns)} columns"))
            continue
        rows.append(CsvRow(number, {column: cell.replace("\r\n", "\n")
                                    for column, cell in zip(columns, cells) if column in COLUMNS}))
    if not rows and not problems:
        problems.append(RowProblem(HEADER_ROW, "", "no claims: the file has a header and no rows under it"))
    return rows, problems


def _header_problems(header: list[str], columns: list[str]) -> list[RowProblem]:
    problems, seen = [], set()
    for text, column in zip(header, columns):
        if column not in COLUMNS:
            problems.append(RowProblem(HEADER_ROW, text, "unknown column; the columns are: "
                                                         + ", ".join(COLUMNS)))
        elif column in seen:
            problems.append(RowProblem(HEADER_ROW, text, "this column appears twice"))
        seen.add(column)
    problems.extend(RowProblem(HEADER_ROW, column, "required column is missing")
                    for column in REQUIRED if column not in seen)
    return problems


@dataclass
class _NewSource:
    key: str
    source_id: uuid.UUID
    kind: str
    text: str
    row: int
    column: str  # "speaker" or "outlet": the cell that names it


class _Names:
    """Names in the file -> source ids: recorded sources by name or alias, and those the file registers."""

    def __init__(self, index: SourceIndex, namespace: str):
        self.index, self.namespace = index, namespace
        self.new: dict[str, _NewSource] = {}

    def register(self, row: CsvRow, column: str, kind_column: str, problems: list[RowProblem]) -> None:
        """Note the source a row registers in ``column`` (first row wins); a clash is a problem."""
        text, kind = row.name(column), _word(row.get(kind_column))
        if not kind or not text:
            return
        if kind not in KINDS:
            problems.append(RowProblem(row.number, kind_column, f"Must be one of: {', '.join(KINDS)}."))
            return
        earlier = self.new.get(text.casefold())
        if earlier is not None:
            if earlier.kind != kind:
                problems.append(RowProblem(row.number, kind_column,
                                           f"row {earlier.row} registers {text!r} as {_kind(earlier.kind)}"))
            return
        if kind != UNNAMED:  # unnamed sources are never matched to recorded ones
            found = self.index.named(text)
            if len(found) == 1:
                if found[0].kind != kind:
                    problems.append(RowProblem(row.number, kind_column, f"{text!r} is already recorded as "
                                                                        f"{_kind(found[0].kind)}"))
                return  # recorded already (by an earlier import of this file, or otherwise): used as it is
            if len(found) > 1:
                return  # reported as ambiguous where the name is looked up
        key = _source_key(text, kind)
        new = _NewSource(key, record_id(self.namespace, "source", key), kind, text, row.number, column)
        self.new[text.casefold()] = new
        if column == "speaker":
            for alias in _aliases(row):
                self.new.setdefault(alias.casefold(), new)

    def lookup(self, text: str) -> tuple[uuid.UUID | None, str, str | None]:
        """(id, display name, problem): the source a name means, or why it means none."""
        new = self.new.get(text.casefold())
        if new is not None:
            return new.source_id, new.text, None
        found = self.index.named(text)
        if len(found) == 1:
            return found[0].source_id, found[0].display_name, None
        if found:
            names = "; ".join(f"{source.display_name} ({_kind(source.kind)})" for source in found)
            return None, text, f"{text!r} names {len(found)} sources: {names}; use the full name"
        meant = find_likely_duplicates(self.index, None, [text])
        if meant:
            return None, text, (f"no recorded source is named {text!r}; did you mean {meant[0].display_name} "
                                f"({meant[0].why()})? Write its name or an alias")
        return None, text, f"no recorded source is named {text!r}"


def build_csv_plan(rows: list[CsvRow], index: SourceIndex, namespace: str = DEFAULT_NAMESPACE) -> CsvPlan:
    """Check every row and build the whole file's plan; rows with problems contribute no claim."""
    result = CsvPlan(ImportPlan(namespace))
    names = _Names(index, namespace)
    for row in rows:
        names.register(row, "speaker", "new source kind", result.problems)
        names.register(row, "outlet", "new outlet kind", result.problems)
    claim_rows: dict[str, int] = {}
    for row in rows:
        _RowBuilder(row, names, result, claim_rows).build()
    # A source affiliated to another the file registers comes after it.
    result.plan.sources.sort(key=lambda step: step.command.affiliation_id is not None)
    return result


class _RowBuilder:
    """One row -> one import document -> its steps, or its problems by column."""

    def __init__(self, row: CsvRow, names: _Names, result: CsvPlan, claim_rows: dict[str, int]):
        self.row, self.names, self.result, self.claim_rows = row, names, result, claim_rows
        self.problems: list[RowProblem] = []
        self.records: dict[uuid.UUID, dict] = {}  # source id -> its record in this row's document
        self.columns: list[str] = []  # the column each source record came from, in order
        self.existing: dict[str, uuid.UUID] = {}

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.row.number, column, message))

    def build(self) -> None:
        row = self.row
        claim = {"key": self.claim_key()}
        for column, name in (("summary", "summary"), ("quote", "quote"), ("role", "speaker_role"),
                             ("note", "note")):
            if row.get(column) != "":
                claim[name] = row.get(column)
        claim["speaker"] = self.source_ref("speaker", "give new source kind to register it")
        as_written = row.get("speaker as written") or self.as_written("speaker")
        if as_written:
            claim["speaker_as_written"] = as_written
        if row.name("quote source"):
            claim["quote_source"] = self.source_ref("quote source", "it should be a source of the chain")
        if row.get("cue").strip():
            claim["cue"] = _word(row.get("cue"))
        published = self.date("published on", None)
        for column, name in (("said on", "said_on"), ("happened on", "happened_on")):
            when = self.date(column, published)
            if when is not None:
                claim[name] = when.to_dict()
        topics = [topic.strip() for topic in row.get("topics").split(TOPIC_SEPARATOR) if topic.strip()]
        if topics:
            claim["topics"] = topics
        claim["reports"] = [{"chain": [self.outlet_link(published), *self.via_links()]}]
        self.check_repeat(claim["key"])
        self.apply(claim)

    def claim_key(self) -> str:
        key = self.row.get("key").strip()
        if key:
            return key
        identity = [self.row.name("speaker").casefold(), self.row.get("summary"), self.row.get("quote"),
                    self.row.name("outlet").casefold(), self.row.get("url").strip()]
        return "row-" + hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()[:20]

    def check_repeat(self, key: str) -> None:
        first = self.claim_rows.setdefault(key, self.row.number)
        if first == self.row.number:
            return
        if self.row.get("key").strip():
            self.problem("key", f"row {first} has the same key")
        else:
            self.problem("", f"repeats row {first} (same speaker, summary, quote, outlet and url)")

    def source_ref(self, column: str, hint: str, text: str | None = None) -> str | None:
        """The key of the record for the source a cell names in this row's document."""
        text = self.row.name(column) if text is None else " ".join(text.split())
        if not text:
            if column in ("speaker", "outlet"):
                self.problem(column, "Required.")
            return None
        source_id, _, problem = self.names.lookup(text)
        if problem is not None:
            if problem.startswith("no recorded"):
                problem = f"{problem}; otherwise {hint}" if problem.endswith("alias") else f"{problem}: {hint}"
            self.problem(column, problem)
            source_id = PLACEHOLDER_ID
        if source_id not in self.records:
            self.records[source_id] = self.record_for(source_id, text)
            self.columns.append(column)
        return self.records[source_id]["key"]

    def record_for(self, source_id: uuid.UUID, text: str) -> dict:
        new = next((new for new in self.names.new.values() if new.source_id == source_id), None)
        if new is None or new.row != self.row.number:
            key = f"ref-{len(self.records)}"
            self.existing[text] = source_id
            return {"key": key, "existing": text}
        record = {"key": new.key, "kind": new.kind}
        record["description" if new.kind == UNNAMED else "name"] = new.text
        if new.column == "speaker" and _aliases(self.row):
            record["aliases"] = _aliases(self.row)
        if new.column == "speaker" and self.row.name("new source affiliation"):
            record["affiliation"] = self.source_ref("new source affiliation", "register it first",
                                                    self.row.name("new source affiliation"))
        confirm = self.row.get("confirm new source").strip().casefold()
        if confirm in YES:
            record["confirm_new"] = True
        elif confirm not in NO:
            self.problem("confirm new source", "yes or no")
        return record

    def as_written(self, column: str, text: str | None = None) -> str | None:
        """The cell's name when it is not the source's own (an alias, another spelling)."""
        text = self.row.name(column) if text is None else text
        if not text:
            return None
        _, display, problem = self.names.lookup(text)
        return text if problem is None and text != display else None

    def date(self, column: str, reference: PreciseDate | None) -> PreciseDate | None:
        if not self.row.get(column).strip():
            return None
        try:
            return written_dates.read(self.row.get(column), reference)
        except DateError as error:
            self.problem(column, str(error))
            return None

    def outlet_link(self, published: PreciseDate | None) -> dict:
        link = {"source": self.source_ref("outlet", "give new outlet kind to register it")}
        relation = _word(self.row.get("outlet relation"))
        if relation:
            link["relation"] = relation
        for column in ("url", "headline"):
            if self.row.get(column).strip():
                link[column] = self.row.get(column).strip()
        if published is not None:
            link["published_on"] = published.to_dict()
        as_written = self.as_written("outlet")
        if as_written:
            link["as_written"] = as_written
        return link

    def via_links(self) -> list[dict]:
        links = []
        text = self.row.get("via").strip()
        for item in (text.split(VIA_SEPARATOR) if text else []):
            match = _VIA_ITEM.match(item.strip())
            name = " ".join(match["name"].split())
            if not name:
                self.problem("via", f"an empty step in {text!r}: name a source between each "
                                    f"'{VIA_SEPARATOR}'")
                continue
            link = {"source": self.source_ref("via", "register it first", name)}
            if match["relation"] is not None:
                link["relation"] = _word(match["relation"])
            as_written = self.as_written("via", name)
            if as_written:
                link["as_written"] = as_written
            links.append(link)
        return links

    def apply(self, claim: dict) -> None:
        """Check the row's new sources, then its claim, with the import file's rules; add their steps.

        The sources go first and alone, so that a source is registered (and rows naming it are checked
        against it) even when this row's claim has a problem.
        """
        namespace = self.result.plan.namespace
        where = f"row {self.row.number}"
        keys = [record["key"] for record in self.records.values()]
        if any("kind" in record for record in self.records.values()):
            sources = self.plan({"format": FORMAT, "namespace": namespace,
                                 "sources": list(self.records.values())},
                                lambda text: self.existing.get(text, PLACEHOLDER_ID))
            for step in sources.sources if sources else ():
                column = self.columns[keys.index(step.where.split("'")[1])]
                self.add(self.result.plan.sources, replace(step, where=where), column)
        references = [{"key": record["key"], "existing": str(source_id)}
                      for source_id, record in self.records.items()]
        claims = self.plan({"format": FORMAT, "namespace": namespace, "sources": references,
                            "claims": [claim]}, uuid.UUID)
        self.result.problems.extend(self.problems)
        if claims is not None and not self.problems:
            for step in claims.claims:
                self.add(self.result.plan.claims, replace(step, where=where), "")

    def plan(self, document: dict, existing_ids) -> ImportPlan | None:
        try:
            return build_plan(document, existing_ids)
        except ImportFileError as error:
            self.problems.extend(self.file_problem(problem) for problem in error.problems)
            return None

    def add(self, steps: list[Step], step: Step, column: str) -> None:
        steps.append(step)
        self.result.origins[step.idempotency_key] = (self.row.number, column)

    def file_problem(self, problem: str) -> RowProblem:
        if problem.startswith("sources["):
            position = int(problem[len("sources["):problem.index("]")])
            found = source_problem(self.row.number, problem, self.columns[position])
        else:
            found = claim_problem(self.row.number, problem)
        return replace(found, message="Required.") if found.message == _MISSING else found


def _aliases(row: CsvRow) -> list[str]:
    return [" ".join(alias.split()) for alias in row.get("new source aliases").split(TOPIC_SEPARATOR)
            if alias.strip()]


def _word(cell: str) -> str:
    """"Could not confirm" -> "could_not_confirm": cues, kinds and relations as the schemas spell them."""
    return "_".join(cell.split()).casefold()


def _kind(kind: str) -> str:
    words = kind.replace("_", " ")
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"


def _source_key(text: str, kind: str) -> str:
    """A new source's key: readable, and the same for the same name and kind in every import."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:50] or "source"
    digest = hashlib.sha256(f"{kind}/{text.casefold()}".encode()).hexdigest()[:10]
    return f"{slug}-{digest}"
