"""Gold annotations: hand-written attributions of a text, to measure the extractor against.

A gold file (YAML, tests/fixtures/articles/*.yaml) names its text, outlet, url and published_on, and lists
attributions: speaker (plus ``also``: other names that mean the same source), as_written, kind, role, cue,
quote (verbatim) or anchor (verbatim words of the attribution, for reported speech), chain (names and
relations, the article's outlet first; a link may have ``also`` names) and said_on (a factlog date, or null: not scored). ``held_out: true`` marks a text the rules were never
tuned against.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from factlog.extraction.article import Article


@dataclass(frozen=True)
class GoldLink:
    name: str
    relation: str | None
    also: tuple[str, ...] = ()  # other names of the same source

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.also)


@dataclass(frozen=True)
class GoldAttribution:
    names: tuple[str, ...]  # the speaker's name first, then the names that mean the same source
    cue: str
    span: tuple[int, int]  # of the quote, or of the anchor
    quote: str | None
    chain: tuple[GoldLink, ...]
    said_on: str | None
    kind: str | None = None
    key: str | None = None

    @property
    def speaker(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class GoldText:
    name: str
    article: Article
    attributions: tuple[GoldAttribution, ...]
    held_out: bool = False  # never tuned against: its figures say how the rules do on unseen text

    @property
    def words(self) -> int:
        return len(self.article.text.split())


def load(path: Path) -> GoldText:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = (path.parent / data["text"]).read_text(encoding="utf-8")
    published = data.get("published_on")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    article = Article(text, data.get("outlet"), data.get("url"), published)
    attributions = tuple(_attribution(text, item, path) for item in data["attributions"])
    return GoldText(path.stem, article, attributions, bool(data.get("held_out")))


def load_all(folder: Path) -> list[GoldText]:
    return [load(path) for path in sorted(folder.glob("*.yaml"))]


def _attribution(text: str, item: dict, path: Path) -> GoldAttribution:
    words = item.get("quote") or item.get("anchor")
    if not words:
        raise ValueError(f"{path.name}: {item.get('speaker')!r} needs a quote or an anchor")
    start = text.find(words)
    if start < 0:
        raise ValueError(f"{path.name}: {words[:60]!r} is not in the text")
    if item.get("quote") and text.find(words, start + 1) >= 0:
        raise ValueError(f"{path.name}: the quote {words[:60]!r} is in the text twice")
    names = (item["speaker"], *(item.get("also") or ()))
    chain = tuple(GoldLink(link["name"], link.get("relation"), tuple(link.get("also") or ()))
                  for link in item["chain"])
    said_on = item.get("said_on")
    return GoldAttribution(names, item["cue"], (start, start + len(words)), item.get("quote"), chain,
                           None if said_on is None else str(said_on), item.get("kind"), item.get("key"))
