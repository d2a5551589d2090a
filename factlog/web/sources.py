"""Choosing a source in a form: type-ahead over existing sources, or a new one registered with the claim.

A picker is a group of fields under one prefix (``speaker``, ``links-0-source``): ``-name`` (what the
editor typed), ``-id`` (set by the type-ahead), ``-new`` and ``-kind`` (register a new source),
``-resolve`` (the editor's answer when the name was ambiguous or looked like a likely duplicate).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from factlog import sources
from factlog.database import get_session
from factlog.fields import uuid_text
from factlog.readmodels.queries.search import suggest_sources
from factlog.sources.duplicates import LikelyDuplicateSource
from factlog.sources.source import COLLECTIVE, KINDS, UNNAMED
from factlog.web.auth import requires
from factlog.web.forms import Form, schema_errors
from factlog.web.lookups import likely_meant, source_index_named, sources_named, suggestions

bp = Blueprint("sources", __name__)

# Kinds a source registered from a claim form may have: a collective needs its members named first.
INLINE_KINDS = tuple(kind for kind in KINDS if kind != COLLECTIVE)
RESOLVE_NEW = "new"
SUGGESTIONS = 8


@dataclass(frozen=True)
class NewSource:
    """A source to register together with the claim, in the same transaction."""

    prefix: str
    source_id: uuid.UUID
    kind: str
    name: str
    confirmed: bool  # the editor saw the likely duplicates and says it is a different source

    def command_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source_id": str(self.source_id), "kind": self.kind,
                                "confirm_new": self.confirmed}
        data["description" if self.kind == UNNAMED else "name"] = self.name
        return data


@bp.get("/sources/suggest")
@requires("read")
def suggest():
    """Type-ahead: sources whose name or alias contains ``q`` (JSON)."""
    kind = request.args.get("kind")
    found = suggest_sources(get_session(), request.args.get("q", "")[:200],
                            kind=kind if kind in KINDS else None, limit=SUGGESTIONS)
    return jsonify([{key: hit[key] for key in ("id", "name", "kind", "matched")} for hit in found])


def pick(form: Form, session: Session, prefix: str, *, new_id: uuid.UUID, default_kind: str,
         missing: str) -> tuple[str | None, NewSource | None]:
    """The id the picker stands for, and the new source to register if it is one; errors go on ``form``."""
    name = form.get(f"{prefix}-name").strip()
    kind = form.get(f"{prefix}-kind") or default_kind
    resolve = form.get(f"{prefix}-resolve")
    if resolve == RESOLVE_NEW:
        return str(new_id), NewSource(prefix, new_id, kind, name, confirmed=True)
    if resolve and uuid_text(resolve):
        form.values[f"{prefix}-id"] = uuid_text(resolve)
        form.values.pop(f"{prefix}-new", None)
        form.values.pop(f"{prefix}-resolve", None)
        return uuid_text(resolve), None
    if form.checked(f"{prefix}-new"):
        if not name:
            form.add_error(prefix, "Type the new source’s name (or, for an unnamed source, who it is).")
            return None, None
        if kind not in INLINE_KINDS:
            form.add_error(f"{prefix}-kind", "Choose what kind of source it is.")
            return None, None
        return str(new_id), NewSource(prefix, new_id, kind, name, confirmed=False)
    chosen = form.get(f"{prefix}-id").strip()
    if chosen:
        if uuid_text(chosen):
            return uuid_text(chosen), None
        form.values.pop(f"{prefix}-id")
    if not name:
        form.add_error(prefix, missing)
        return None, None
    matches = [{"id": hit["id"], "name": hit["name"], "kind": hit["kind"]}
               for hit in sources_named(session, name)]
    if not matches:  # perhaps registered moments ago, before the read model caught up
        matches = [{"id": s.id, "name": s.name, "kind": s.kind} for s in source_index_named(session, name)]
    if len(matches) == 1:
        form.values[f"{prefix}-id"] = matches[0]["id"]
        return matches[0]["id"], None
    if matches:
        form.add_error(prefix, f"Several sources are called “{name}”: choose one.")
        form.choices[prefix] = matches
    elif meant := likely_meant(session, name):
        # "NYT" for The New York Times, "Jeffrey Lewis" for Jeffery Lewis: offered first, with the reason.
        form.add_error(prefix, f"No source is called “{name}”, but it looks like {meant[0].display_name}. "
                               "Choose it below, or tick “new source” and say what kind it is.")
        form.choices[prefix] = [{"id": str(c.source_id), "name": c.display_name, "kind": c.kind,
                                 "matched": c.matched_name, "why": c.why()} for c in meant]
    else:
        form.add_error(prefix, f"No source is called “{name}” yet. Choose a suggestion, or tick “new source” "
                               "and say what kind it is.")
        form.choices[prefix] = [{"id": label.id, "name": label.name, "kind": label.kind}
                                for label in suggestions(session, name.split()[0])]
    return None, None


def check_new(form: Form, new: NewSource) -> None:
    """Validate the new source through its command schema, before anything is written."""
    try:
        sources.RegisterSourceSchema().load(new.command_data())
    except ValidationError as error:
        for name, messages in schema_errors(error.messages).items():
            target = f"{new.prefix}-kind" if name in ("kind", "member_ids") else new.prefix
            form.merge({target: messages})


def register_new(form: Form, session: Session, new_sources: list[NewSource], actor: str, key: str) -> bool:
    """Register the new sources (uncommitted); False, with the candidates on the form, if any looks known."""
    clean = True
    for new in new_sources:
        command = sources.RegisterSourceSchema().load(new.command_data())
        try:
            sources.handle(session, command, actor, idempotency_key=f"{key}:{new.prefix}")
        except LikelyDuplicateSource as duplicate:
            clean = False
            what = new.kind.replace("_", " ")
            form.add_error(new.prefix, f"“{new.name}” looks like a source already recorded. Use it, or "
                                       f"confirm that this is a different {what}.")
            form.choices[new.prefix] = [{"id": str(c.source_id), "name": c.display_name, "kind": c.kind,
                                         "matched": c.matched_name, "score": round(c.score), "why": c.why()}
                                        for c in duplicate.candidates]
            form.duplicates.add(new.prefix)
    return clean
