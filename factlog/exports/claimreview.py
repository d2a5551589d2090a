"""schema.org ClaimReview (JSON-LD) of a claim with a verdict, as Google's Fact Check markup expects.

https://developers.google.com/search/docs/appearance/structured-data/factcheck: the review's ``url``,
``claimReviewed``, ``reviewRating`` (``alternateName``; numbers where the scale has them), ``author`` (the
newsroom), ``datePublished``, and ``itemReviewed``: the ``Claim`` with its ``author`` (the speaker), its
``appearance`` (every page that carried it), ``firstAppearance`` and ``datePublished``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from factlog.claims.verdict_scales import DEFAULT_SCALES, VerdictScale
from factlog.exports.records import appearances

CONTEXT = "https://schema.org"
# Source kinds that are people; every other kind (outlet, government body, poll...) speaks as an organization.
PERSON_KINDS = ("person",)


@dataclass(frozen=True)
class Organization:
    """Who publishes the reviews: ``FACTLOG_ORGANIZATION_NAME`` / ``FACTLOG_ORGANIZATION_URL``."""

    name: str
    url: str | None = None

    def json_ld(self) -> dict[str, Any]:
        found = {"@type": "Organization", "name": self.name}
        if self.url:
            found["url"] = self.url
        return found


def schema_date(stored: Mapping[str, Any] | None) -> str | None:
    """A precise date as schema.org's Date, only as precise as it is known: "2024-11-27", "2024-10",
    "2024"; a range or an approximate date has no single date and gives None."""
    if not stored or stored.get("precision") not in ("day", "month", "year"):
        return None
    return stored["value"]


def speaker(record: Mapping[str, Any]) -> dict[str, Any]:
    """The claim's author: a Person (with the role it spoke in as ``jobTitle``) or an Organization."""
    who = record["speaker"]
    if who.get("kind") in PERSON_KINDS:
        found = {"@type": "Person", "name": who["name"]}
        if who.get("role"):
            found["jobTitle"] = who["role"]
        return found
    found = {"@type": "Organization", "name": who["name"]}
    if who.get("role"):
        found["description"] = who["role"]
    return found


def creative_work(page: Mapping[str, Any]) -> dict[str, Any]:
    work = {"@type": "CreativeWork", "url": page["url"],
            "publisher": {"@type": "Organization", "name": page["publisher"]}}
    if page.get("headline"):
        work["headline"] = page["headline"]
    published = schema_date(page.get("published_on"))
    if published:
        work["datePublished"] = published
    return work


def rating(verdict: Mapping[str, Any], scales: Mapping[str, VerdictScale] = DEFAULT_SCALES) -> dict[str, Any]:
    """The verdict as a Rating: its label always; ``ratingValue``, ``bestRating`` and ``worstRating`` when the
    rating has a value on its scale (the scale's highest and lowest values bound it)."""
    found = {"@type": "Rating", "alternateName": verdict["rating_label"], "name": verdict["rating_label"]}
    value = verdict.get("normalized_value")
    scale = scales.get(verdict.get("scale") or "")
    values = [r.value for r in scale.ratings if r.value is not None] if scale else []
    if value is not None:
        best, worst = (max(values), min(values)) if len(set(values)) > 1 else (1.0, 0.0)
        found.update(ratingValue=value, bestRating=best, worstRating=worst)
    return found


def claim_review(record: Mapping[str, Any], claim_url: str, organization: Organization,
                 scales: Mapping[str, VerdictScale] = DEFAULT_SCALES) -> dict[str, Any]:
    """The ClaimReview of a claim that has a verdict (ValueError for one that has none)."""
    verdict = record.get("verdict")
    if not verdict:
        raise ValueError(f"claim {record['claim_id']} has no verdict to publish a ClaimReview of")
    pages = appearances(record)
    first = (record.get("first_outlet") or {}).get("url")
    item: dict[str, Any] = {"@type": "Claim", "author": speaker(record)}
    said = schema_date(record.get("said_on"))
    if said:
        item["datePublished"] = said
    if pages:
        item["appearance"] = [creative_work(page) for page in pages]
        first_page = next((page for page in pages if page["url"] == first), pages[0])
        item["firstAppearance"] = creative_work(first_page)
    review: dict[str, Any] = {
        "@context": CONTEXT, "@type": "ClaimReview", "url": claim_url,
        "claimReviewed": record.get("quote") or record["summary"],
        "itemReviewed": item, "author": organization.json_ld(), "reviewRating": rating(verdict, scales),
    }
    given_at = verdict.get("given_at")
    if given_at is not None:
        review["datePublished"] = given_at.date().isoformat()
    if verdict.get("explanation"):
        review["reviewBody"] = verdict["explanation"]
    return review


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&`` are escaped, so a
    quote containing ``</script>`` or ``<!--`` cannot end the block early."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
