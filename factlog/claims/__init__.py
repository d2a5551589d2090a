"""Claims: who said what, in which role, when, through which chain of outlets, and how we know."""
from factlog.claims.claim import Claim, stream_id
from factlog.claims.commands import (
    AddReport,
    CorrectClaim,
    GiveVerdict,
    LinkClaims,
    RecordClaim,
    RetractClaim,
)
from factlog.claims.dates import PreciseDate
from factlog.claims.events import (
    CLAIM_EVENT_TYPES,
    ClaimCorrected,
    ClaimRecorded,
    ClaimReported,
    ClaimRetracted,
    ClaimsLinked,
    Evidence,
    Link,
    Report,
    VerdictGiven,
)
from factlog.claims.queries import HistoryEntry, claim_history, links_to, load_claims
from factlog.claims.schemas import (
    AddReportSchema,
    CorrectClaimSchema,
    GiveVerdictSchema,
    LinkClaimsSchema,
    RecordClaimSchema,
    RetractClaimSchema,
)
from factlog.claims.services import handle, load_claim, run
from factlog.claims.timeline import TimelineEntry, timeline

__all__ = [
    "CLAIM_EVENT_TYPES", "AddReport", "AddReportSchema", "Claim", "ClaimCorrected", "ClaimRecorded",
    "ClaimReported", "ClaimRetracted", "ClaimsLinked", "CorrectClaim", "CorrectClaimSchema", "Evidence",
    "GiveVerdict", "GiveVerdictSchema", "HistoryEntry", "Link", "LinkClaims", "LinkClaimsSchema",
    "PreciseDate", "RecordClaim", "RecordClaimSchema", "Report", "RetractClaim", "RetractClaimSchema",
    "TimelineEntry", "VerdictGiven", "claim_history", "handle", "links_to", "load_claim", "load_claims",
    "run", "stream_id", "timeline",
]
