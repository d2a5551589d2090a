"""The chain of a proposal: the pasted article's outlet first, then the relays it read the claim in
("the Times reported that ...", "told Russian media"), then the speaker itself when it is an outlet.
"""
from __future__ import annotations

from dataclasses import dataclass

from factlog.extraction import lexicon
from factlog.extraction.article import Article
from factlog.extraction.matching import SourceCatalog
from factlog.extraction.names import Mention
from factlog.extraction.proposal import ChainLink
from factlog.sources.names import abbreviates, normalized

QUOTING, CITING, TOLD = "quoting", "citing", "told"


@dataclass
class Relay:
    mention: Mention
    relation: str  # how this relay attributes the claim onward: "citing", "quoting" or "told"


def same_source(first: str | None, second: str | None) -> bool:
    """The same name, or one the initials of the other ("FT", "Financial Times")."""
    if not first or not second:
        return False
    return normalized(first) == normalized(second) or abbreviates(first, second) or abbreviates(second, first)


def publishes(mention: Mention | None) -> bool:
    """A recipient that publishes: "told Reuters", "told Russian media"."""
    if mention is None:
        return False
    if mention.kind == "outlet":
        return True
    words = mention.name.lower().split()
    return mention.kind == "unnamed" and bool(words) and words[-1] in lexicon.OUTLET_NOUNS


def names_outlet(name: str | None, outlet: str | None) -> bool:
    """"Atlas" for "Atlas Press Agency": the same source, or the first words of the outlet's name."""
    if same_source(name, outlet):
        return True
    if not name or not outlet:
        return False
    short, full = normalized(name).split(), normalized(outlet).split()
    return 0 < len(short) < len(full) and full[:len(short)] == short


def build_chain(article: Article, speaker: Mention, relays: list[Relay], quoted: bool,
                catalog: SourceCatalog | None, told_outlet: bool = False,
                section_source: Mention | None = None) -> tuple[ChainLink, ...]:
    """The links from the article back toward the speaker; see ChainLink for what each relation means.

    ``section_source`` publishes what its section of the article reports (a briefing's transcript): it
    ends the chain without a relation, as the speaker's own publication.
    """
    if speaker.kind == "outlet" and not relays and same_source(speaker.name, article.outlet):
        return (_first(article, None, catalog),)
    # An outlet that reports is cited, its words quoted or not (the seed's "QiOSK citing the AP").
    relation = TOLD if told_outlet else QUOTING if quoted and speaker.kind != "outlet" else CITING
    links = [_first(article, relation, catalog)]
    for relay in relays:
        links.append(_link(relay.mention, relay.relation, catalog))
    if speaker.kind == "outlet":
        links.append(_link(speaker, None, catalog))
    elif section_source is not None and not relays:
        links.append(_link(section_source, None, catalog))  # "From State Department Briefing on Nov. 25"
    return tuple(links)


def _first(article: Article, relation: str | None, catalog: SourceCatalog | None) -> ChainLink:
    match = catalog.match(article.outlet, "outlet") if catalog and article.outlet else None
    return ChainLink(article.outlet, article.outlet, relation, "outlet", match, article.url,
                     article.published_on)


def _link(mention: Mention, relation: str | None, catalog: SourceCatalog | None) -> ChainLink:
    match = catalog.match(mention.name, mention.kind) if catalog and mention.kind != "unnamed" else None
    return ChainLink(mention.name, mention.as_written, relation, mention.kind, match)
