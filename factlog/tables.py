"""Imports every module that defines tables, so the shared metadata knows them all (migrations, tests)."""
from factlog.accounts.tables import api_tokens, users  # noqa: F401
from factlog.api.tables import idempotent_requests  # noqa: F401
from factlog.eventstore.tables import events  # noqa: F401
from factlog.projections.tables import projection_checkpoints  # noqa: F401
from factlog.readmodels.attribution import attribution_claims, attribution_sources  # noqa: F401
from factlog.readmodels.links import claim_links  # noqa: F401
from factlog.readmodels.search import search_documents  # noqa: F401
from factlog.readmodels.timelines import timeline_claims, timeline_entries, timeline_sources  # noqa: F401
from factlog.transparency.tables import log_tree_heads, log_tree_leaves, log_tree_nodes  # noqa: F401
from factlog.webhooks.tables import webhook_deliveries, webhook_subscriptions  # noqa: F401
