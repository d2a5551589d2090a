"""What the claim page shows: the state and history from the claim's own stream (current the moment a change
commits), names and attribution statistics from the read models (once the projections have caught up)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Session

from factlog import claims
from factlog.claims import dates
from factlog.claims.claim import Claim, fold, loaded_value
from factlog.claims.queries import HistoryEntry
from factlog.readmodels import queries
from factlog.readmodels.as_of import Past
from factlog.readmodels.queries import as_of_attribution
from factlog.readmodels.timelines import timeline_claims
from factlog.web import chain_svg
from factlog.web.lookups import SourceLabel, source_labels

ID_FIELDS = ("speaker_id", "quote_source_id")


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    labels: dict[str, SourceLabel]
    history: list[HistoryEntry]
    attribution: dict[str, Any] | None  # None until the attribution projection has seen the claim
    picture: chain_svg.Picture
    targets: dict[str, str]  # linked claims' summaries by id
    incoming: list[dict[str, Any]] = field(default_factory=list)  # claims that deny, support... this one

    @property
    def status(self) -> str:
        return "retracted" if self.claim.retracted else "corrected" if self.claim.corrections else "active"

    @property
    def verdict(self):
        """The latest verdict given (each checker's earlier ones stay in the history)."""
        return self.claim.verdicts[-1] if self.claim.verdicts else None

    def source(self, source_id: UUID | str | None) -> SourceLabel | None:
        return None if source_id is None else self.labels.get(str(source_id))

    def since(self, version: int) -> list[HistoryEntry]:
        """The events recorded after ``version``: what a stale form did not know about."""
        return [entry for entry in self.history if entry.version > version]

    def value(self, field: str, stored: Any) -> str:
        """A corrected field's stored value, as a reader should see it."""
        if stored is None or stored == []:
            return "(none)"
        value = loaded_value(field, stored)
        if field in ID_FIELDS:
            label = self.source(value)
            return label.name if label else str(value)
        if isinstance(value, dates.PreciseDate):
            return value.display()
        if isinstance(value, (list, tuple)):
            return ", ".join(value)
        return str(value).replace("_", " ") if field == "cue" else str(value)


def load(session: Session, claim_id: UUID, past: Past | None = None) -> ClaimView | None:
    """The claim page's view now or, with ``past``, as of a past moment (its stream up to it, and the
    attribution as of it); None for a claim not recorded (by then)."""
    history = claims.claim_history(session, claim_id)  # one read of the stream: state and history
    if past is not None and str(claim_id) in past.changed:
        history = history[:past.versions.get(str(claim_id), 0)]  # a stream's log order is its version order
    claim = fold(entry.event for entry in history)
    if claim is None:
        return None
    mentioned: list[Any] = [claim.speaker_id, claim.quote_source_id, claim.recorded.speaker_id,
                            claim.recorded.quote_source_id]
    mentioned += [link.source_id for report in claim.reports for link in report.links]
    mentioned += [verdict.checker_id for verdict in claim.verdicts]
    mentioned += [value for correction in claim.corrections if correction.field in ID_FIELDS
                  for value in (correction.old_value, correction.new_value)]
    labels = source_labels(session, mentioned)
    attribution = queries.claim_attribution(session, str(claim_id)) if past is None \
        else as_of_attribution.claim_attribution(session, past, str(claim_id))
    first = (attribution or {}).get("first") or {}
    picture = chain_svg.layout(_hop(labels, claim.speaker_id), [
        [_hop(labels, link.source_id, link) for link in report.links] for report in claim.reports],
        first_key=first.get("id"))
    incoming = queries.links_of(session, str(claim_id))["incoming"]
    if past is not None:  # a link is a ClaimsLinked event of the other claim: kept if made by then
        incoming = [link for link in incoming
                    if link["claim_id"] not in past.changed or link["position"] in past.folded]
    return ClaimView(claim, labels, history, attribution, picture, _summaries(session, claim), incoming)


def _hop(labels: dict[str, SourceLabel], source_id: UUID, link=None) -> chain_svg.Hop:
    label = labels[str(source_id)]
    if link is None:
        return chain_svg.Hop(label.id, label.name, label.kind)
    published = _short_months(link.published_on.display()) if link.published_on.known else None
    return chain_svg.Hop(label.id, label.name, label.kind, link.relation, link.url, published, link.headline)


def _short_months(text: str) -> str:
    """"27 November 2024 – 1 December 2024" -> "27 Nov 2024 – 1 Dec 2024": what fits in a picture's box."""
    for number in range(1, 13):
        text = text.replace(calendar.month_name[number], calendar.month_abbr[number])
    return text


def _summaries(session: Session, claim: Claim) -> dict[str, str]:
    ids = sorted({str(link.target_claim_id) for link in claim.links})
    if not ids:
        return {}
    rows = session.execute(sa.select(timeline_claims.c.claim_id, timeline_claims.c.card)
                           .where(timeline_claims.c.claim_id.in_(ids)))
    return {claim_id: card["summary"] for claim_id, card in rows}
