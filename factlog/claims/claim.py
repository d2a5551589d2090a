"""A claim's current state, folded from its events, with everything it went through kept alongside."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from factlog.claims import dates
from factlog.claims.events import (
    ClaimCorrected,
    ClaimRecorded,
    ClaimReported,
    ClaimRetracted,
    ClaimsLinked,
    Report,
    VerdictGiven,
)


def stream_id(claim_id: UUID) -> str:
    return f"claim-{claim_id}"


@dataclass(frozen=True)
class Claim:
    claim_id: UUID
    version: int
    recorded: ClaimRecorded  # the claim exactly as first recorded, whatever was corrected since
    summary: str
    speaker_id: UUID
    cue: str
    said_on: dates.PreciseDate
    happened_on: dates.PreciseDate
    quote: str | None
    quote_source_id: UUID | None
    speaker_role: str | None
    speaker_as_written: str | None
    topics: tuple[str, ...]
    note: str | None
    reports: tuple[Report, ...] = ()
    corrections: tuple[ClaimCorrected, ...] = ()
    retraction: ClaimRetracted | None = None
    verdicts: tuple[VerdictGiven, ...] = ()
    links: tuple[ClaimsLinked, ...] = ()

    @property
    def retracted(self) -> bool:
        return self.retraction is not None

    @property
    def quoted_source_id(self) -> UUID | None:
        """Whose words the quote is: the speaker unless a link in the chain is named."""
        if self.quote is None:
            return None
        return self.quote_source_id or self.speaker_id

    @property
    def first_report(self) -> Report | None:
        """The report recorded first."""
        return self.reports[0] if self.reports else None

    @property
    def earliest_report(self) -> Report | None:
        """The report whose publication was earliest (unknown dates last; ties go to the first recorded)."""
        if not self.reports:
            return None
        return min(self.reports, key=lambda report: report.links[0].published_on.sort_key())

    def chain(self, report: Report) -> tuple[UUID, ...]:
        """Source ids from the publication back to the speaker, the speaker last."""
        ids = tuple(link.source_id for link in report.links)
        return ids if ids[-1] == self.speaker_id else ids + (self.speaker_id,)

    def chain_source_ids(self) -> set[UUID]:
        return {link.source_id for report in self.reports for link in report.links}

    @property
    def current_verdicts(self) -> dict[UUID | None, VerdictGiven]:
        """The latest verdict of each checker (None: the newsroom); earlier ones stay in ``verdicts``."""
        return {verdict.checker_id: verdict for verdict in self.verdicts}


# How each correctable field is stored in ClaimCorrected (JSON) and read back into the state.
_FIELD_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "said_on": (lambda d: d.to_dict(), dates.from_value),
    "happened_on": (lambda d: d.to_dict(), dates.from_value),
    "speaker_id": (str, UUID),
    "quote_source_id": (lambda v: None if v is None else str(v), lambda v: None if v is None else UUID(v)),
    "topics": (list, tuple),
}


def stored_value(field: str, value: Any) -> Any:
    """A field's value as a correction event stores it."""
    encode = _FIELD_CODECS.get(field, (lambda v: v, None))[0]
    return encode(value)


def loaded_value(field: str, value: Any) -> Any:
    decode = _FIELD_CODECS.get(field, (None, lambda v: v))[1]
    return decode(value)


def evolve(state: Claim | None, event) -> Claim:
    """Apply one event to the state it follows."""
    if isinstance(event, ClaimRecorded):
        return Claim(
            claim_id=event.claim_id, version=1, recorded=event, summary=event.summary,
            speaker_id=event.speaker_id, cue=event.cue, said_on=event.said_on, happened_on=event.happened_on,
            quote=event.quote, quote_source_id=event.quote_source_id, speaker_role=event.speaker_role,
            speaker_as_written=event.speaker_as_written, topics=tuple(event.topics), note=event.note,
        )
    version = state.version + 1
    if isinstance(event, ClaimReported):
        report = Report(event.report_id, event.links)
        return replace(state, version=version, reports=state.reports + (report,))
    if isinstance(event, ClaimCorrected):
        return replace(state, version=version, corrections=state.corrections + (event,),
                       **{event.field: loaded_value(event.field, event.new_value)})
    if isinstance(event, ClaimRetracted):
        return replace(state, version=version, retraction=event)
    if isinstance(event, VerdictGiven):
        return replace(state, version=version, verdicts=state.verdicts + (event,))
    if isinstance(event, ClaimsLinked):
        return replace(state, version=version, links=state.links + (event,))
    raise TypeError(f"not a claim event: {event!r}")


def fold(events: Iterable) -> Claim | None:
    """The state after all of one claim's events; None when it has none."""
    state = None
    for event in events:
        state = evolve(state, event)
    return state
