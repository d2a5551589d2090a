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
from factlog.extraction.chains import CITING, QUOTING, Relay
from factlog.extraction.cues import Cue, find_cues, needs_clause, relay_only
from factlog.extraction.names import Mention, analyze
from factlog.extraction.nesting import fold_nested, pronoun_restated, quoted_report
from factlog.extraction.quote_owners import owner as quote_owner
from factlog.extraction.quotes import MASK, Quote
from factlog.extraction.sentences import Sentence

_LEADING_CONTENT = re.compile(r"[\s,:]*(?:that\s+|on\s+(?=the\s+reports?|reports?|whether)|about\s+(?=whether))?",
                              re.IGNORECASE)
# Asides between a verb of saying and what was said.
_AFTER_VERB = re.compile(
    r"(?:[\s,]+|\b(?:on|in|at|during|over|via|through)\s+(?:a|an|the|its|his|her|their)\s+"
    r"(?:[\w\-]+\s+){0,3}?(?:statement|interview|email|e-mail|letter|post|speech|briefing|note|filing|memo|"
    r"report|assessment|rally|conference|meeting|hearing|session|call|video|broadcast|message|appearance)\b"
    r"(?:\s+(?:in|at|on|with|to)\s+(?:the\s+)?[\w\-]+(?:\s+of\s+[A-Z][\w\-]+)?)?"
    r"(?:\s+(?:published|released|issued|dated|filed)\s+(?:in|on|last)?\s*[\w.]+(?:\s+\d{1,2})?)?|"
    r"\b(?:on|in)\s+(?:social\s+media|television|radio|parliament|court)|\bto\s+reporters|\bpublicly|"
    r"\bonly|\balso|\bagain|\blater|\bfurther|\b(?:on|in)\s+(?=[A-Z][a-z]+\b))")
_CLAUSE_START = re.compile(r"\b(?:that|whether|is|are|was|were|will|would|has|have|had|could|should|must)\b")
_DENIED_NOUN = re.compile(r"\s*(?:the|these|those|such|that|this|any|all)\s+(?:[\w\-]+\s+)?(?:accusations?|claims?|"
                          r"allegations?|charges?|reports?|suggestions?|criticism|idea)\b", re.IGNORECASE)
# Verbs whose speaker may follow them: "“...,” said X".
_INVERTIBLE = {"said", "warned", "claimed", "stated", "estimated", "questioned"}
_CITING = re.compile(r"(?:\s+(?:on|in|late|early)\s+[\w.]+(?:\s+\d{1,2})?)?\s*,\s*citing\s+(?P<who>[^,;\ue000]{2,80}?)"
                     r"\s*,\s*(?:that\b)?")
# "but could not confirm", "and declined to comment": the verb shares the subject before it.
_SHARED_SUBJECT = re.compile(r"\b(?:but|and)\s*$", re.IGNORECASE)
_QUOTED_AS_SAYING = re.compile(r"\s+(?P<who>.{2,80}?)\s+as\s+(?:saying|telling\s+[^,;]{1,40}?)\b")


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
    relay_only: bool = False  # "the newspaper cited a memo": kept only as the relay of what it holds
    continued: bool = False  # a quotation standing alone, taken to go on from the speaker before
    continues: Attribution | None = None  # the attribution it goes on from
    said_on: object = None  # the SaidOn proposed, once known (a continuation takes it)
    scope_start: int | None = None  # where its own words begin when a report holds it
    sibling_cues: list[int] = field(default_factory=list)  # the other cues of its sentence
    notes: list[str] = field(default_factory=list)


def in_sentence(text: str, masked: str, sentence: Sentence, quotes: list[Quote]) -> list[Attribution]:
    """Every attribution the sentence makes, nested reports folded into the chain of the innermost."""
    start, end = sentence.start, sentence.end
    found: list[Attribution] = []
    for cue in find_cues(masked, start, end)[:MAX_CUES]:
        attribution = _attribution(masked, sentence, cue, found)
        if attribution is not None:
            found.append(attribution)
    found = fold_nested(masked, pronoun_restated(masked, found))
    found = [attribution for attribution in found if not attribution.relay_only]
    mine = [quote for quote in quotes if start <= quote.outer_start < end]
    for quote in mine:
        owner = quote_owner(masked, quote, found)
        if owner is not None:
            owner.quotes.append(quote)
    for attribution in found:
        quoted_report(text, attribution)
    return found


