"""Carry out claim commands: load the state, decide, append with the actor, and (in ``run``) commit."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import singledispatch
from uuid import UUID

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.claims import decide
from factlog.claims.claim import Claim, fold, stream_id
from factlog.claims.commands import (
    AddReport,
    CorrectClaim,
    GiveVerdict,
    LinkClaims,
    RecordClaim,
    RetractClaim,
)
from factlog.claims.events import catalog
from factlog.claims.verdict_scales import DEFAULT_SCALES, VerdictScale
from factlog.eventstore import NO_STREAM, AppendResult
from factlog.recording import already_recorded, check_actor, check_expected_version, record
from factlog.sources.services import load_source
from factlog.sources.source import Source


def load_claim(session: Session, claim_id: UUID) -> Claim | None:
    """One claim's current state from its stream."""
    return fold(catalog.from_records(eventstore.read_stream(session, stream_id(claim_id))))


def run(session: Session, command, actor: str, *, idempotency_key: str | None = None,
        scales: Mapping[str, VerdictScale] = DEFAULT_SCALES) -> AppendResult:
    """Handle a command and commit: what the web form and the API call."""
    result = handle(session, command, actor, idempotency_key=idempotency_key, scales=scales)
    session.commit()
    return result


def handle(session: Session, command, actor: str, *, idempotency_key: str | None = None,
           scales: Mapping[str, VerdictScale] = DEFAULT_SCALES) -> AppendResult:
    """Append the command's events without committing; a repeated idempotency key appends nothing."""
    check_actor(actor)
    previous = already_recorded(session, idempotency_key)
    if previous is not None:
        return previous
    claim = load_claim(session, command.claim_id)
    # A new claim starts a new stream; every other command names the version it was decided on.
    expected = NO_STREAM if isinstance(command, RecordClaim) else command.expected_version
    if expected != NO_STREAM:
        check_expected_version(stream_id(command.claim_id), expected, 0 if claim is None else claim.version)
    events = _decide(command, claim, session, scales)
    return record(session, stream_id(command.claim_id), [catalog.to_new_event(e) for e in events], expected,
                  actor=actor, command=type(command).__name__, idempotency_key=idempotency_key)


def _load_sources(session: Session, source_ids: Iterable[UUID]) -> dict[UUID, Source]:
    found = {source_id: load_source(session, source_id) for source_id in set(source_ids)}
    return {source_id: source for source_id, source in found.items() if source is not None}


@singledispatch
def _decide(command, claim, session, scales) -> list:
    raise TypeError(f"not a claim command: {command!r}")


@_decide.register
def _(command: RecordClaim, claim, session, scales):
    mentioned = [command.speaker_id, *(link.source_id for link in command.report.links)]
    if command.quote_source_id is not None:
        mentioned.append(command.quote_source_id)
    return decide.record(command, claim, _load_sources(session, mentioned))


@_decide.register
def _(command: AddReport, claim, session, scales):
    mentioned = [link.source_id for link in command.report.links]
    return decide.add_report(command, claim, _load_sources(session, mentioned + (
        [claim.speaker_id] if claim else [])))


@_decide.register
def _(command: CorrectClaim, claim, session, scales):
    mentioned = [*claim.chain_source_ids(), claim.speaker_id] if claim else []
    if command.field in ("speaker_id", "quote_source_id") and command.new_value is not None:
        mentioned.append(command.new_value)
    return decide.correct(command, claim, _load_sources(session, mentioned))


@_decide.register
def _(command: RetractClaim, claim, session, scales):
    return decide.retract(command, claim)


@_decide.register
def _(command: GiveVerdict, claim, session, scales):
    checker = None if command.checker_id is None else load_source(session, command.checker_id)
    return decide.give_verdict(command, claim, scales, checker)


@_decide.register
def _(command: LinkClaims, claim, session, scales):
    return decide.link(command, claim, load_claim(session, command.target_claim_id))
