"""Every projection the workers maintain, in the order they run."""
from __future__ import annotations

import importlib
import os
from collections.abc import Iterable

from workers.projection import Projection

EXTRA_PROJECTIONS = "FACTLOG_EXTRA_PROJECTIONS"


def all_projections() -> list[Projection]:
    """The projections, in the order the workers run them (then any named by FACTLOG_EXTRA_PROJECTIONS)."""
    from workers.projectors import attribution, links, search, timelines

    return [timelines.projection, attribution.projection, search.projection, links.projection,
            *_extra_projections()]


def _extra_projections() -> list[Projection]:
    """Projections plugged in by ``FACTLOG_EXTRA_PROJECTIONS="package.module:function,..."``, each function
    returning a list of them: the reliability tests plug in one that fails on an event
    (tests/support/poison.py)."""
    extra = []
    for name in filter(None, (part.strip() for part in os.environ.get(EXTRA_PROJECTIONS, "").split(","))):
        module, _, function = name.partition(":")
        extra.extend(getattr(importlib.import_module(module), function)())
    return extra


def projections_named(names: Iterable[str] | None) -> list[Projection]:
    """The projections with these names (all for None); ValueError names the unknown ones."""
    projections = all_projections()
    if not names:
        return projections
    by_name = {projection.name: projection for projection in projections}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"unknown projection(s) {', '.join(unknown)}; known: {', '.join(sorted(by_name))}")
    return [by_name[name] for name in names]
