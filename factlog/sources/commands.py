"""What an editor asks to be done to sources, in the imperative."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class RegisterSource:
    source_id: UUID
    kind: str
    name: str | None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    affiliation_id: UUID | None = None
    member_ids: tuple[UUID, ...] = ()
    url: str | None = None
    confirm_new: bool = False  # the editor has seen the likely duplicates and means a different source


@dataclass(frozen=True)
class AddSourceAlias:
    source_id: UUID
    alias: str
    expected_version: int


@dataclass(frozen=True)
class MergeSources:
    """Record that ``source_id`` is the same source as ``into_id``; both streams change."""

    source_id: UUID
    into_id: UUID
    reason: str
    expected_version: int
    into_expected_version: int