def _attribution(masked: str, sentence: Sentence, cue: Cue, earlier: list[Attribution]) -> Attribution | None:
    start, end = sentence.start, sentence.end
    if cue.form == "according_to":
        return _according_to(masked, sentence, cue)
    if cue.form == "noun_report":
        speaker = analyze(masked, cue.start, cue.end - len("that"))
        if speaker is None:
            return None
        speaker.kind, speaker.name = "unnamed", speaker.as_written
        content = (clause_after(masked, cue.end, end), end)
        return Attribution(cue, "reported", speaker, _trim(masked, content), sentence)
    if (quoted := _QUOTED_AS_SAYING.match(masked, cue.end, end)) and cue.word.lower().startswith("quot"):
        return _quoted_as_saying(masked, sentence, cue, quoted, earlier)
    clause_start = _clause_start(masked, start, cue.start)
    speaker = speakers.before(masked, clause_start, cue.start)
    inverted = False
    if speaker is None and earlier and _SHARED_SUBJECT.search(masked, clause_start, cue.start):
        speaker = earlier[-1].speaker  # "said it was reviewing the plans but could not confirm ..."
    if speaker is None:
        if not _may_invert(masked, start, cue):
            return None
        speaker, _ = speakers.after(masked, cue.end, end)
        if speaker is None or speaker.pronoun == "thing":
            return None
        inverted = True
    if cue.form == "if_negative" and not speaker.negative:
        return None
    attribution = Attribution(cue, cue.cue, speaker, (0, 0), sentence, inverted=inverted,
                              relay_only=relay_only(cue.word))
    if inverted:
        attribution.content = _trim(masked, (start, cue.start))
        return attribution if attribution.content[1] > attribution.content[0] else None
    content_start = cue.end
    if (citing := _CITING.match(masked, cue.end, end)) and cue.cue in {"reported", "said"}:
        inner = analyze(masked, citing.start("who"), citing.end("who"))
        if inner is not None:  # "The Courier reported on Thursday, citing a senior official, that ..."
            attribution.relays = [Relay(speaker, CITING)]
            attribution.speaker, attribution.cue_name = inner, "said"
            attribution.scope_start = citing.end()
            attribution.notes.append(f"reported by {speaker.as_written}")
            content_start = citing.end()
    if cue.cue == "told":
        recipient, content_start = _recipient(masked, cue.end, end)
        attribution.recipient = recipient
    content_start = clause_after(masked, content_start, end)
    if _tagged(masked, start, speaker, content_start, end) and _only_adverbial(masked[content_start:end]):
        content = (start, speaker.start)  # "“...,” Nick Brown said on Tuesday at a rally."
    else:
        content = (content_start, end)
        if not _takes_what_follows(masked, cue, speaker, content_start, end):
            return None
    attribution.content = _trim(masked, content)
    if attribution.content[1] <= attribution.content[0]:
        return None
    return attribution


def _according_to(masked: str, sentence: Sentence, cue: Cue) -> Attribution | None:
    start, end = sentence.start, sentence.end
    speaker, consumed = speakers.after(masked, cue.end, end)
    if speaker is None:
        return None
    before_text = masked[start:cue.start].strip(" ,")
    if before_text and not re.fullmatch(r"(?:but|and|yet|so|also|however|still)", before_text, re.IGNORECASE):
        content = (start, _rstrip(masked, start, cue.start))
    else:
        content = (clause_after(masked, consumed, end), end)
    return Attribution(cue, according_to_cue(speaker), speaker, _trim(masked, content), sentence, inverted=True)


def _quoted_as_saying(masked: str, sentence: Sentence, cue: Cue, quoted: re.Match,
                      earlier: list[Attribution]) -> Attribution | None:
    """"The newspaper quoted a government adviser as saying that ...": the adviser speaks, the newspaper
    quotes."""
    relay = speakers.before(masked, _clause_start(masked, sentence.start, cue.start), cue.start)
    speaker = analyze(masked, quoted.start("who"), quoted.end("who"))
    if relay is None or speaker is None:
        return None
    content_start = clause_after(masked, quoted.end(), sentence.end)
    attribution = Attribution(cue, "said", speaker, _trim(masked, (content_start, sentence.end)), sentence,
                              relays=[Relay(relay, QUOTING)])
    attribution.notes.append(f"quoted by {relay.as_written}")
    return attribution


