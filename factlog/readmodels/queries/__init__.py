"""Small query functions over the read models: what pages and the API show, never folded from the log."""
from factlog.readmodels.queries.attribution import claim_attribution, outlet_attribution, speaker_attribution
from factlog.readmodels.queries.links import links_of
from factlog.readmodels.queries.search import search
from factlog.readmodels.queries.timelines import (
    InvalidCursor,
    TimelinePage,
    timeline,
    timeline_count,
    timeline_encoded,
    timeline_keys,
    timeline_labels,
)

__all__ = ["InvalidCursor", "TimelinePage", "claim_attribution", "links_of", "outlet_attribution", "search",
           "speaker_attribution", "timeline", "timeline_count", "timeline_encoded", "timeline_keys",
           "timeline_labels"]
