"""Import a CSV of claims: check every row, then record all of it in one transaction, or nothing.

A dry run checks exactly as a real run does, the domain's rules included (each command is tried in the
transaction, which is then rolled back), so its report lists every problem a real run would meet.
Importing the same file again records nothing: ids and idempotency keys come from the rows (file_format).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from factlog import sources
from factlog.importer.apply import Refusal, try_plan
from factlog.importer.csv_report import DOMAIN_COLUMNS, CsvReport, RowProblem
from factlog.importer.csv_rows import DEFAULT_NAMESPACE, build_csv_plan, read_rows
from factlog.importer.file_format import KEY_PATTERN
from factlog.progress import Progress

NAMESPACE_HELP = "lowercase letters, digits, '.', '_' or '-', e.g. 'desk-2024-11'"


def import_csv(session: Session, data: bytes | str, actor: str, *, namespace: str = DEFAULT_NAMESPACE,
               dry_run: bool = False, progress: Progress | None = None) -> CsvReport:
    """Check ``data`` and, unless ``dry_run`` or a problem was found, record it and commit."""
    if not isinstance(namespace, str) or not KEY_PATTERN.match(namespace):
        raise ValueError(f"namespace: {NAMESPACE_HELP}")
    rows, problems = read_rows(data)
    report = CsvReport(rows=len(rows), dry_run=dry_run)
    if problems and not rows:
        report.problems = problems
        return report
    built = build_csv_plan(rows, sources.load_source_index(session), namespace)
    try:
        result, refused = try_plan(session, built.plan, actor, progress)
        problems = sorted([*problems, *built.problems, *(_row_problem(built.origins, refusal)
                                                         for refusal in refused)],
                          key=lambda problem: problem.row)
        report.problems, report.recorded = problems, result.recorded
        report.already_present = result.already_present
    except BaseException:
        session.rollback()
        raise
    if dry_run or problems:
        session.rollback()
    else:
        session.commit()
    return report


def _row_problem(origins: dict[str, tuple[int, str]], refusal: Refusal) -> RowProblem:
    row, column = origins[refusal.step.idempotency_key]
    field = getattr(refusal.error, "field", None)
    if not column:
        column = DOMAIN_COLUMNS.get(field, "")
    # The domain's words for the flag are the command's; a CSV says it in a column.
    return RowProblem(row, column, refusal.message.replace("(confirm_new)", "(confirm new source: yes)"))
