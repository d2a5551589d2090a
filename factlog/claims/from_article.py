"""Claims from an article: proposed by the extractor, recorded only when an editor accepts one.

Accepting turns the proposal into the ordinary RecordClaim command (the editor as actor, the article's
address and date on the first link of the report), after registering the sources it names that are not
recorded yet. Every command is loaded through its one schema before anything is written, and all of them
are appended in one transaction: a refusal anywhere writes nothing.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from factlog import claims, sources
from factlog.claims.article_schema import ArticleRequest
from factlog.claims.commands import RecordClaim
from factlog.errors import DomainError
from factlog.fields import uuid_text
from factlog.sources.commands import RegisterSource
from factlog.sources.duplicates import LikelyDuplicateSource
from factlog.sources.names import name_key
from factlog.sources.source import UNNAMED

SPEAKER = "speaker"
USE_NEW = "new"  # an editor's answer to a likely duplicate: it is a different source


def chain_role(index: int) -> str:
    """The name of the n-th link's source in a plan and in a page's choices: "chain-0", "chain-1"."""
    return f"chain-{index}"


def propose(session: Session, request: ArticleRequest) -> tuple[Any, list]:
    """The article (its outlet named) and the extractor's proposals, matched against the recorded sources."""
    from factlog.extraction import Article, extract
    from factlog.extraction.matching import SourceCatalog

    outlet = request.outlet
    if request.outlet_id is not None:
        source = sources.load_source(session, request.outlet_id)
        if source is None:
            message = f"No source {request.outlet_id} is recorded: give the outlet’s name, or a recorded source’s id."
            raise ValidationError({"outlet": [message]})
        outlet = source.display_name
    article = Article(text=request.text, outlet=outlet, url=request.url, published_on=request.published_on)
    return article, extract(article, SourceCatalog.from_session(session))


@dataclass(frozen=True)
class Plan:
    """What accepting a proposal writes: the sources to register first (by role), then the claim."""

    new_sources: dict[str, RegisterSource]
    command: RecordClaim


class SourceLooksKnown(DomainError):
    """A source the proposal would register looks like one already recorded; the editor says which."""

    def __init__(self, role: str, name: str, duplicate: LikelyDuplicateSource):
        self.role, self.name, self.candidates = role, name, duplicate.candidates
        super().__init__(duplicate.message, field=role)


def plan(proposal: Mapping[str, Any], request: ArticleRequest, ids: uuid.UUID,
         choices: Mapping[str, str] | None = None, topics: Sequence[str] = ()) -> Plan:
    """The commands accepting ``proposal`` (a ``Proposal.to_dict()``) means, every one validated.

    ``choices`` answers likely duplicates by role ("speaker", "chain-0"): a recorded source's id to use, or
    "new" to register the proposed source all the same; ``topics`` file the claim. Raises ValidationError
    with a message per field.
    """
    choices = {role: answer for role, answer in (choices or {}).items() if answer == USE_NEW or uuid_text(answer)}
    planned: dict[str, dict] = {}  # role -> RegisterSource data
    by_name: dict[tuple[str, str], str] = {}  # (kind, name) -> the role registering it

    def source_for(role: str, named: Mapping[str, Any], recorded_id: uuid.UUID | None = None) -> str:
        chosen = choices.get(role, "")
        if chosen and chosen != USE_NEW:
            return chosen
        match = named.get("match")
        if recorded_id is not None or (match and chosen != USE_NEW):
            return str(recorded_id or match["source_id"])
        kind, name = named.get("kind") or "person", named.get("name") or named.get("as_written") or ""
        key = (kind, name_key(name))
        if key in by_name and kind != UNNAMED:  # the speaker's own outlet, named twice
            return planned[by_name[key]]["source_id"]
        source_id = str(uuid.uuid5(ids, role))
        data = {"source_id": source_id, "kind": kind, "confirm_new": chosen == USE_NEW}
        data["description" if kind == UNNAMED else "name"] = name
        planned[role], by_name[key] = data, role
        return source_id

    speaker = proposal["speaker"]
    speaker_id = source_for(SPEAKER, speaker)
    links = []
    for index, link in enumerate(proposal.get("chain") or []):
        source_id = source_for(chain_role(index), link, request.outlet_id if index == 0 else None)
        links.append({"source_id": source_id, "relation": link.get("relation"), "url": link.get("url"),
                      "published_on": link.get("published_on") or "unknown",
                      "as_written": as_written_if_different(link, "as_written") if index else None})
    if links:
        links[0].update(url=request.url or links[0]["url"], published_on=(
            request.published_on.isoformat() if request.published_on else links[0]["published_on"]))
        if links[-1]["source_id"] == speaker_id:  # the outlet's own words: its publication cites no one
            links[-1]["relation"] = None
    quote_source = proposal.get("quote_source")
    quote_source_id = (links[quote_source]["source_id"] if isinstance(quote_source, int) and proposal.get("quote")
                       and 0 <= quote_source < len(links) else None)
    said_on = dict(proposal.get("said_on") or {"value": "unknown"})
    data = {
        "claim_id": str(uuid.uuid5(ids, "claim")), "summary": proposal.get("summary"),
        "quote": proposal.get("quote"), "quote_source_id": quote_source_id, "speaker_id": speaker_id,
        "speaker_role": speaker.get("role"),
        "speaker_as_written": as_written_if_different(speaker, "name"), "cue": proposal.get("cue"),
        "said_on": {key: said_on[key] for key in ("value", "as_written") if said_on.get(key) is not None},
        "topics": list(topics), "report": {"report_id": str(uuid.uuid5(ids, "report")), "links": links},
    }
    errors: dict[str, Any] = {}
    new_sources = {}
    for role, source_data in planned.items():
        try:
            new_sources[role] = sources.RegisterSourceSchema().load(source_data)
        except ValidationError as error:
            errors[role] = error.messages
    if not links:
        errors["report"] = ["The article’s outlet is not known: say who published it."]
    try:
        command = claims.RecordClaimSchema().load({key: value for key, value in data.items()
                                                   if value is not None and value != ""})
    except ValidationError as error:
        errors.update(error.messages)
    if errors:
        raise ValidationError(errors)
    return Plan(new_sources, command)


def as_written_if_different(named: Mapping[str, Any], key: str) -> str | None:
    """How the article writes a name, when that differs from the source's name ("Volodomir Zelenskyy" for
    Volodymyr Zelenskyy, "the Times" for The New York Times); ``key`` says which of the proposal's names
    that is: a speaker's full ``name`` (never a pronoun), a link's ``as_written``."""
    written, match = named.get(key), named.get("match")
    recorded = (match or {}).get("name") or named.get("name") or ""
    if not written or (key == "name" and not match) or name_key(written) == name_key(recorded):
        return None
    return written


def accept(session: Session, accepted: Plan, actor: str, *, idempotency_key: str) -> uuid.UUID:
    """Register the plan's new sources, record the claim, commit; on any refusal roll back and raise."""
    try:
        for role, command in accepted.new_sources.items():
            try:
                sources.handle(session, command, actor, idempotency_key=f"{idempotency_key}:{role}")
            except LikelyDuplicateSource as duplicate:
                raise SourceLooksKnown(role, command.name or command.description, duplicate) from None
        claims.handle(session, accepted.command, actor, idempotency_key=idempotency_key)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return accepted.command.claim_id