def _tagged(masked: str, start: int, speaker: Mention, content_start: int, end: int) -> bool:
    """The speaker after what was said: "“...,” Nick Brown said", "The cabinet will decide, Okafor said."."""
    before = masked[start:speaker.start].rstrip()
    if before.rstrip(",").endswith(MASK):
        return True
    return before.endswith(",") and not masked[content_start:end].strip(" .")


def _only_adverbial(words: str) -> bool:
    """Nothing said after the verb: "on Tuesday", "at a rally in the port of Hallen", "in an interview"."""
    rest = words.strip(" .,")
    if not rest:
        return True
    return _CLAUSE_START.search(rest) is None and len(rest.split()) <= 12


def _takes_what_follows(masked: str, cue: Cue, speaker: Mention, content_start: int, end: int) -> bool:
    """Whether the verb attributes the words after it: "found that ...", not "found the body"."""
    following = masked[content_start:end]
    opens_clause = re.match(rf"\s*(?:that\b|whether\b|{MASK}|:)", masked[cue.end:end]) is not None or \
        content_start > cue.end and re.search(r"\bthat\s*$", masked[cue.end:content_start]) is not None
    if cue.cue == "denied" and _DENIED_NOUN.match(following):
        return True
    if cue.word.lower().startswith("accus"):
        return re.search(r"\bof\b", following) is not None
    if needs_clause(cue.word) and speaker.kind not in {"poll", "document"}:
        return opens_clause or following.lstrip().startswith(MASK)
    if cue.cue in {"found", "estimated"} and speaker.kind not in {"poll", "document", "unnamed"}:
        return opens_clause or re.match(r"\s*,", masked[cue.end:end]) is not None
    return True


def clause_after(masked: str, start: int, end: int) -> int:
    """Where the words said begin after a verb: past dates and asides ("on Tuesday", "in a statement",
    "at a rally in Hallen") and "that"."""
    position = start
    while True:
        match = _AFTER_VERB.match(masked, position, end)
        if match is None or match.end() == position:
            break
        position = match.end()
        dated = date_words.find_dates(masked, position, min(end, position + 30), None)
        if dated and masked[position:dated[0].start].strip() == "":
            position = dated[0].end
    match = _LEADING_CONTENT.match(masked, position, end)
    return match.end() if match else position


# A real sentence has a few cues; a paste of nothing but "X said that" would otherwise cost seconds.
MAX_CUES = 16
SUBJECT_REACH = 300  # characters before a verb where its subject may begin


def _clause_start(masked: str, start: int, cue_start: int) -> int:
    """After the last quotation or semicolon before the cue: a subject is never across one."""
    start = max(start, cue_start - SUBJECT_REACH)
    last = start
    for match in re.finditer(rf"{MASK}+|;", masked[start:cue_start]):
        last = start + match.end()
    return last


def _may_invert(masked: str, start: int, cue: Cue) -> bool:
    """"“...,” said X" and "..., said X": a verb of saying right after a quotation or a comma."""
    if cue.form != "verb" or cue.cue not in _INVERTIBLE or cue.word.lower().endswith("ing"):
        return False
    before = masked[start:cue.start].rstrip()
    return before.endswith((",", MASK))


def _recipient(masked: str, after: int, end: int) -> tuple[Mention | None, int]:
    """Whom a speaker told ("told Russian media that ..."): the words up to "that" or a comma."""
    stop = re.compile(rf"\bthat\b|[,;:{MASK}]|\s(?:on|in|during|about)\s").search(masked, after, end)
    recipient_end = stop.start() if stop else end
    mention = analyze(masked, after, recipient_end)
    return mention, recipient_end


def according_to_cue(speaker: Mention) -> str:
    """The cue of "according to X", by what X is: an outlet reported, a poll or study found."""
    noun = speaker.name.split()[-1].lower() if speaker.name.split() else ""
    if speaker.definite:
        noun = speaker.definite
    if speaker.kind == "outlet":
        return "reported"
    if speaker.kind == "poll" or noun in lexicon.FINDING_DOCUMENTS:
        return "found"
    if speaker.kind == "document":
        return "reported" if noun in lexicon.REPORTING_DOCUMENTS else "stated"
    if speaker.kind == "unnamed" and re.search(r"\b(?:media|press|reports)\b", speaker.name, re.IGNORECASE):
        return "reported"
    return "said"


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

