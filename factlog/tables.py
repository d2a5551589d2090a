"""Imports every module that defines tables, so the shared metadata knows them all (migrations, tests)."""
from factlog.eventstore.tables import events  # noqa: F401
