"""``extract(article, sources)``: the attributions of a pasted article, proposed for an editor to confirm.

Rules over the text, no model and nothing downloaded (docs/extraction.md says why and what they miss):
paragraphs and sentences, quotations masked, cues, their speakers, then across sentences the pronouns
and short names resolved to a speaker named before, and standalone quotations given to the speaker
they continue.
"""
from __future__ import annotations

from factlog.extraction import attributions as found_in
from factlog.extraction.article import Article
from factlog.extraction.attributions import Attribution
from factlog.extraction.chains import TOLD, Relay, build_chain, names_outlet, publishes
from factlog.extraction.matching import SourceCatalog
from factlog.extraction.names import Mention
from factlog.extraction.proposal import Proposal, Speaker
from factlog.extraction.quotes import MASK, Quote, find_quotes, masked
from factlog.extraction.resolution import Resolver
from factlog.extraction.said_on import said_on as when_said
from factlog.extraction.sections import section_source
from factlog.extraction.sentences import Paragraph, paragraphs, sentences
from factlog.extraction.summaries import summary_of


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
    elif publishes(recipient):
        attribution.relays = attribution.relays + [Relay(recipient, TOLD)]


def _proposals(article: Article, text: str, hidden: str, paragraph_list: list[Paragraph],
               attribution: Attribution, catalog: SourceCatalog | None, numbered: int):
    said_on, date_note = when_said(article, text, hidden, paragraph_list, attribution)
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


def _section_source(text: str, paragraph_list: list[Paragraph], attribution: Attribution) -> Mention | None:
    if attribution.cue.form == "noun_report":
        return None  # reports a briefing mentions are not the briefing's
    return section_source(text, paragraph_list, attribution.sentence.paragraph)


def _cue(cue: str, kind: str) -> str:
    """A poll that "says" finds ("Only 18% said ..." of a survey's respondents)."""
    return "found" if kind == "poll" and cue in {"said", "stated", "reported"} else cue


def _speaker(mention: Mention, catalog: SourceCatalog | None) -> Speaker:
    match = catalog.match(mention.name, mention.kind) if catalog and mention.kind != "unnamed" else None
    kind = catalog.kind_of(match.source_id) if match else mention.kind
    return Speaker(mention.name, mention.as_written, mention.role, kind or mention.kind,
                   (mention.start, mention.end), match)


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
