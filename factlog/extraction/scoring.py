"""Precision and recall of proposals against gold attributions: speaker, cue, quote, complete chain, date.

Each proposal is paired with at most one gold attribution whose words it overlaps (its quote, or its
sentence for reported speech), the pairs agreeing most first. A proposal left unpaired counts against
precision, a gold attribution left unpaired against recall.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from factlog.extraction.gold import GoldAttribution, GoldText
from factlog.extraction.proposal import Proposal
from factlog.sources.names import abbreviates, normalized

FIELDS = ("speaker", "cue", "quote", "chain", "said_on")


@dataclass
class Tally:
    correct: int = 0
    proposed: int = 0  # proposals that have the field
    expected: int = 0  # gold attributions that have it

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    def add(self, other: Tally) -> None:
        self.correct += other.correct
        self.proposed += other.proposed
        self.expected += other.expected


@dataclass
class Score:
    tallies: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for name in FIELDS})
    misses: list[str] = field(default_factory=list)  # what went wrong, for the docs and the bench

    def add(self, other: Score) -> None:
        for name in FIELDS:
            self.tallies[name].add(other.tallies[name])
        self.misses.extend(other.misses)


def same_name(proposed: str | None, gold: str) -> bool:
    if not proposed:
        return False
    first, second = normalized(proposed), normalized(gold)
    return first == second or abbreviates(proposed, gold) or abbreviates(gold, proposed)


def speaker_right(proposal: Proposal, gold: GoldAttribution) -> bool:
    return any(same_name(proposal.speaker.name, name) for name in gold.names) or (
        proposal.speaker.match is not None and any(same_name(proposal.speaker.match.name, name)
                                                   for name in gold.names))


def chain_right(proposal: Proposal, gold: GoldAttribution) -> bool:
    if len(proposal.chain) != len(gold.chain):
        return False
    return all(any(same_name(link.name, name) for name in expected.names) and link.relation == expected.relation
               for link, expected in zip(proposal.chain, gold.chain, strict=True))


def score(text: GoldText, proposals: list[Proposal]) -> Score:
    result = Score()
    pairs = _pair(proposals, list(text.attributions))
    paired_gold = {id(gold) for _, gold in pairs}
    paired_proposals = {id(proposal) for proposal, _ in pairs}
    tallies = result.tallies
    for gold in text.attributions:
        tallies["speaker"].expected += 1
        tallies["cue"].expected += 1
        tallies["chain"].expected += 1
        tallies["quote"].expected += gold.quote is not None
        tallies["said_on"].expected += gold.said_on is not None
        if id(gold) not in paired_gold:
            result.misses.append(f"{text.name}: missed {gold.speaker} ({gold.cue}): "
                                 f"{text.article.text[gold.span[0]:gold.span[1]][:70]!r}")
    for proposal in proposals:
        tallies["speaker"].proposed += 1
        tallies["cue"].proposed += 1
        tallies["chain"].proposed += 1
        tallies["quote"].proposed += proposal.quote is not None
        if id(proposal) not in paired_proposals:
            result.misses.append(f"{text.name}: spurious {proposal.speaker.name} ({proposal.cue}): "
                                 f"{proposal.summary[:70]!r}")
    for proposal, gold in pairs:
        tallies["said_on"].proposed += gold.said_on is not None
        checks = {
            "speaker": speaker_right(proposal, gold),
            "cue": proposal.cue == gold.cue,
            "quote": gold.quote is not None and proposal.quote == gold.quote,
            "chain": chain_right(proposal, gold),
            "said_on": gold.said_on is not None and proposal.said_on.value == gold.said_on,
        }
        for name, right in checks.items():
            tallies[name].correct += right
        wrong = [name for name, right in checks.items() if not right and _scored(name, proposal, gold)]
        if wrong:
            result.misses.append(f"{text.name}: {gold.speaker} ({gold.cue}) wrong {', '.join(wrong)}: "
                                 + _difference(proposal, gold, wrong))
    return result


def _scored(name: str, proposal: Proposal, gold: GoldAttribution) -> bool:
    if name == "quote":
        return gold.quote is not None or proposal.quote is not None
    if name == "said_on":
        return gold.said_on is not None
    return True


def _difference(proposal: Proposal, gold: GoldAttribution, wrong: list[str]) -> str:
    parts = []
    if "speaker" in wrong:
        parts.append(f"speaker {proposal.speaker.name!r}")
    if "cue" in wrong:
        parts.append(f"cue {proposal.cue}")
    if "quote" in wrong:
        parts.append(f"quote {(proposal.quote or '')[:40]!r} for {(gold.quote or '')[:40]!r}")
    if "chain" in wrong:
        parts.append("chain " + " > ".join(f"{link.name} [{link.relation}]" for link in proposal.chain)
                     + " for " + " > ".join(f"{link.name} [{link.relation}]" for link in gold.chain))
    if "said_on" in wrong:
        parts.append(f"said_on {proposal.said_on.value} for {gold.said_on}")
    return "; ".join(parts)


def _pair(proposals: list[Proposal], golds: list[GoldAttribution]) -> list[tuple[Proposal, GoldAttribution]]:
    candidates = []
    for proposal in proposals:
        evidence = proposal.quote_span or proposal.sentence_span
        for gold in golds:
            overlap = min(evidence[1], gold.span[1]) - max(evidence[0], gold.span[0])
            if overlap <= 0:
                continue
            quote_agrees = proposal.quote is not None and proposal.quote == gold.quote
            both_reported = proposal.quote is None and gold.quote is None
            candidates.append(((quote_agrees, speaker_right(proposal, gold), proposal.cue == gold.cue,
                                both_reported, overlap), proposal, gold))
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)
    pairs, used_proposals, used_golds = [], set(), set()
    for _, proposal, gold in candidates:
        if id(proposal) in used_proposals or id(gold) in used_golds:
            continue
        used_proposals.add(id(proposal))
        used_golds.add(id(gold))
        pairs.append((proposal, gold))
    return pairs
