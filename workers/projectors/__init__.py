"""Every projection the workers maintain, in the order they run."""
from __future__ import annotations

from typing import Iterable

from workers.projection import Projection


def all_projections() -> list[Projection]:
    """The projections, in the order the workers run them."""
    from workers.projectors import attribution, search, timelines

    return [timelines.projection, attribution.projection, search.projection]


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
