"""The words that attribute: verbs of saying and their kin, "according to", and the refusals.

Each verb form maps to one of factlog's cues (factlog.claims.vocabulary.CUES): "adds" is "said",
"revealed" is "found", "was unable to confirm" is "could_not_confirm".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from factlog.extraction.lexicon import words as _words

# cue -> base forms; inflections are spelled out where English is irregular.
VERBS = {
    "said": ("say says said saying", "add adds added", "call calls called", "note notes noted", "argue argues argued",
             "explain explains explained", "insist insists insisted", "write writes wrote",
             "recall recalls recalled", "acknowledge acknowledges acknowledged", "concede concedes conceded",
             "suggest suggests suggested", "promise promises promised", "vow vows vowed",
             "predict predicts predicted", "remark remarks remarked", "tweet tweets tweeted",
             "posted", "agreed", "countered", "replied", "responded", "conclude concludes concluded"),
    "told": ("tell tells told",),
    "reported": ("report reports reported reporting", "cite cites cited", "quote quotes quoted"),
    "claimed": ("claim claims claimed claiming", "allege alleges alleged", "assert asserts asserted",
                "maintain maintains maintained", "contend contends contended", "accuse accuses accused"),
    "stated": ("state states stated", "announce announces announced", "declare declares declared",
               "decry decries decried"),
    "denied": ("deny denies denied denying", "reject rejects rejected", "dispute disputes disputed"),
    "estimated": ("estimate estimates estimated", "calculate calculates calculated",
                  "forecast forecasts forecasted", "expect expects expected", "project projects projected"),
    "warned": ("warn warns warned warning", "caution cautions cautioned"),
    "found": ("find finds found", "show shows showed shown", "reveal reveals revealed",
              "indicate indicates indicated"),
    "confirmed": ("confirm confirms confirmed",),
    "questioned": ("question questions questioned", "doubt doubts doubted"),
}
# Base forms that are nouns as often as verbs ("state media", "a report"): verbs only before "that",
# "whether", a quotation or a comma.
NOUN_LIKE = _words("state report claim question estimate note find show review project doubt forecast "
                      "caution promise dispute remark tweet calculate")
# Verbs of saying only when what follows is what was said ("he added that", "added:", "he added."), not
# with an object ("would add 40 million euros").
CLAUSE_ONLY = _words("add adds added note notes noted recall recalls recalled")
# Verbs that only pass a claim on: "the newspaper cited a memo in which ...", "quoted X as saying".
RELAY_ONLY = _words("cite cites cited quote quotes quoted")
# "called the cut “a slow death”": a verb of saying only with a quotation after it.
NEEDS_QUOTE = _words("call calls called")
# Verbs that attribute only with a clause, a quotation or a poll as subject: "found that", "expects to".
NEEDS_CLAUSE = _words(
    "find finds found show shows showed shown reveal reveals revealed indicate indicates indicated expect "
    "expects expected project projects projected reject rejects rejected dispute disputes disputed accuse "
    "accuses accused agreed posted responded replied countered conclude concludes concluded")
_NOT = r"(?:not|n[’']t|never)"
REFUSALS = (
    ("could_not_confirm", (
     rf"(?:could|would|did|can|cannot|can[’']t|could[’']t|would[’']t|did[’']t)\s*{_NOT}?\s+(?:immediately\s+|independently\s+)?"
     r"(?:be\s+)?(?:confirm|verify|verified)(?:ed)?|(?:was|were|is|are)\s+unable\s+to\s+(?:immediately\s+)?"
     r"(?:confirm|verify)|declined\s+to\s+confirm")),
    ("did_not_comment", (
     rf"(?:did|does|do|would|could|has|have|had)\s*{_NOT}\s+(?:immediately\s+)?(?:have\s+any\s+comment|"
     r"(?:publicly\s+)?comment(?:ed)?|respond(?:ed)?\s+to\s+(?:a\s+)?requests?\s+for\s+comment|"
     r"return(?:ed)?\s+(?:a\s+)?requests?\s+for\s+comment)|declined\s+to\s+comment|"
     r"(?:had|has|have)\s+no\s+(?:immediate\s+)?comment|(?:has|have|had)\s+(?:yet\s+to|not)\s+comment(?:ed)?|"
     rf"refused\s+to\s+comment|did\s*{_NOT}\s+say\s+(?=who|whether|what|how|when|why|which)|(?:declined|refused)\s+to\s+(?:say|discuss|elaborate|specify|give\s+details)|"
     rf"would\s*{_NOT}\s+(?:say|discuss|elaborate|specify)|"
     rf"(?:did|does|has|have|had)\s*{_NOT}\s+(?:immediately\s+)?respond(?:ed)?\s+to\s+(?:a\s+|an\s+|our\s+|the\s+)?"
     r"(?:requests?|questions?|inquir(?:y|ies)|emails?|calls?|messages?)")),
)
ACCORDING_TO = r"according\s+to"
# "Neither Seoul nor Kyiv have commented": a refusal only when its subject is negative.
# "the reports that some European officials were discussing ...": reports no one names.
NOUN_REPORT = r"(?:the|these|those|media|press|news|unconfirmed|recent)\s+reports?\s+that"
COMMENTED = r"(?:has|have|had)\s+(?:yet\s+)?commented"
AUXILIARIES = frozenset(["is", "are", "was", "were", "been", "be", "being", "has", "have", "had"])


@dataclass(frozen=True)
class Cue:
    cue: str  # one of CUES, or "according_to" until the source's kind decides it
    start: int
    end: int
    word: str  # the verb as written ("adds")
    form: str  # "verb", "according_to", "refusal", or "if_negative" (a refusal if its subject is negative)


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    forms = {}
    for cue, groups in VERBS.items():
        for group in groups:
            for word in group.split():
                forms[word] = cue
    return forms


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    refusals = "|".join(f"(?P<{cue}>{pattern})" for cue, pattern in REFUSALS)
    verbs = "|".join(sorted(_forms(), key=len, reverse=True))
    # Verbs in lower case only: "States" in "the United States" is a name.
    return re.compile(rf"\b(?i:{refusals}|(?P<according_to>{ACCORDING_TO})|(?P<commented>{COMMENTED})|"
                      rf"(?P<noun_report>{NOUN_REPORT}))\b|"
                      rf"\b(?P<verb>{verbs})\b")


def find_cues(masked_text: str, start: int, end: int) -> list[Cue]:
    """Cues in masked_text[start:end] (quotations masked, so words inside them are not found)."""
    found = []
    for match in _pattern().finditer(masked_text, start, end):
        if match["according_to"]:
            found.append(Cue("according_to", match.start(), match.end(), match.group(0), "according_to"))
        elif match["noun_report"]:
            found.append(Cue("reported", match.start(), match.end(), match.group(0), "noun_report"))
        elif match["commented"]:
            found.append(Cue("did_not_comment", match.start(), match.end(), match.group(0), "if_negative"))
        elif match["verb"]:
            word = match["verb"]
            lowered = word.lower()
            if not _is_finite(masked_text, match.start(), lowered):
                continue
            following = masked_text[match.end():end]
            if lowered in NOUN_LIKE and not re.match(r"\s*(?:that\b|whether\b|,|:|\ue000)", following):
                continue
            if lowered in CLAUSE_ONLY and not re.match(r"\s*(?:that\b|,|:|\ue000|[.!?]?\s*$)", following):
                continue
            if lowered in NEEDS_QUOTE and "\ue000" not in following:
                continue
            found.append(Cue(_forms()[lowered], match.start(), match.end(), word, "verb"))
        else:
            cue = "could_not_confirm" if match["could_not_confirm"] else "did_not_comment"
            found.append(Cue(cue, match.start(), match.end(), match.group(0), "refusal"))
    return found


def _is_finite(text: str, at: int, word: str) -> bool:
    """A verb of saying in use, not a noun or adjective ("no reported casualties", "a warning")."""
    before = re.findall(r"[\w’']+", text[max(0, at - 40):at])
    previous = before[-1].lower() if before else ""
    if previous in {"no", "a", "an", "the", "its", "his", "her", "their", "our", "so-called", "widely"}:
        return False
    if re.search(rf"\b{_NOT}\s*$", text[max(0, at - 12):at], re.IGNORECASE):
        return False  # "did not say": not a claim (the refusals are matched whole)
    if word.endswith("ing") or word in {"shown"}:
        return previous in AUXILIARIES
    # passive: "forces are confirmed to be ...", "they had not been told": said by no one named
    return not (previous in {"is", "are", "was", "were", "be", "been", "being"} and (
        word.endswith("ed") or word in {"told", "found", "shown", "said"}))


def needs_clause(word: str) -> bool:
    return word.lower() in NEEDS_CLAUSE


def relay_only(word: str) -> bool:
    return word.lower() in RELAY_ONLY
