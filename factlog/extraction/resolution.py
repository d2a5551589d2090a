"""Short references resolved to a speaker named earlier: "He adds", "Brown added", "the Times", "FT".

Only speakers already seen count, the nearest first; a pronoun looks no further back than the paragraph
before, a surname or short outlet name anywhere earlier in the article.
"""
from __future__ import annotations

from dataclasses import replace

from factlog.extraction.article import Article
from factlog.extraction.attributions import Attribution
from factlog.extraction.chains import same_source
from factlog.extraction.names import Mention
from factlog.sources.names import normalized

_PRONOUN_KINDS = {
    "person": {"person"},
    "thing": {"document", "poll", "organization", "government_body", "outlet"},
    "plural": {"collective", "unnamed", "organization", "government_body"},
}
_PRONOUN_REACH = {"person": 1, "thing": 0, "plural": 1}  # paragraphs back


class Resolver:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.seen: list[tuple[int, Mention]] = []  # (paragraph, mention), in order

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
                self.seen.append((paragraph, mention))
        return True

    def _resolved(self, mention: Mention, paragraph: int) -> Mention | None:
        if mention.pronoun:
            kinds = _PRONOUN_KINDS[mention.pronoun]
            reach = _PRONOUN_REACH[mention.pronoun]
            for seen_paragraph, earlier in reversed(self.seen):
                if paragraph - seen_paragraph > reach:
                    break
                if earlier.kind in kinds:
                    return self._copy(earlier, mention)
            if mention.pronoun == "thing":
                return None
            mention.notes.append(f"could not tell who '{mention.as_written}' is")
            return mention
        for _, earlier in reversed(self.seen):
            if earlier.name == mention.name:
                return replace(mention, role=mention.role or earlier.role, kind=earlier.kind,
                               notes=list(mention.notes))
            if self._shortens(mention, earlier):
                return self._copy(earlier, mention)
        return mention

    @staticmethod
    def _shortens(short: Mention, full: Mention) -> bool:
        """"Brown" for "Nick Brown", "the Times" for "the New York Times", "FT" for "Financial Times"."""
        if short.kind != full.kind and not (short.kind == "person" and short.short):
            return False
        if short.kind == "outlet" or full.kind == "outlet":
            if full.kind != "outlet":
                return False
            if same_source(short.name, full.name):
                return True
        if not short.short:
            return False
        short_words, full_words = normalized(short.name).split(), normalized(full.name).split()
        return len(short_words) < len(full_words) and full_words[-len(short_words):] == short_words

    @staticmethod
    def _copy(earlier: Mention, written: Mention) -> Mention:
        notes = list(written.notes) + [f"'{written.as_written}' taken to be {earlier.name}, named before"]
        return Mention(earlier.name, written.as_written, earlier.kind, written.start, written.end,
                       role=written.role or earlier.role, notes=notes)
