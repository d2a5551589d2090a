"""Which attribution a quotation belongs to: the tag right after it ("“...,” said X"), the nearest verb
before it whose words hold it, or the quotation it continues ("“A,” he said, “B.”")."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from factlog.extraction.quotes import Quote

if TYPE_CHECKING:
    from factlog.extraction.attributions import Attribution

_TAG_GAP = re.compile(r"^[\s,]*$")


def owner(masked: str, quote: Quote, found: list[Attribution]) -> Attribution | None:
    """The attribution a quotation belongs to: the tag right after it, or the one whose words hold it."""
    for attribution in found:
        if attribution.inverted and attribution.cue.form == "verb" and quote.outer_end <= attribution.cue.start \
                and _TAG_GAP.match(masked[quote.outer_end:attribution.cue.start]):
            return attribution
        if not attribution.inverted and quote.outer_end <= attribution.speaker.start and _TAG_GAP.match(
                masked[quote.outer_end:attribution.speaker.start]) and attribution.cue.form == "verb" \
                and masked[attribution.speaker.end:attribution.cue.start].strip(" ,") in {"", *_role_gap(
                    masked, attribution)}:
            return attribution
    holding = [attribution for attribution in found
               if attribution.content[0] <= quote.outer_start and quote.outer_end <= attribution.content[1] + 1]
    if holding:  # the nearest verb before it: "decries “A” and claims that “B”"
        return max(holding, key=lambda attribution: (attribution.cue.start < quote.outer_start,
                                                     attribution.cue.start))
    for attribution in found:  # "“A,” he said, “B.”": the second part goes with the first
        tag_end = max(attribution.speaker.end, attribution.cue.end)
        if attribution.quotes and tag_end <= quote.outer_start and _TAG_GAP.match(
                masked[tag_end:quote.outer_start]):
            return attribution
    return None


def _role_gap(masked: str, attribution: Attribution) -> set[str]:
    role = attribution.speaker.role
    return {role} if role else set()
