"""Pure decisions: which events a claim command produces, or a DomainError saying why it cannot.

``sources`` maps the ids a command mentions to the sources found; an id missing from it is unknown.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from uuid import UUID

from factlog.claims.claim import Claim, stored_value
from factlog.claims.commands import (
    AddReport,
    CorrectClaim,
    GiveVerdict,
    LinkClaims,
    RecordClaim,
    RetractClaim,
)
from factlog.claims.events import (
    ClaimCorrected,
    ClaimRecorded,
    ClaimReported,
    ClaimRetracted,
    ClaimsLinked,
    Link,
    VerdictGiven,
)
from factlog.claims.verdict_scales import VerdictScale
from factlog.errors import DomainError
from factlog.sources.source import Source

Sources = Mapping[UUID, Source]


def record(command: RecordClaim, existing: Claim | None, sources: Sources) -> list:
    if existing is not None:
        raise DomainError(f"claim {command.claim_id} is already recorded", field="claim_id")
    _require_source(sources, command.speaker_id, "speaker_id", "the speaker")
    check_chain(command.report.links, command.speaker_id, sources)
    _check_quote_source(command.quote_source_id, command.speaker_id,
                        {link.source_id for link in command.report.links}, sources)
    recorded = ClaimRecorded(
        command.claim_id, command.summary, command.speaker_id, command.cue, command.said_on,
        command.happened_on, command.quote, command.quote_source_id, command.speaker_role,
        command.speaker_as_written, command.topics, command.note,
    )
    return [recorded, ClaimReported(command.claim_id, command.report.report_id, command.report.links)]


def add_report(command: AddReport, claim: Claim | None, sources: Sources) -> list[ClaimReported]:
    claim = _open(claim, command.claim_id, "add a report to")
    report = command.report
    if any(existing.report_id == report.report_id for existing in claim.reports):
        raise DomainError(f"report {report.report_id} is already recorded on this claim", field="report_id")
    check_chain(report.links, claim.speaker_id, sources)
    for existing in claim.reports:
        if _same_chain(existing.links, report.links):
            raise DomainError(f"this chain is already recorded as report {existing.report_id}",
                              field="report")
    return [ClaimReported(claim.claim_id, report.report_id, report.links)]


def correct(command: CorrectClaim, claim: Claim | None, sources: Sources) -> list[ClaimCorrected]:
    claim = _open(claim, command.claim_id, "correct")
    old = getattr(claim, command.field)
    if old == command.new_value:
        raise DomainError(f"nothing to correct: {command.field} already has that value", field="new_value")
    after = replace(claim, **{command.field: command.new_value})
    if command.field == "speaker_id":
        _require_source(sources, after.speaker_id, "new_value", "the new speaker")
        for report in after.reports:
            check_chain(report.links, after.speaker_id, sources, field="new_value")
    if command.field == "quote" and after.quote is None and after.quote_source_id is not None:
        raise DomainError("correct quote_source_id to null before removing the quote", field="new_value")
    if command.field == "quote_source_id" and after.quote is None and after.quote_source_id is not None:
        raise DomainError("only a claim with a quote can say whose words the quote is", field="new_value")
    if command.field in ("quote_source_id", "speaker_id"):
        _check_quote_source(after.quote_source_id, after.speaker_id, after.chain_source_ids(), sources,
                            field="new_value")
    return [ClaimCorrected(claim.claim_id, command.field, stored_value(command.field, old),
                           stored_value(command.field, command.new_value), command.reason)]


def retract(command: RetractClaim, claim: Claim | None) -> list[ClaimRetracted]:
    claim = _open(claim, command.claim_id, "retract")
    return [ClaimRetracted(claim.claim_id, command.reason)]


def give_verdict(command: GiveVerdict, claim: Claim | None, scales: Mapping[str, VerdictScale],
                 checker: Source | None) -> list[VerdictGiven]:
    claim = _open(claim, command.claim_id, "give a verdict on")
    scale = scales.get(command.scale)
    if scale is None:
        raise DomainError(f"there is no verdict scale {command.scale!r}; scales: {', '.join(sorted(scales))}",
                          field="scale")
    rating = scale.rating(command.rating)
    if rating is None:
        raise DomainError(f"rating {command.rating!r} is not on the scale {scale.name!r}: "
                          f"{', '.join(scale.slugs())}", field="rating")
    if command.checker_id is not None and checker is None:
        raise DomainError(f"no source {command.checker_id} has been registered (the checker)",
                          field="checker_id")
    if any(verdict.verdict_id == command.verdict_id for verdict in claim.verdicts):
        raise DomainError(f"verdict {command.verdict_id} is already recorded on this claim",
                          field="verdict_id")
    previous = claim.current_verdicts.get(command.checker_id)
    return [VerdictGiven(claim.claim_id, command.verdict_id, scale.name, rating.slug, rating.label,
                         rating.value, command.explanation, command.evidence, command.checker_id,
                         None if previous is None else previous.verdict_id)]


def link(command: LinkClaims, claim: Claim | None, target: Claim | None) -> list[ClaimsLinked]:
    claim = _open(claim, command.claim_id, "link")
    if command.target_claim_id == claim.claim_id:
        raise DomainError("a claim cannot be linked to itself", field="target_claim_id")
    if target is None:
        raise DomainError(f"no claim {command.target_claim_id} has been recorded", field="target_claim_id")
    if target.retracted:
        raise DomainError(f"claim {target.claim_id} was retracted and cannot be linked to",
                          field="target_claim_id")
    for existing in claim.links:
        if (existing.relation, existing.target_claim_id) == (command.relation, command.target_claim_id):
            raise DomainError(f"this claim already {command.relation.replace('_', ' ')} claim "
                              f"{command.target_claim_id}", field="target_claim_id")
    return [ClaimsLinked(claim.claim_id, command.relation, command.target_claim_id, command.note)]


def check_chain(links: Sequence[Link], speaker_id: UUID, sources: Sources, field: str = "report") -> None:
    """Every link a known source; no source twice; the speaker only as the last link, its own publication."""
    seen: dict[UUID, int] = {}
    for number, link in enumerate(links, start=1):
        _require_source(sources, link.source_id, field, f"link {number} of the chain")
        if link.source_id in seen:
            raise DomainError(f"the chain loops: {_name(sources, link.source_id)} appears at links "
                              f"{seen[link.source_id]} and {number}", field=field)
        seen[link.source_id] = number
        if link.source_id == speaker_id:
            if number != len(links):
                raise DomainError(f"the chain loops: the speaker {_name(sources, speaker_id)} appears at "
                                  f"link {number}, before the end of the chain", field=field)
            if link.relation is not None:
                raise DomainError(f"link {number} is the speaker's own publication and cites no one; "
                                  "leave its relation empty", field=field)


def _check_quote_source(quote_source_id: UUID | None, speaker_id: UUID, chain_ids: set[UUID],
                        sources: Sources, field: str = "quote_source_id") -> None:
    if quote_source_id is None or quote_source_id == speaker_id:
        return
    if quote_source_id not in chain_ids:
        raise DomainError(f"the quote can only be the words of the speaker or of a link in the chain, not of "
                          f"{_name(sources, quote_source_id)}", field=field)


def _same_chain(first: Sequence[Link], second: Sequence[Link]) -> bool:
    return ([link.source_id for link in first] == [link.source_id for link in second]
            and first[0].url == second[0].url)


def _open(claim: Claim | None, claim_id: UUID, action: str) -> Claim:
    """The claim, if it exists and has not been retracted."""
    if claim is None:
        raise DomainError(f"no claim {claim_id} has been recorded", field="claim_id")
    if claim.retracted:
        raise DomainError(f"cannot {action} claim {claim_id}: it was retracted ({claim.retraction.reason})",
                          field="claim_id")
    return claim


def _require_source(sources: Sources, source_id: UUID, field: str, role: str) -> Source:
    source = sources.get(source_id)
    if source is None:
        raise DomainError(f"no source {source_id} has been registered ({role})", field=field)
    return source


def _name(sources: Sources, source_id: UUID) -> str:
    source = sources.get(source_id)
    return repr(source.display_name) if source is not None else f"source {source_id}"
