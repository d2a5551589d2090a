"""Carry out source commands: load the state, decide, append with the actor, and (in ``run``) commit."""
from __future__ import annotations

from functools import singledispatch
from uuid import UUID

from sqlalchemy.orm import Session

from factlog import eventstore
from factlog.eventstore import NO_STREAM, AppendResult
from factlog.recording import already_recorded, check_actor, check_expected_version, record
from factlog.sources import decide
from factlog.sources.commands import AddSourceAlias, MergeSources, RegisterSource
from factlog.sources.events import catalog
from factlog.sources.index import load_source_index
from factlog.sources.source import Source, fold, stream_id


def load_source(session: Session, source_id: UUID) -> Source | None:
    """One source's current state from its stream."""
    return fold(catalog.from_records(eventstore.read_stream(session, stream_id(source_id))))


def run(session: Session, command, actor: str, *, idempotency_key: str | None = None) -> AppendResult:
    """Handle a command and commit: what the web form and the API call."""
    result = handle(session, command, actor, idempotency_key=idempotency_key)
    session.commit()
    return result


def handle(session: Session, command, actor: str, *, idempotency_key: str | None = None) -> AppendResult:
    """Append the command's events without committing; a repeated idempotency key appends nothing."""
    check_actor(actor)
    previous = already_recorded(session, idempotency_key)
    if previous is not None:
        return previous
    return _handle(command, session, actor, idempotency_key)


@singledispatch
def _handle(command, session, actor, idempotency_key):
    raise TypeError(f"not a source command: {command!r}")


@_handle.register
def _(command: RegisterSource, session, actor, idempotency_key):
    events = decide.register(command, load_source_index(session))
    return record(session, stream_id(command.source_id), [catalog.to_new_event(e) for e in events], NO_STREAM,
                  actor=actor, command="RegisterSource", idempotency_key=idempotency_key)


@_handle.register
def _(command: AddSourceAlias, session, actor, idempotency_key):
    source = load_source(session, command.source_id)
    check_expected_version(stream_id(command.source_id), command.expected_version, _version(source))
    events = decide.add_alias(command, source)
    return record(session, stream_id(command.source_id), [catalog.to_new_event(e) for e in events],
                  command.expected_version, actor=actor, command="AddSourceAlias",
                  idempotency_key=idempotency_key)


@_handle.register
def _(command: MergeSources, session, actor, idempotency_key):
    duplicate, survivor = load_source(session, command.source_id), load_source(session, command.into_id)
    check_expected_version(stream_id(command.source_id), command.expected_version, _version(duplicate))
    check_expected_version(stream_id(command.into_id), command.into_expected_version, _version(survivor))
    events = decide.merge(command, duplicate, survivor)
    result = record(session, stream_id(command.source_id), [catalog.to_new_event(e) for e in
                    events[command.source_id]], command.expected_version, actor=actor, command="MergeSources",
                    idempotency_key=idempotency_key)
    record(session, stream_id(command.into_id), [catalog.to_new_event(e) for e in events[command.into_id]],
           command.into_expected_version, actor=actor, command="MergeSources",
           idempotency_key=None if idempotency_key is None else f"{idempotency_key}:absorbed")
    return result


def _version(source: Source | None) -> int:
    return 0 if source is None else source.version
