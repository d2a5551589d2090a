"""Headings that speak for their section: "From State Department Briefing on Nov. 25" dates the remarks
below it and names whose publication they come from; a dateline or a byline does neither."""
from __future__ import annotations

import re

from factlog.extraction import dates as date_words
from factlog.extraction.names import Mention, analyze
from factlog.extraction.sentences import Paragraph

# A heading dates its section only with a day written out ("Briefing on Nov. 25"), not "This Week".
_DAY = re.compile(r"\d")
_FROM_PUBLICATION = re.compile(
    r"(?:From|Via|At)\s+(?:the\s+|a\s+)?(?P<source>[A-Z][\w.’'\- ]+?)(?:’s|'s)?\s+(?:daily\s+|press\s+|news\s+)?"
    r"(?:briefing|statement|conference|transcript|remarks|readout|hearing|interview)s?\b", re.IGNORECASE)
_MONTH_WORD = re.compile(r"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?$")


def heading_of(paragraph_list: list[Paragraph], number: int) -> Paragraph | None:
    """The last heading before paragraph ``number``: the section it falls under."""
    for paragraph in reversed(paragraph_list[:number]):
        if paragraph.heading:
            return paragraph
    return None


def section_date(text: str, paragraph_list: list[Paragraph], number: int, published_on):
    """The day a section's heading gives its remarks, as a DateMention, or None."""
    heading = heading_of(paragraph_list, number)
    if heading is None or not _dates_its_section(text, heading):
        return None
    mentions = [mention for mention in date_words.find_dates(text, heading.start, heading.end, published_on)
                if _DAY.search(mention.as_written)]
    return mentions[-1] if mentions else None


def section_source(text: str, paragraph_list: list[Paragraph], number: int) -> Mention | None:
    """The source whose publication the section comes from ("From State Department Briefing ...")."""
    heading = heading_of(paragraph_list, number)
    if heading is None:
        return None
    match = _FROM_PUBLICATION.match(text, heading.start, heading.end)
    if match is None:
        return None
    return analyze(text, match.start("source"), match.end("source"))


def _dates_its_section(text: str, heading: Paragraph) -> bool:
    words = text[heading.start:heading.end]
    without_months = re.sub(r"\d+|\b[A-Z][a-z]{2,8}\.?",
                            lambda match: "" if _MONTH_WORD.match(match.group(0)) else match.group(0), words)
    remaining = [word for word in re.findall(r"[A-Za-z]{3,}", without_months)
                 if word.lower() not in {"on", "the", "from", "by"}]
    return len(remaining) >= 2 and not words.lower().startswith("by ")
