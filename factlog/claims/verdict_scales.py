"""Rating scales for verdicts, each rating with a normalized value so that scales can be compared.

A value is 1.0 for entirely true and 0.0 for entirely false; ratings that say nothing about truth
("unproven") have no value rather than a made-up middle one.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Rating:
    slug: str
    label: str
    value: float | None


@dataclass(frozen=True)
class VerdictScale:
    name: str
    ratings: tuple[Rating, ...]

    def rating(self, slug: str) -> Rating | None:
        return next((rating for rating in self.ratings if rating.slug == slug), None)

    def slugs(self) -> list[str]:
        return [rating.slug for rating in self.ratings]


DEFAULT_SCALE = VerdictScale("factlog", (
    Rating("true", "True", 1.0),
    Rating("mostly-true", "Mostly true", 0.8),
    Rating("half-true", "Half true", 0.5),
    Rating("mostly-false", "Mostly false", 0.2),
    Rating("false", "False", 0.0),
    Rating("pants-on-fire", "Pants on fire", 0.0),
    Rating("unproven", "Unproven", None),
))
DEFAULT_SCALES: Mapping[str, VerdictScale] = {DEFAULT_SCALE.name: DEFAULT_SCALE}


def scales_from_mapping(data: Mapping[str, Any]) -> dict[str, VerdictScale]:
    """``{scale: [{slug, label, value}, ...]}`` -> scales; ValueError names the bad scale and rating."""
    scales = {}
    for name, ratings in data.items():
        if not isinstance(ratings, list) or not ratings:
            raise ValueError(f"scale {name!r}: list its ratings as [{{slug, label, value}}, ...]")
        parsed = []
        for item in ratings:
            slug, value = item.get("slug"), item.get("value")
            if not isinstance(slug, str) or not slug:
                raise ValueError(f"scale {name!r}: every rating needs a slug")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not 0 <= value <= 1):
                raise ValueError(f"scale {name!r}, rating {slug!r}: value must be between 0 and 1, or null")
            if slug in (rating.slug for rating in parsed):
                raise ValueError(f"scale {name!r}: rating {slug!r} is listed twice")
            parsed.append(Rating(slug, item.get("label") or slug, None if value is None else float(value)))
        scales[name] = VerdictScale(name, tuple(parsed))
    return scales


def load_scales(path: Path) -> dict[str, VerdictScale]:
    """Scales from a YAML or JSON file shaped like ``scales_from_mapping`` expects."""
    text = Path(path).read_text(encoding="utf-8")
    return scales_from_mapping(json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text))
