"""``extract(article, sources)``: the attributions of a pasted article, proposed for an editor to confirm.

Rules over the text, no model and nothing downloaded (docs/extraction.md says why and what they miss):
paragraphs and sentences, quotations masked, cues, their speakers, then across sentences the pronouns
and short names resolved to a speaker named before, and standalone quotations given to the speaker
they continue.
"""
from __future__ import annotations

import re

from factlog.extraction import attributions as found_in
from factlog.extraction import dates as date_words
from factlog.extraction.article import Article
from factlog.extraction.attributions import Attribution
from factlog.extraction.chains import TOLD, Relay, build_chain, names_outlet
from factlog.extraction.matching import SourceCatalog
from factlog.extraction.names import Mention, analyze
from factlog.extraction.proposal import Proposal, SaidOn, Speaker
from factlog.extraction.quotes import MASK, Quote, find_quotes, masked
from factlog.extraction.resolution import Resolver
from factlog.extraction.sentences import Paragraph, paragraphs, sentences
from factlog.extraction.summaries import summary_of

# A date inside one of these phrases dates something else: "Following the killing ... earlier this month".
# A heading dates its section only with a day or a month written out ("Briefing on Nov. 25"), not with
# words such as "This Week".
_ABSOLUTE_DAY = re.compile(r"\d")
_FROM_PUBLICATION = re.compile(
    r"(?:From|Via|At)\s+(?:the\s+|a\s+)?(?P<source>[A-Z][\w.’'\- ]+?)(?:’s|'s)?\s+(?:daily\s+|press\s+|news\s+)?"
    r"(?:briefing|statement|conference|transcript|remarks|readout|hearing|interview)s?\b", re.IGNORECASE)
_FIELDWORK = re.compile(r"\b(?:conducted|fielded|carried\s+out|taken|surveyed)\s+(?:from\s+|between\s+|in\s+|on\s+)?$",
                        re.IGNORECASE)
