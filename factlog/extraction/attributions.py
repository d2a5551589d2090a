"""Attributions in one sentence: each cue with its speaker, the words it attributes, and relays.

A sentence's quotations are masked (quotes.MASK) while cues and speakers are looked for, so a verb
inside a quotation is not taken for the attribution; a quotation that itself holds one ("the Times
reported that “Nick Brown ... said it was ...”") is read again from the inside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from factlog.extraction import dates as date_words
from factlog.extraction import lexicon, speakers
from factlog.extraction.chains import CITING, QUOTING, TOLD, Relay
from factlog.extraction.cues import Cue, find_cues, needs_clause
from factlog.extraction.names import Mention, analyze
from factlog.extraction.quotes import MASK, Quote
from factlog.extraction.sentences import Sentence

_LEADING_CONTENT = re.compile(r"[\s,:]*(?:that\s+|on\s+(?=the\s+reports?|reports?|whether)|about\s+(?=whether))?",
                              re.IGNORECASE)
_COORDINATE = re.compile(r",\s*(?:and|but|while)\s+|;\s*", re.IGNORECASE)
_TAG_GAP = re.compile(r"^[\s,]*$")


@dataclass
class Attribution:
    cue: Cue
    cue_name: str  # one of CUES
    speaker: Mention
    content: tuple[int, int]  # the attributed words (reported speech, or where the quotations are)
    sentence: Sentence
    inverted: bool = False  # the speaker after the cue: "said X", "according to X"
    quotes: list[Quote] = field(default_factory=list)
    relays: list[Relay] = field(default_factory=list)
    quote_source: Mention | None = None  # whose words the quotation is, when not the speaker's
    told_outlet: bool = False  # "X told <the article's outlet>"
    recipient: Mention | None = None
    continued: bool = False  # a quotation standing alone, taken to go on from the speaker before
    notes: list[str] = field(default_factory=list)


def in_sentence(text: str, masked: str, sentence: Sentence, quotes: list[Quote]) -> list[Attribution]:
    """Every attribution the sentence makes, nested reports folded into the chain of the innermost."""
    start, end = sentence.start, sentence.end
    found: list[Attribution] = []
    for cue in find_cues(masked, start, end):
        attribution = _attribution(masked, sentence, cue)
        if attribution is not None:
            found.append(attribution)
    found = _fold_nested(masked, found)
    mine = [quote for quote in quotes if start <= quote.outer_start < end]
    for quote in mine:
        owner = _owner(masked, quote, found)
        if owner is not None:
            owner.quotes.append(quote)
    for attribution in found:
        _quoted_report(text, attribution)
    return found


def _attribution(masked: str, sentence: Sentence, cue: Cue) -> Attribution | None:
    start, end = sentence.start, sentence.end
    if cue.form == "according_to":
        speaker, consumed = speakers.after(masked, cue.end, end)
        if speaker is None:
            return None
        before_text = masked[start:cue.start].strip(" ,")
        if before_text and not re.fullmatch(r"(?:but|and|yet|so|also|however|still)", before_text, re.IGNORECASE):
            content = (start, _rstrip(masked, start, cue.start))
        else:
            content = (_lstrip(masked, consumed, end), end)
        return Attribution(cue, _according_to_cue(speaker), speaker, _trim(masked, content), sentence,
                           inverted=True)
    clause_start = _clause_start(masked, start, cue.start)
    speaker = speakers.before(masked, clause_start, cue.start)
    inverted = False
    content_start = cue.end
    if speaker is None:
        if not _may_invert(masked, start, cue):
            return None
        speaker, consumed = speakers.after(masked, cue.end, end)
        if speaker is None or speaker.pronoun == "thing":
            return None
        inverted = True
        content = (start, cue.start)
    if cue.form == "if_negative" and not speaker.negative:
        return None
    attribution = Attribution(cue, cue.cue, speaker, (0, 0), sentence, inverted=inverted)
    if not inverted:
        if cue.cue == "told":
            recipient, recipient_end = _recipient(masked, cue.end, end)
            attribution.recipient = recipient
            content_start = recipient_end
        content = (_lstrip(masked, content_start, end), end)
        if _only_date_or_nothing(masked[content[0]:end]) and masked[start:speaker.start].strip(" ,"):
            content = (start, speaker.start)  # "“...,” Nick Brown said on Tuesday."
        if needs_clause(cue.word) and speaker.kind not in {"poll", "document"}:
            if not re.match(rf"\s*(?:that\b|{MASK})", masked[content_start:end]):
                return None
        if cue.cue in {"found", "estimated"} and not re.match(rf"\s*(?:that\b|{MASK}|,)", masked[cue.end:end]) \
                and speaker.kind not in {"poll", "document", "unnamed"}:
            return None
    attribution.content = _trim(masked, content)
    if attribution.content[1] <= attribution.content[0]:
        return None
    return attribution


def _only_date_or_nothing(words: str) -> bool:
    rest = words.strip(" .,")
    return not rest or bool(date_words.find_dates(rest, 0, len(rest), None)) and len(rest.split()) <= 4


def _clause_start(masked: str, start: int, cue_start: int) -> int:
    """After the last quotation or semicolon before the cue: a subject is never across one."""
    last = start
    for match in re.finditer(rf"{MASK}+|;", masked[start:cue_start]):
        last = start + match.end()
    return last


def _may_invert(masked: str, start: int, cue: Cue) -> bool:
    """"“...,” said X" and "..., said X": the verb right after a quotation or a comma."""
    before = masked[start:cue.start].rstrip()
    return before.endswith(",") or before.endswith(MASK) or (before.endswith(f"{MASK},"))


def _recipient(masked: str, after: int, end: int) -> tuple[Mention | None, int]:
    """Whom a speaker told ("told Russian media that ..."): the words up to "that" or a comma."""
    stop = re.compile(rf"\bthat\b|[,;:{MASK}]|\s(?:on|in|during|about)\s").search(masked, after, end)
    recipient_end = stop.start() if stop else end
    mention = analyze(masked, after, recipient_end)
    return mention, recipient_end


def _according_to_cue(speaker: Mention) -> str:
    if speaker.kind == "outlet":
        return "reported"
    if speaker.kind == "poll":
        return "found"
    if speaker.kind == "document":
        return "reported" if re.search(r"\breports?\b", speaker.name, re.IGNORECASE) else "stated"
    if speaker.kind == "unnamed" and re.search(r"\b(?:media|press|reports)\b", speaker.name, re.IGNORECASE):
        return "reported"
    return "said"


def _fold_nested(masked: str, found: list[Attribution]) -> list[Attribution]:
    """"the Times reported that Nick Brown said ...": the outer report becomes a relay of the inner one."""
    kept = []
    for outer in found:
        inner = next((other for other in found if other is not outer and _nests(masked, outer, other)), None)
        if inner is None:
            kept.append(outer)
            continue
        relation = TOLD if outer.cue_name == "told" else CITING
        inner.relays = outer.relays + [Relay(outer.speaker, relation)] + inner.relays
        inner.notes.append(f"reported by {outer.speaker.as_written} ({outer.cue.word})")
    return [attribution for attribution in kept if not _is_relay(attribution, found)]


def _is_relay(attribution: Attribution, found: list[Attribution]) -> bool:
    return any(relay.mention is attribution.speaker for other in found for relay in other.relays)


def _nests(masked: str, outer: Attribution, inner: Attribution) -> bool:
    start, end = outer.content
    if not (start <= inner.speaker.start and inner.cue.end <= end) or inner.speaker.pronoun:
        return False
    between = masked[start:inner.speaker.start]
    return _COORDINATE.search(between) is None and outer.cue_name in {"reported", "said", "claimed", "told"}


def _owner(masked: str, quote: Quote, found: list[Attribution]) -> Attribution | None:
    """The attribution a quotation belongs to: the tag right after it, or the one whose words hold it."""
    for attribution in found:
        if attribution.inverted and attribution.cue.form == "verb":
            if quote.outer_end <= attribution.cue.start and _TAG_GAP.match(
                    masked[quote.outer_end:attribution.cue.start]):
                return attribution
        if not attribution.inverted and quote.outer_end <= attribution.speaker.start and _TAG_GAP.match(
                masked[quote.outer_end:attribution.speaker.start]) and attribution.cue.form == "verb" \
                and masked[attribution.speaker.end:attribution.cue.start].strip(" ,") in {"", *_role_gap(
                    masked, attribution)}:
            return attribution
    for attribution in found:
        start, end = attribution.content
        if start <= quote.outer_start and quote.outer_end <= end + 1:
            return attribution
    for attribution in found:  # "“A,” he said, “B.”": the second part goes with the first
        tag_end = max(attribution.speaker.end, attribution.cue.end)
        if attribution.quotes and tag_end <= quote.outer_start and _TAG_GAP.match(
                masked[tag_end:quote.outer_start]):
            return attribution
    return None


def _role_gap(masked: str, attribution: Attribution) -> set[str]:
    role = attribution.speaker.role
    return {role} if role else set()


def _quoted_report(text: str, attribution: Attribution) -> None:
    """"the Times reported that “Nick Brown, an analyst at Janes, said it was ...”": the quotation is the
    relay's words reporting another speaker, who becomes the speaker; the relay is cited."""
    if len(attribution.quotes) != 1 or attribution.cue_name not in {"reported", "said", "claimed"}:
        return
    quote = attribution.quotes[0]
    start, end = attribution.content
    if text[start:quote.outer_start].strip(" ,:") not in {"", "that"}:
        return
    for cue in find_cues(text, quote.start, quote.end):
        if cue.form != "verb" or cue.cue not in {"said", "told", "claimed", "warned", "estimated", "stated"}:
            continue
        inner = speakers.before(text, quote.start, cue.start)
        if inner is None or inner.pronoun or inner.start > quote.start + 2:
            continue
        relation = QUOTING if "‘" in text[cue.end:quote.end] else CITING
        outer = attribution.speaker
        attribution.relays = attribution.relays + [Relay(outer, relation)]
        attribution.quote_source = outer
        attribution.notes.append(f"the quotation marks hold {outer.as_written}'s words, which report "
                                 f"{inner.name}")
        attribution.speaker, attribution.cue_name = inner, cue.cue
        return


def _lstrip(masked: str, start: int, end: int) -> int:
    match = _LEADING_CONTENT.match(masked, start, end)
    return match.end() if match else start


def _rstrip(masked: str, start: int, end: int) -> int:
    while end > start and masked[end - 1] in " ,":
        end -= 1
    return end


def _trim(masked: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and masked[start] in " ,:":
        start += 1
    while end > start and masked[end - 1] in " ,":
        end -= 1
    return start, end


def is_outlet_like(mention: Mention | None) -> bool:
    """A recipient that publishes: "told Reuters", "told Russian media"."""
    if mention is None:
        return False
    if mention.kind == "outlet":
        return True
    words = mention.name.lower().split()
    return mention.kind == "unnamed" and bool(words) and words[-1] in lexicon.OUTLET_NOUNS
