"""Attributions inside attributions: a report that holds another becomes a relay of it.

"the Times reported that Nick Brown said ..." is Nick Brown's claim through the Times; "Ferro's office said
it did not comment" is one refusal by the office; a quotation holding a report ("the Times reported that
“Nick Brown ... said it was ...”") is read again from the inside.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from factlog.extraction import lexicon, speakers
from factlog.extraction.chains import CITING, QUOTING, TOLD, Relay
from factlog.extraction.cues import find_cues

if TYPE_CHECKING:
    from factlog.extraction.attributions import Attribution

_COORDINATE = re.compile(r",\s*(?:and|but|while)\s+|;\s*", re.IGNORECASE)


# What may stand between a report and the attribution it holds: nothing, or a phrase that sets the scene
# ("Hours after the strikes, the IRGC is warning ..."), or the document it cites ("a memo in which").
_NESTED_GAP = re.compile(r"^\s*(?:(?:hours|days|weeks|after|before|when|while|as|following|despite|since|"
                         r"amid|during|in|on|at|even\s+though|although|though)\b[^;]*,\s*|"
                         r"[^;,]*\b(?:in\s+which|where|which|whom)\s+)?$", re.IGNORECASE)


def fold_nested(masked: str, found: list[Attribution]) -> list[Attribution]:
    """"the Times reported that Nick Brown said ...": the outer report becomes a relay of the inner one."""
    kept = []
    for outer in found:
        inner = next((other for other in found if other is not outer and _nests(masked, outer, other)), None)
        if inner is None:
            kept.append(outer)
            continue
        relation = TOLD if outer.cue_name == "told" else CITING
        inner.relays = outer.relays + [Relay(outer.speaker, relation)] + inner.relays
        inner.scope_start = max(inner.scope_start or 0, outer.content[0])
        inner.notes.append(f"reported by {outer.speaker.as_written} ({outer.cue.word})")
    return [attribution for attribution in kept if not _is_relay(attribution, found)]


def pronoun_restated(masked: str, found: list[Attribution]) -> list[Attribution]:
    """"Ferro's office said it did not comment": one refusal by the office, not a saying and a refusal."""
    dropped = set()
    for outer in found:
        for inner in found:
            if inner is outer or not inner.speaker.pronoun:
                continue
            start, end = outer.content
            if start <= inner.speaker.start < end and masked[start:inner.speaker.start].strip() == "":
                inner.speaker = outer.speaker
                dropped.add(id(outer))
    return [attribution for attribution in found if id(attribution) not in dropped]


def _is_relay(attribution: Attribution, found: list[Attribution]) -> bool:
    return any(relay.mention is attribution.speaker for other in found for relay in other.relays)


def _nests(masked: str, outer: Attribution, inner: Attribution) -> bool:
    start, end = outer.content
    if not (start <= inner.speaker.start and inner.cue.end <= end) or inner.speaker.pronoun:
        return False
    between = masked[start:inner.speaker.start]
    if _COORDINATE.search(between) is not None or not _NESTED_GAP.match(between):
        return False
    return outer.cue_name in {"reported", "said", "claimed", "told", "found", "stated"}


def quoted_report(text: str, attribution: Attribution) -> None:
    """"the Times reported that “Nick Brown, an analyst at Janes, said it was ...”": the quotation is the
    relay's words reporting another speaker, who becomes the speaker; the relay is cited."""
    if len(attribution.quotes) != 1 or attribution.cue_name not in {"reported", "said", "claimed"}:
        return
    quote = attribution.quotes[0]
    start = attribution.content[0]
    if quote.outer_start < attribution.cue.end or text[start:quote.outer_start].strip(" ,:") not in {"", "that"}:
        return  # the quotation must be what the report says, after its verb
    for cue in find_cues(text, quote.start, quote.end):
        if cue.form != "verb" or cue.cue not in {"said", "told", "claimed", "warned", "estimated", "stated"}:
            continue
        inner = speakers.before(text, quote.start, cue.start)
        if inner is None or inner.pronoun or inner.definite or inner.start > quote.start + 2 or \
                inner.kind == "unnamed" or inner.name.split()[0].lower() in lexicon.NOT_NAMES:
            continue
        relation = QUOTING if "‘" in text[cue.end:quote.end] else CITING
        outer = attribution.speaker
        attribution.relays = attribution.relays + [Relay(outer, relation)]
        attribution.quote_source = outer
        attribution.notes.append(f"the quotation marks hold {outer.as_written}'s words, which report "
                                 f"{inner.name}")
        attribution.speaker, attribution.cue_name = inner, cue.cue
        attribution.scope_start = quote.start
        return