_DESCRIPTION = re.compile(r",[^,]*\b(?:who|which|whose)\b", re.IGNORECASE)
_MONTH_WORD = re.compile(r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?$")
_OTHER_EVENT = re.compile(r"\b(?:after|following|before|since|until|hours|days|weeks)\b[^,]*$", re.IGNORECASE)


def extract(article: Article, sources: SourceCatalog | None = None) -> list[Proposal]:
    """Proposed attributions of ``article``, in the order of its text."""
    text = article.text
    paragraph_list = paragraphs(text)
    quotes = find_quotes(text, paragraph_list)
    hidden = masked(text, quotes)
    sentence_list = sentences(text, paragraph_list)
    resolver = Resolver(article, hidden, [(sentence.start, sentence.end, sentence.paragraph)
                                          for sentence in sentence_list])
    proposals: list[Proposal] = []
    previous: Attribution | None = None
    for sentence in sentence_list:
        sentence_quotes = [quote for quote in quotes if sentence.start <= quote.outer_start < sentence.end]
        found = found_in.in_sentence(text, hidden, sentence, sentence_quotes)
        if not found:
            continuation = _continuation(hidden, sentence, sentence_quotes, previous)
            found = [continuation] if continuation else []
        for attribution in found:
            attribution.sibling_cues = [other.cue.start for other in found if other is not attribution]
        for attribution in found:
            if not resolver.resolve(attribution):
                continue
            _recipient_as_relay(article, attribution)
            proposals.extend(_proposals(article, text, hidden, paragraph_list, attribution, sources,
                                        len(proposals)))
            previous = attribution
        if not found and previous is not None and sentence.paragraph > previous.sentence.paragraph + 1:
            previous = None
    return proposals


def _continuation(hidden: str, sentence, quotes: list[Quote], previous: Attribution | None):
    """A sentence that is a quotation and nothing else goes on from the quoted speaker just before."""
    if previous is None or not previous.quotes or not quotes:
        return None
    if sentence.paragraph - previous.sentence.paragraph > 1:
        return None
    outside = hidden[sentence.start:sentence.end].replace(MASK, "").strip(" .,")
    if outside:
        return None
    attribution = Attribution(previous.cue, previous.cue_name, previous.speaker,
                              (quotes[0].outer_start, quotes[-1].outer_end), sentence, quotes=list(quotes),
                              relays=list(previous.relays), continued=True, told_outlet=previous.told_outlet)
    attribution.continues = previous
    attribution.notes.append(f"a quotation standing alone, taken to go on from {previous.speaker.name}")
    return attribution


def _recipient_as_relay(article: Article, attribution: Attribution) -> None:
    """"told Russian media": the medium the claim went through joins the chain (told)."""
    recipient = attribution.recipient
    if recipient is None:
        return
    if names_outlet(recipient.name, article.outlet):
        attribution.told_outlet = True  # "told Atlas" in Atlas Press Agency's story
    elif found_in.is_outlet_like(recipient):
        attribution.relays = attribution.relays + [Relay(recipient, TOLD)]


def _proposals(article: Article, text: str, hidden: str, paragraph_list: list[Paragraph],
               attribution: Attribution, catalog: SourceCatalog | None, numbered: int):
    said_on, date_note = _said_on(article, text, hidden, paragraph_list, attribution)
    if attribution.continued and said_on.value == "unknown" and attribution.continues is not None:
        said_on = attribution.continues.said_on or said_on
    attribution.said_on = said_on
    speaker = _speaker(attribution.speaker, catalog)
    quotes = attribution.quotes or [None]
    for offset, quote in enumerate(quotes):
        notes = list(attribution.notes) + list(attribution.speaker.notes)
        quoted = quote is not None
        chain = build_chain(article, attribution.speaker, attribution.relays, quoted, catalog,
                            attribution.told_outlet, _section_source(text, paragraph_list, attribution))
        if article.outlet is None:
            notes.append("the article's outlet is not given: the chain's first link has no name")
        quote_source = None
        if attribution.quote_source is not None:
            quote_source = next((number for number, link in enumerate(chain)
                                 if link.name == attribution.quote_source.name), None)
        if said_on.value == "unknown" and said_on.as_written:
            notes.append(date_note or f"'{said_on.as_written}' could not be resolved to a date")
        yield Proposal(
            proposal_id=f"p{numbered + offset + 1}",
            quote=text[quote.start:quote.end] if quote else None,
            quote_span=(quote.start, quote.end) if quote else None,
            summary=summary_of(text, attribution, quote),
            cue=_cue(attribution.cue_name, speaker.kind),
            speaker=speaker,
            said_on=said_on,
            chain=chain,
            sentence_span=(attribution.sentence.start, attribution.sentence.end),
            confidence=_confidence(attribution, quote),
            notes=tuple(dict.fromkeys(notes)),
            quote_source=quote_source,
        )


def _cue(cue: str, kind: str) -> str:
    """A poll that "says" finds ("Only 18% said ..." of a survey's respondents)."""
    return "found" if kind == "poll" and cue in {"said", "stated", "reported"} else cue


def _speaker(mention: Mention, catalog: SourceCatalog | None) -> Speaker:
    match = catalog.match(mention.name, mention.kind) if catalog and mention.kind != "unnamed" else None
    kind = catalog.kind_of(match.source_id) if match else mention.kind
    return Speaker(mention.name, mention.as_written, mention.role, kind or mention.kind,
                   (mention.start, mention.end), match)


def _said_on(article: Article, text: str, hidden: str, paragraph_list: list[Paragraph],
             attribution: Attribution) -> tuple[SaidOn, str | None]:
    """The date written beside the attribution, outside the words attributed; else the section's."""
    sentence = attribution.sentence
    content_start, content_end = attribution.content
    scope = attribution.scope_start if attribution.scope_start is not None else sentence.start
    anchor = attribution.cue.start
    best = None
    for mention in date_words.find_dates(hidden, scope, sentence.end, article.published_on):
        if content_start <= mention.start < content_end or MASK in hidden[mention.start:mention.end]:
            continue
        if _dates_something_else(hidden, sentence.start, attribution, mention):
            continue
        distance = abs(mention.start - anchor)
        if any(abs(mention.start - other) < distance for other in attribution.sibling_cues):
            continue  # "Hemming claimed on Monday that ..., something officials have said"
        if best is None or distance < best[0]:
            best = (distance, mention)
    if best is None and attribution.cue.form != "noun_report":
        heading = _section_heading(paragraph_list, sentence.paragraph)
        if heading is not None and _dates_its_section(text, heading):
            mentions = [mention for mention in date_words.find_dates(
                text, heading.start, heading.end, article.published_on) if _ABSOLUTE_DAY.search(mention.as_written)]
            if mentions:
                best = (0, mentions[-1])
    if best is None:
        return SaidOn("unknown"), None
    mention = best[1]
    return SaidOn(mention.value, mention.as_written, (mention.start, mention.end)), mention.note


def _dates_something_else(hidden: str, sentence_start: int, attribution: Attribution, mention) -> bool:
    """A date that belongs to another event ("Following the killing ... earlier this month"), to fieldwork
    ("conducted March 3-7") or to a description of the speaker ("who is due in January")."""
    if _OTHER_EVENT.search(hidden[sentence_start:mention.start].split(",")[-1]):
        return True
    if _FIELDWORK.search(hidden[max(0, mention.start - 25):mention.start]):
        return True
    speaker = attribution.speaker
    if speaker.end <= mention.start < attribution.cue.start:
        return _DESCRIPTION.search(hidden[speaker.end:mention.start]) is not None
    return False


def _dates_its_section(text: str, heading: Paragraph) -> bool:
    """"From State Department Briefing on Nov. 25" dates what follows; a dateline ("Oct. 9, 2024") or a
    byline does not."""
    words = text[heading.start:heading.end]
    without_dates = re.sub(r"\d+|\b[A-Z][a-z]{2,8}\.?", lambda m: m.group(0) if not _MONTH_WORD.match(
        m.group(0)) else "", words)
    remaining = [word for word in re.findall(r"[A-Za-z]{3,}", without_dates)
                 if word.lower() not in {"on", "the", "from", "by"}]
    return len(remaining) >= 2 and not words.lower().startswith("by ")


def _section_source(text: str, paragraph_list: list[Paragraph], attribution: Attribution) -> Mention | None:
    """The source whose publication a section comes from: "From State Department Briefing on Nov. 25"."""
    heading = _section_heading(paragraph_list, attribution.sentence.paragraph)
    if heading is None or attribution.cue.form == "noun_report":
        return None  # reports a briefing mentions are not the briefing's
    match = _FROM_PUBLICATION.match(text, heading.start, heading.end)
    if match is None:
        return None
    return analyze(text, match.start("source"), match.end("source"))


def _section_heading(paragraph_list: list[Paragraph], number: int) -> Paragraph | None:
    """The heading the paragraph falls under, if the last heading before it is the section's."""
    for paragraph in reversed(paragraph_list[:number]):
        if paragraph.heading:
            return paragraph
    return None


def _confidence(attribution: Attribution, quote: Quote | None) -> float:
    score = 0.9 if quote is not None else 0.75
    speaker = attribution.speaker
    if attribution.continued:
        score -= 0.15
    if speaker.pronoun:
        score -= 0.4
    if any(note.startswith("'") and "taken to be" in note for note in speaker.notes):
        score -= 0.1
    if speaker.kind == "person" and len(speaker.name.split()) == 1:
        score -= 0.1
    if attribution.relays:
        score -= 0.05
    return max(0.05, min(1.0, score))
