"""Google's documented ClaimReview properties as a checker for tests: what the Fact Check markup requires and
recommends (developers.google.com/search/docs/appearance/structured-data/factcheck)."""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

REQUIRED = ("claimReviewed", "reviewRating", "url")
RECOMMENDED = ("author", "itemReviewed", "datePublished")
RATING_REQUIRED = ("alternateName",)
RATING_NUMBERS = ("ratingValue", "bestRating", "worstRating")
CLAIM_RECOMMENDED = ("author", "appearance", "firstAppearance", "datePublished")
AUTHOR_TYPES = ("Person", "Organization")


def _absolute(url: Any) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def _date(text: Any) -> bool:
    """ISO 8601 to the precision known: YYYY, YYYY-MM or YYYY-MM-DD."""
    if not isinstance(text, str):
        return False
    parts = text.split("-")
    try:
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return len(parts) <= 3 and len(parts[0]) == 4


def problems(review: dict, *, need_appearance: bool = False) -> list[str]:
    """Everything in ``review`` that Google's documentation says is missing or malformed (empty: valid)."""
    found = []
    if review.get("@context") not in ("https://schema.org", "http://schema.org"):
        found.append("@context is not schema.org")
    if review.get("@type") != "ClaimReview":
        found.append("@type is not ClaimReview")
    found += [f"required {name} missing" for name in REQUIRED if not review.get(name)]
    found += [f"recommended {name} missing" for name in RECOMMENDED if not review.get(name)]
    if review.get("url") and not _absolute(review["url"]):
        found.append("url is not an absolute http(s) URL")
    if review.get("datePublished") and not _date(review["datePublished"]):
        found.append("datePublished is not an ISO 8601 date")
    author = review.get("author") or {}
    if author.get("@type") != "Organization" or not author.get("name"):
        found.append("author is not an Organization with a name")
    rating = review.get("reviewRating") or {}
    if rating.get("@type") != "Rating":
        found.append("reviewRating is not a Rating")
    found += [f"reviewRating.{name} missing" for name in RATING_REQUIRED if not rating.get(name)]
    numbers = [name for name in RATING_NUMBERS if name in rating]
    if numbers and len(numbers) != len(RATING_NUMBERS):
        found.append(f"reviewRating has {numbers} but not all of {RATING_NUMBERS}")
    if len(numbers) == len(RATING_NUMBERS):
        value, best, worst = (rating[name] for name in RATING_NUMBERS)
        if not all(isinstance(n, (int, float)) for n in (value, best, worst)):
            found.append("reviewRating numbers are not numbers")
        elif not (worst <= value <= best and worst < best):
            found.append(f"reviewRating {value} is not within {worst}..{best}")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        found.append("itemReviewed is not a Claim")
    claim_author = item.get("author") or {}
    if claim_author.get("@type") not in AUTHOR_TYPES or not claim_author.get("name"):
        found.append("itemReviewed.author is not a Person or Organization with a name")
    if item.get("datePublished") and not _date(item["datePublished"]):
        found.append("itemReviewed.datePublished is not an ISO 8601 date")
    works = item.get("appearance") or []
    if need_appearance and not works:
        found.append("itemReviewed.appearance missing")
    for work in works + ([item["firstAppearance"]] if item.get("firstAppearance") else []):
        if work.get("@type") != "CreativeWork" or not _absolute(work.get("url")):
            found.append(f"appearance {work!r} is not a CreativeWork with an absolute url")
        if not (work.get("publisher") or {}).get("name"):
            found.append(f"appearance {work.get('url')} has no publisher")
    if item.get("firstAppearance") and item["firstAppearance"]["url"] not in [w["url"] for w in works]:
        found.append("firstAppearance is not one of the appearances")
    return found
