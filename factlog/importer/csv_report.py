"""A CSV import's problems by row and column, and what it recorded (or would record, in a dry run).

Row numbers are a spreadsheet's: the header is row 1, the first claim row 2 (a quoted cell spanning several
lines is still one row). Messages from the import file's checks and the domain's rules are mapped back to
the column the editor typed the value in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

HEADER_ROW = 1

# The import file's claim fields -> CSV columns (file_format's messages use the file's names).
CLAIM_COLUMNS = {
    "key": "key", "summary": "summary", "quote": "quote", "quote_source": "quote source",
    "speaker": "speaker", "speaker_role": "role", "speaker_as_written": "speaker as written", "cue": "cue",
    "said_on": "said on", "happened_on": "happened on", "topics": "topics", "note": "note", "claim_id": "key",
}
# Fields of the chain's first link, the publication the claim was read in.
OUTLET_COLUMNS = {"source": "outlet", "as_written": "outlet", "relation": "outlet relation", "url": "url",
                  "headline": "headline", "published_on": "published on"}
# A new source's fields -> the columns that describe it.
SOURCE_COLUMNS = {"kind": "new source kind", "members": "new source kind", "aliases": "new source aliases",
                  "affiliation": "new source affiliation", "confirm_new": "confirm new source"}
# Domain refusals name a command field.
DOMAIN_COLUMNS = {"speaker_id": "speaker", "quote_source_id": "quote source", "report": "via",
                  "report_id": "via", "claim_id": "key", "source_id": "speaker"}
_PATH = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$")
_CHAIN = re.compile(r"^reports\[0\]\.chain(?:\[(\d+)\](?:\.([a-z_]+))?)?$")


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int
    column: str  # "" when the problem is about the whole row or file
    message: str

    def __str__(self) -> str:
        return f"row {self.row}" + (f", {self.column}" if self.column else "") + f": {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column or None, "message": self.message}


@dataclass
class CsvReport:
    """Every problem found, or (when there is none) what was recorded: nothing at all in a dry run."""

    rows: int = 0
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)
    recorded: dict[str, int] = field(default_factory=dict)
    already_present: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_recorded(self) -> int:
        return sum(self.recorded.values())

    def summary(self) -> str:
        """One line: "12 rows: recorded 3 sources, 12 claims; 0 already present" (or "would record")."""
        counts = ", ".join(f"{count} {section}" for section, count in self.recorded.items()
                           if section in ("sources", "claims"))
        verb = "would record" if self.dry_run else "recorded"
        return f"{self.rows} rows: {verb} {counts}; {self.already_present} already present"

    def to_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "rows": self.rows, "recorded": self.recorded,
                "already_present": self.already_present, "problems": [p.to_dict() for p in self.problems]}


def claim_problem(row: int, problem: str) -> RowProblem:
    """A problem file_format found in a row's claim ("claims[0] 'k': reports[0].chain[0].url: Not ...")."""
    _where, _, rest = problem.partition(": ")
    path, _, message = rest.partition(": ")
    if not message or not _PATH.match(path):
        return RowProblem(row, "", rest)
    return RowProblem(row, claim_column(path), message)


def claim_column(path: str) -> str:
    chain = _CHAIN.match(path)
    if chain is not None:
        if chain[1] is None or int(chain[1]) > 0:
            return "via"
        return OUTLET_COLUMNS.get(chain[2] or "source", "outlet")
    top = path.split(".")[0].split("[")[0]
    return CLAIM_COLUMNS.get(top, "")


def source_problem(row: int, problem: str, column: str) -> RowProblem:
    """A problem with a source the row registers; ``column`` is the one naming it (speaker or outlet)."""
    _where, _, rest = problem.partition(": ")
    path, _, message = rest.partition(": ")
    if not message or not _PATH.match(path):
        return RowProblem(row, column, rest)
    if column == "outlet" and path == "kind":
        return RowProblem(row, "new outlet kind", message)
    return RowProblem(row, SOURCE_COLUMNS.get(path, column) if column == "speaker" else column, message)
