"""The extractor against the shipped gold (tests/fixtures/articles): precision and recall of speaker, cue,
quote, complete chain and date on each text, over all and over the held-out texts (never tuned against),
the time per article, and the time for an article of 2,000 words (the gold texts run together). No database.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

from bench.common import Report, Settings, log
from factlog.extraction import extract
from factlog.extraction.gold import load_all
from factlog.extraction.scoring import FIELDS, Score, score

GOLD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "articles"
LONG_ARTICLE_WORDS = 2_000


def run(report: Report, settings: Settings) -> None:
    texts = load_all(GOLD)
    total = Score()
    for text in texts:
        seconds = _timed(lambda text=text: extract(text.article), settings.reps)
        result = score(text, extract(text.article))
        total.add(result)
        _results(report, text.name, {"words": text.words, "attributions": len(text.attributions)}, result)
        report.result("extraction", f"time: {text.name}", {"words": text.words}, "ms", "ms",
                      [second * 1000 for second in seconds])
    _results(report, "all texts", {"texts": len(texts)}, total)
    held_out = Score()
    for text in texts:
        if text.held_out:
            held_out.add(score(text, extract(text.article)))
    _results(report, "held-out texts", {"texts": sum(text.held_out for text in texts)}, held_out)
    long_article = _long_article(texts)
    words = len(long_article.text.split())
    seconds = _timed(lambda: extract(long_article), max(settings.reps, 3))
    log(f"extraction: {words:,} words in {min(seconds) * 1000:.0f} ms")
    report.result("extraction", "time: one long article", {"words": words}, "ms", "ms",
                  [second * 1000 for second in seconds])
    for miss in total.misses:
        log(f"miss: {miss}")
    report.print_table("extraction", "extraction")


def _results(report: Report, name: str, params: dict, result: Score) -> None:
    for field in FIELDS:
        tally = result.tallies[field]
        report.result("extraction", f"{field}: {name}", params, "precision", "ratio", [tally.precision],
                      correct=tally.correct, proposed=tally.proposed)
        report.result("extraction", f"{field}: {name}", params, "recall", "ratio", [tally.recall],
                      correct=tally.correct, expected=tally.expected)


def _timed(work, reps: int) -> list[float]:
    seconds = []
    for _ in range(reps):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return seconds


def _long_article(texts):
    """The gold texts one after another, cut after the 2,000th word."""
    parts, words = [], 0
    while words < LONG_ARTICLE_WORDS:
        for text in texts:
            parts.append(text.article.text)
            words += text.words
    joined = "\n\n".join(parts)
    cut = [match.end() for match in re.finditer(r"\S+", joined)][LONG_ARTICLE_WORDS - 1]
    return replace(texts[0].article, text=joined[:cut])
