"""Short references resolved to a source named earlier: "He adds", "Brown added", "the Times", "FT",
"the minister", "the same survey", "The newspaper".

Candidates are the speakers already seen, nearest first, and for surnames and titles also the people the
article names anywhere before ("Gov. Ellen Park's office" names Ellen Park). A pronoun looks no further
back than the paragraph before; a surname, a short outlet name or a description anywhere earlier.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from factlog.extraction import lexicon
from factlog.extraction.article import Article
from factlog.extraction.attributions import Attribution
from factlog.extraction.chains import same_source
from factlog.extraction.names import Mention, analyze
from factlog.extraction.quotes import MASK
from factlog.sources.names import normalized

_PRONOUN_KINDS = {
    "person": {"person"},
    "thing": {"document", "poll", "organization", "government_body", "outlet"},
    "plural": {"collective", "unnamed", "organization", "government_body"},
    "respondents": {"poll"},
}
_PRONOUN_REACH = {"person": 1, "thing": 0, "plural": 1, "respondents": 1}  # paragraphs back
_DEFINITE_REACH = 8  # paragraphs back for "the minister", "the report"
# Documents the article names, so that "It decries ..." can refer to "the 2025 National Security Strategy".
_NAMED_DOCUMENT = re.compile(r"\b(?:[Tt]he\s+)?(?:\d{4}\s+)?(?:[A-Z][\w\-]*\s+){1,5}(?:Strategy|Report|Review|Plan|"
                             r"Doctrine|Act|Agreement|Treaty|Accord|Memorandum|Declaration|Resolution|Assessment|"
                             r"Study|Survey|Charter|Directive)\b")
_NAMED_PERSON = re.compile(r"(?:(?:[A-Z][\w\-.]*|of|for|the)\s+)*[A-Z][\w\-]+\s+[A-Z][\w\-]+")


@dataclass
class Seen:
    paragraph: int
    position: int
    mention: Mention


class Resolver:
    def __init__(self, article: Article, masked: str, sentence_paragraphs: list[tuple[int, int, int]]) -> None:
        self.article = article
        self.masked = masked
        self.seen: list[Seen] = []
        self.people = _people(masked, sentence_paragraphs)  # every person named, by position
        self.documents = _documents(masked, sentence_paragraphs)  # (position, paragraph, mention)

    def resolve(self, attribution: Attribution) -> bool:
        """Resolve the attribution's speaker and relays in place; False when it should be dropped."""
        paragraph = attribution.sentence.paragraph
        speaker = self._resolved(attribution.speaker, paragraph)
        if speaker is None:
            return False
        attribution.speaker = speaker
        for relay in attribution.relays:
            relay.mention = self._resolved(relay.mention, paragraph) or relay.mention
        if attribution.quote_source is not None:
            attribution.quote_source = next(
                (relay.mention for relay in attribution.relays
                 if relay.mention.as_written == attribution.quote_source.as_written), attribution.quote_source)
        for mention in [relay.mention for relay in attribution.relays] + [speaker]:
            if not mention.pronoun:
                self.seen.append(Seen(paragraph, mention.start, mention))
        return True

    def _resolved(self, mention: Mention, paragraph: int) -> Mention | None:
        if mention.pronoun:
            return self._pronoun(mention, paragraph)
        if mention.definite:
            found = self._definite(mention, paragraph)
            if found is None:
                mention.notes.append(f"'{mention.as_written}' names no source written before it")
            return found or mention
        for seen in reversed(self.seen):
            earlier = seen.mention
            if earlier.name == mention.name:
                return replace(mention, role=mention.role or earlier.role, kind=earlier.kind,
                               notes=list(mention.notes))
            if self._shortens(mention, earlier):
                return _copy(earlier, mention)
        if mention.short and mention.kind == "person":
            person = self._person(lambda name, role: _surname_of(mention.name, name), mention.start)
            if person is not None:
                return _copy(person, mention)
        if mention.short:
            for seen in reversed(self.seen):  # "Greystone" for "Greystone Health"
                if _first_word_of(mention.name, seen.mention):
                    return _copy(seen.mention, mention)
        return mention

    def _pronoun(self, mention: Mention, paragraph: int) -> Mention | None:
        kinds = _PRONOUN_KINDS[mention.pronoun]
        reach = _PRONOUN_REACH[mention.pronoun]
        candidates = [seen for seen in self.seen if paragraph - seen.paragraph <= reach and seen.mention.kind in kinds]
        if mention.pronoun == "thing":  # a document named in the paragraph, speaker or not
            candidates += [Seen(number, position, document) for position, number, document in self.documents
                           if number == paragraph and position < mention.start]
        if candidates:
            return _copy(max(candidates, key=lambda seen: seen.position).mention, mention)
        if mention.pronoun in {"thing", "respondents"}:
            return None
        mention.notes.append(f"could not tell who '{mention.as_written}' is")
        return mention

    def _definite(self, mention: Mention, paragraph: int) -> Mention | None:
        """"the minister" -> the last person whose title or name has the word; "the survey" -> the last
        poll; "The newspaper" -> the last outlet; "the statement" -> the last body to speak nearby."""
        noun = mention.definite
        for seen in reversed(self.seen):
            if paragraph - seen.paragraph > _DEFINITE_REACH:
                break
            earlier = seen.mention
            if earlier.definite:
                continue
            if _describes(noun, mention.kind, earlier):
                return _copy(earlier, mention)
        if mention.kind == "person":
            person = self._person(lambda name, role: _has_word(role or "", noun), mention.start)
            if person is not None:
                return _copy(person, mention)
        if mention.kind == "document":
            named = [document for position, number, document in self.documents
                     if position < mention.start and paragraph - number <= _DEFINITE_REACH]
            if named:
                return _copy(named[-1], mention)
        if mention.kind in {"government_body", "organization", "unnamed"}:
            described = self._described_before(mention)
            if described is not None:
                return described
        if noun == "statement":
            for seen in reversed(self.seen):
                if paragraph - seen.paragraph <= 1 and seen.mention.kind in {
                        "organization", "government_body", "collective", "outlet"}:
                    return _copy(seen.mention, mention)
        return None

    def _described_before(self, mention: Mention) -> Mention | None:
        """"The agency" for "the national cyber security agency" written earlier, speaker or not."""
        pattern = re.compile(rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts)\s+((?:[a-z][\w\-]*\s+){{1,4}}){re.escape(mention.definite)}\b")
        found = None
        for match in pattern.finditer(self.masked, max(0, mention.start - 3000), mention.start):
            found = match
        if found is None:
            return None
        described = Mention(found.group(0).split(None, 1)[1], found.group(0), mention.kind, found.start(), found.end())
        return _copy(described, mention)

    def _person(self, wanted, before: int) -> Mention | None:
        for position, person in reversed(self.people):
            if position < before and wanted(person.name, person.role):
                return person
        return None

    @staticmethod
    def _shortens(short: Mention, full: Mention) -> bool:
        """"Brown" for "Nick Brown", "the Times" for "the New York Times", "FT" for "Financial Times"."""
        if short.kind != full.kind and not (short.kind in {"person", "organization"} and short.short):
            return False
        if short.kind == "outlet" or full.kind == "outlet":
            if full.kind != "outlet":
                return False
            if same_source(short.name, full.name):
                return True
        if not short.short:
            return False
        return _surname_of(short.name, full.name)


