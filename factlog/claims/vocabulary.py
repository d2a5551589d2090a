"""The words editors choose from: cues, chain and claim relations, the fields a correction may change."""
from __future__ import annotations

# What the speaker did. "could_not_confirm": Matthew Miller "could not confirm whether Russia had begun...".
CUES = (
    "said", "told", "reported", "claimed", "stated", "denied", "estimated", "warned", "found", "confirmed",
    "questioned", "could_not_confirm", "did_not_comment",
)

# How a link in a chain attributes the claim to the next link (or, for the last relay, to the speaker):
# "The New York Times quoting Nick Brown", "QiOSK citing The New York Times", "Russian media told (by) ...".
CHAIN_RELATIONS = ("citing", "quoting", "told", "republishing")

# How one claim bears on another: "Moscow and Pyongyang denied the transfer" denies Reuters' report.
CLAIM_RELATIONS = ("denies", "contradicts", "supports", "same_as")

# Fields of a claim that a correction can change. Reports are added, not corrected; the speaker's chain
# stays as recorded.
CORRECTABLE_FIELDS = (
    "summary", "quote", "quote_source_id", "speaker_id", "speaker_role", "speaker_as_written", "cue",
    "said_on", "happened_on", "topics", "note",
)
