"""When an attribution was said: the date written nearest its verb, outside the words attributed, or the
day its section's heading gives; resolved against the article's date (dates.py)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from factlog.extraction import dates as date_words
from factlog.extraction.article import Article
from factlog.extraction.proposal import SaidOn
from factlog.extraction.quotes import MASK
from factlog.extraction.sections import section_date
from factlog.extraction.sentences import Paragraph

if TYPE_CHECKING:
    from factlog.extraction.attributions import Attribution

# A date inside one of these phrases dates something else: "Following the killing ... earlier this month".
_OTHER_EVENT = re.compile(r"\b(?:after|following|before|since|until|hours|days|weeks)\b[^,]*$", re.IGNORECASE)
_FIELDWORK = re.compile(r"\b(?:conducted|fielded|carried\s+out|taken|surveyed)\s+(?:from\s+|between\s+|in\s+|on\s+)?$",
                        re.IGNORECASE)
_DESCRIPTION = re.compile(r",[^,]*\b(?:who|which|whose)\b", re.IGNORECASE)


def said_on(article: Article, text: str, hidden: str, paragraph_list: list[Paragraph],
            attribution: Attribution) -> tuple[SaidOn, str | None]:
    """The date and, when it could not be resolved, why."""
    sentence = attribution.sentence
    content_start, content_end = attribution.content
    scope = attribution.scope_start if attribution.scope_start is not None else sentence.start
    anchor = attribution.cue.start
    best = None
    for mention in date_words.find_dates(hidden, scope, sentence.end, article.published_on):
        if content_start <= mention.start < content_end or MASK in hidden[mention.start:mention.end]:
            continue
        if _dates_something_else(hidden, sentence.start, attribution, mention):
            continue
        distance = abs(mention.start - anchor)
        if any(abs(mention.start - other) < distance for other in attribution.sibling_cues):
            continue  # "Hemming claimed on Monday that ..., something officials have said"
        if best is None or distance < best[0]:
            best = (distance, mention)
    mention = best[1] if best else None
    if mention is None and attribution.cue.form != "noun_report":  # reports a briefing mentions are older
        mention = section_date(text, paragraph_list, sentence.paragraph, article.published_on)
    if mention is None:
        return SaidOn("unknown"), None
    return SaidOn(mention.value, mention.as_written, (mention.start, mention.end)), mention.note


def _dates_something_else(hidden: str, sentence_start: int, attribution: Attribution, mention) -> bool:
    """A date that belongs to another event ("Following the killing ... earlier this month"), to fieldwork
    ("conducted March 3-7") or to a description of the speaker ("who is due in January")."""
    if _OTHER_EVENT.search(hidden[sentence_start:mention.start].split(",")[-1]):
        return True
    if _FIELDWORK.search(hidden[max(0, mention.start - 25):mention.start]):
        return True
    speaker = attribution.speaker
    if speaker.end <= mention.start < attribution.cue.start:
        return _DESCRIPTION.search(hidden[speaker.end:mention.start]) is not None
    return False