def _copy(earlier: Mention, written: Mention) -> Mention:
    notes = list(written.notes) + [f"'{written.as_written}' taken to be {earlier.name}, named before"]
    return Mention(earlier.name, written.as_written, earlier.kind, written.start, written.end,
                   role=written.role or earlier.role, notes=notes)


def _first_word_of(short: str, full: Mention) -> bool:
    """A body called by the first word of its name; never a possessive ("Ferro's office" is not Ferro)."""
    if full.kind not in {"organization", "government_body"} or re.search(r"[’']s\b", full.as_written):
        return False
    words = normalized(full.name).split()
    return len(words) > 1 and words[:1] == normalized(short).split()


def _surname_of(short: str, full: str) -> bool:
    short_words, full_words = normalized(short).split(), normalized(full).split()
    return 0 < len(short_words) < len(full_words) and full_words[-len(short_words):] == short_words


def _has_word(text: str, noun: str) -> bool:
    words = {word.lower().rstrip(".,") for word in re.findall(r"[\w.\-]+", text)}
    words |= {lexicon.TITLE_ABBREVIATIONS.get(word.rstrip("."), word) for word in words}
    return noun in words or noun.rstrip("s") in words


def _describes(noun: str, kind: str, earlier: Mention) -> bool:
    if kind == "person":
        return earlier.kind == "person" and (_has_word(earlier.role or "", noun)
                                             or _has_word(earlier.as_written, noun))
    if kind in {"poll", "document"}:
        return earlier.kind in {"poll", "document"} and (
            kind == earlier.kind and (noun in normalized(earlier.name) or kind == "poll")
            or noun in normalized(earlier.as_written))
    if kind == "outlet":
        return earlier.kind == "outlet"
    if kind == "unnamed":
        return earlier.kind == "unnamed" and _has_word(earlier.name, noun)
    return earlier.kind == kind and (_has_word(earlier.name, noun) or _has_word(earlier.role or "", noun)
                                     or _has_word(earlier.as_written, noun) or noun in {
                                         "company", "firm", "government", "ministry"})


def _documents(masked: str, sentence_spans: list[tuple[int, int, int]]) -> list[tuple[int, int, Mention]]:
    found = []
    for start, end, paragraph in sentence_spans:
        for match in _NAMED_DOCUMENT.finditer(masked, start, end):
            written = match.group(0)
            name = re.sub(r"^[Tt]he\s+", "", written)
            found.append((match.start(), paragraph, Mention(name, written, "document", match.start(), match.end())))
    return found


def _people(masked: str, sentence_spans: list[tuple[int, int, int]]) -> list[tuple[int, Mention]]:
    """Every person the text names with a first name and a surname (and any title before them)."""
    found = []
    for start, end, _ in sentence_spans:
        for match in _NAMED_PERSON.finditer(masked, start, end):
            if MASK in match.group(0):
                continue
            mention = analyze(masked, match.start(), match.end())
            if mention is not None and mention.kind == "person" and len(mention.name.split()) >= 2 \
                    and not mention.pronoun and not mention.definite:
                found.append((match.start(), mention))
    return found
