"""Pure decisions: which events a source command produces, or a DomainError saying why it cannot."""
from __future__ import annotations

from uuid import UUID

from factlog.errors import DomainError
from factlog.sources.commands import AddSourceAlias, MergeSources, RegisterSource
from factlog.sources.duplicates import LikelyDuplicateSource, find_likely_duplicates
from factlog.sources.events import SourceAbsorbed, SourceAliasAdded, SourceMerged, SourceRegistered
from factlog.sources.index import SourceIndex
from factlog.sources.source import Source


def register(command: RegisterSource, index: SourceIndex) -> list[SourceRegistered]:
    existing = index.get(command.source_id)
    if existing is not None:
        raise DomainError(f"source {command.source_id} is already registered as {existing.display_name!r}",
                          field="source_id")
    if command.affiliation_id is not None:
        _require(index, command.affiliation_id, "affiliation_id")
    for member_id in command.member_ids:
        _require(index, member_id, "member_ids")
    if not command.confirm_new:
        candidates = find_likely_duplicates(index, command.kind, (command.name, *command.aliases))
        if candidates:
            raise LikelyDuplicateSource(command.name, candidates)
    return [SourceRegistered(command.source_id, command.kind, command.name, command.description,
                             command.aliases, command.affiliation_id, command.member_ids, command.url)]


def add_alias(command: AddSourceAlias, source: Source | None) -> list[SourceAliasAdded]:
    source = _existing(source, command.source_id)
    if source.merged:
        raise DomainError(f"{source.display_name!r} was merged into source {source.merged_into_id}; "
                          "add the alias there", field="source_id")
    if any(name.casefold() == command.alias.casefold() for name in source.names):
        raise DomainError(f"{source.display_name!r} already answers to {command.alias!r}", field="alias")
    return [SourceAliasAdded(source.source_id, command.alias)]


def merge(command: MergeSources, duplicate: Source | None, survivor: Source | None) -> dict[UUID, list]:
    """Events per source: the duplicate is marked merged, the survivor takes on its names."""
    duplicate = _existing(duplicate, command.source_id)
    survivor = _existing(survivor, command.into_id, field="into_id")
    if duplicate.source_id == survivor.source_id:
        raise DomainError("a source cannot be merged into itself", field="into_id")
    for source, field in ((duplicate, "source_id"), (survivor, "into_id")):
        if source.merged:
            raise DomainError(f"{source.display_name!r} was already merged into source "
                              f"{source.merged_into_id}", field=field)
    if duplicate.kind != survivor.kind:
        raise DomainError(f"cannot merge {_kind(duplicate)} ({duplicate.display_name!r}) into "
                          f"{_kind(survivor)} ({survivor.display_name!r}): they cannot be the same source",
                          field="into_id")
    return {
        duplicate.source_id: [SourceMerged(duplicate.source_id, survivor.source_id, command.reason)],
        survivor.source_id: [SourceAbsorbed(survivor.source_id, duplicate.source_id, duplicate.names,
                                            command.reason)],
    }


def _kind(source: Source) -> str:
    kind = source.kind.replace("_", " ")
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _existing(source: Source | None, source_id: UUID, field: str = "source_id") -> Source:
    if source is None:
        raise DomainError(f"no source {source_id} has been registered", field=field)
    return source


def _require(index: SourceIndex, source_id: UUID, field: str) -> Source:
    return _existing(index.get(source_id), source_id, field)
