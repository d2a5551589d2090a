"""Names for the ids a claim's own stream mentions, and sources by the name an editor typed.

Names come from the attribution read model; a source registered moments ago that the projection has not
reached yet is read from its own (short) stream instead.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import sources
from factlog.readmodels.attribution import attribution_sources
from factlog.readmodels.queries.search import suggest_sources
from factlog.sources.duplicates import Candidate, find_likely_duplicates
from factlog.sources.names import name_key


@dataclass(frozen=True)
class SourceLabel:
    id: str  # the surviving source's id after merges
    name: str
    kind: str

    @property
    def is_outlet(self) -> bool:
        return self.kind == "outlet"


def source_labels(session: Session, ids: Iterable[UUID | str | None]) -> dict[str, SourceLabel]:
    """``{str(id): SourceLabel}`` for every id given (unknown ids get a placeholder label)."""
    wanted = {str(source_id) for source_id in ids if source_id is not None}
    if not wanted:
        return {}
    table, canonical = attribution_sources, attribution_sources.alias("canonical")
    rows = session.execute(
        sa.select(table.c.source_id, canonical.c.source_id, canonical.c.name, canonical.c.kind)
        .join(canonical, canonical.c.source_id == table.c.canonical_id)
        .where(table.c.source_id.in_(sorted(wanted)))).all()
    labels = {row[0]: SourceLabel(row[1], row[2], row[3]) for row in rows}
    for missing in wanted - set(labels):
        source = sources.load_source(session, UUID(missing))
        labels[missing] = (SourceLabel(missing, source.display_name, source.kind) if source is not None
                           else SourceLabel(missing, f"unknown source {missing[:8]}", "unknown"))
    return labels


def sources_named(session: Session, name: str, *, kind: str | None = None) -> list[dict]:
    """Sources whose name or an alias is ``name`` (ignoring case and runs of spaces)."""
    wanted = name_key(name)
    return [hit for hit in suggest_sources(session, " ".join(name.split()), kind=kind, limit=20)
            if wanted in (name_key(candidate) for candidate in [hit["name"], *hit["aliases"]])]


def source_index_named(session: Session, name: str) -> list[SourceLabel]:
    """The same from the log, for a source too new for the read model (only on a form post)."""
    return [SourceLabel(str(source.source_id), source.display_name, source.kind)
            for source in sources.load_source_index(session).named(name)]


def likely_meant(session: Session, name: str) -> list[Candidate]:
    """Sources of any kind a name no source has may mean: its initials, a close spelling (from the log)."""
    return find_likely_duplicates(sources.load_source_index(session), None, [name])


def suggestions(session: Session, text: str, limit: int = 5) -> list[SourceLabel]:
    """Sources a typed name may have meant: from the read model, else (too new for it) from the log."""
    found = [SourceLabel(hit["id"], hit["name"], hit["kind"])
             for hit in suggest_sources(session, text, limit=limit)]
    if found:
        return found
    wanted = text.casefold()
    return [SourceLabel(str(source.source_id), source.display_name, source.kind)
            for source in sources.load_source_index(session).active()
            if any(wanted in name.casefold() for name in source.names)][:limit]
