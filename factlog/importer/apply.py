"""Write an import plan in one transaction: all of it, or (on the first refused command) none of it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from factlog import claims, sources
from factlog.errors import DomainError
from factlog.eventstore import ConcurrencyError
from factlog.importer.file_format import ImportFileError, ImportPlan, Step, build_plan, read_file
from factlog.progress import Progress
from factlog.sources.duplicates import find_likely_duplicates


@dataclass(frozen=True)
class ImportResult:
    recorded: dict[str, int]  # appends made, per section
    already_present: int  # commands whose records were imported before

    @property
    def total_recorded(self) -> int:
        return sum(self.recorded.values())


def import_file(session: Session, path: Path, actor: str, progress: Progress | None = None) -> ImportResult:
    """Read, check and write one file; ImportFileError lists every problem, and nothing is written."""
    data = read_file(path)
    index = sources.load_source_index(session)

    def existing_id(name: str):
        found = index.named(name)
        return found[0].source_id if len(found) == 1 else None

    def meant(name: str) -> str | None:
        candidates = find_likely_duplicates(index, None, [name])
        return f"{candidates[0].display_name} ({candidates[0].why()})" if candidates else None

    plan = build_plan(data, existing_id, meant=meant)
    return apply_plan(session, plan, actor, progress)


@dataclass(frozen=True)
class Refusal:
    """A step the domain refused, and why."""

    step: Step
    message: str
    error: Exception


def apply_plan(session: Session, plan: ImportPlan, actor: str,
               progress: Progress | None = None) -> ImportResult:
    """Handle every step, then commit once; roll back and raise ImportFileError listing every refusal."""
    result, refused = try_plan(session, plan, actor, progress)
    if refused:
        session.rollback()
        raise ImportFileError([f"{refusal.step.where}: {refusal.message}" for refusal in refused]) \
            from refused[0].error
    session.commit()
    return result


def try_plan(session: Session, plan: ImportPlan, actor: str,
             progress: Progress | None = None) -> tuple[ImportResult, list[Refusal]]:
    """Handle every step in the session's transaction, carrying on past refusals; commit nothing.

    The caller commits when nothing was refused and rolls back otherwise (a dry run always rolls back). A
    step naming a source or claim whose own step was refused is skipped: its refusal would repeat the cause.
    """
    if progress is not None:
        progress.total = sum(len(steps) for steps in (plan.sources, plan.claims, plan.reports, plan.links))
    recorded = {"sources": 0, "claims": 0, "reports": 0, "links": 0}
    already, refused, refused_ids = 0, [], set()
    for section, steps, service in (("sources", plan.sources, sources.handle),
                                    ("claims", plan.claims, claims.handle),
                                    ("reports", plan.reports, claims.handle),
                                    ("links", plan.links, claims.handle)):
        for step in steps:
            if progress is not None:
                progress.update(1)
            if _references(step.command) & refused_ids:
                refused_ids.add(_started_id(step.command))
                continue
            try:
                result = service(session, _at_current_version(session, step), actor,
                                 idempotency_key=step.idempotency_key)
            except DomainError as error:
                refused.append(Refusal(step, _explain(error, step), error))
                refused_ids.add(_started_id(step.command))
                continue
            except ConcurrencyError as error:  # the store rolled the transaction back: nothing left to try
                refused.append(Refusal(step, _explain(error, step), error))
                return ImportResult(recorded, already), refused
            if result.duplicate:
                already += 1
            else:
                recorded[section] += 1
    return ImportResult(recorded, already), refused


def _references(command) -> set:
    """The sources and claims a command needs to exist already."""
    if isinstance(command, sources.RegisterSource):
        return {command.affiliation_id, *command.member_ids} - {None}
    if isinstance(command, claims.RecordClaim):
        return {command.speaker_id, command.quote_source_id,
                *(link.source_id for link in command.report.links)} - {None}
    if isinstance(command, claims.AddReport):
        return {command.claim_id, *(link.source_id for link in command.report.links)}
    if isinstance(command, claims.LinkClaims):
        return {command.claim_id, command.target_claim_id}
    return set()


def _started_id(command):
    """The id of the source or claim a command starts or changes."""
    return getattr(command, "source_id", None) or getattr(command, "claim_id", None)


def _at_current_version(session: Session, step: Step):
    # The importer is the only writer it waits for: later reports and links go on whatever version the claim
    # has reached, which this same transaction just wrote.
    command = step.command
    if isinstance(command, (claims.AddReport, claims.LinkClaims)):
        claim = claims.load_claim(session, command.claim_id)
        return replace(command, expected_version=claim.version if claim else 0)
    return command


def _explain(error: Exception, step: Step) -> str:
    message = str(error)
    starts_a_stream = isinstance(step.command, (sources.RegisterSource, claims.RecordClaim))
    if isinstance(error, DomainError) and starts_a_stream and error.field in ("source_id", "claim_id"):
        message += ("; the record was imported before with different content, and an import never rewrites "
                    "what is recorded: correct it instead")
    return message
