"""Imports every module that defines tables, so the shared metadata knows them all (migrations, tests)."""
from factlog.eventstore.tables import events  # noqa: F401
from factlog.accounts.tables import api_tokens, users  # noqa: F401
