"""Attributions proposed from a pasted article: who said what, with the cue, quote, chain and date.

    from factlog.extraction import Article, extract
    proposals = extract(Article(text, outlet="QiOSK", url=None, published_on=date(2024, 11, 29)))

Rules, offline, no model: see docs/extraction.md.
"""
from factlog.extraction.article import Article
from factlog.extraction.extract import extract
from factlog.extraction.matching import SourceCatalog
from factlog.extraction.proposal import ChainLink, Match, Proposal, SaidOn, Speaker

__all__ = ["Article", "ChainLink", "Match", "Proposal", "SaidOn", "SourceCatalog", "Speaker", "extract"]
