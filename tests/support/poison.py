"""A projection plugged into real workers (FACTLOG_EXTRA_PROJECTIONS=tests.support.poison:projections) that
cannot apply the note "poison", until its fix is deployed (FACTLOG_TEST_POISON_FIXED=1: version 2, which
applies it, so the workers rebuild it)."""
from __future__ import annotations

import os

from tests.support import projections as notes
from workers.projection import Projection

POISON = "poison"
EXTRA = "tests.support.poison:projections"
FIXED = "FACTLOG_TEST_POISON_FIXED"


def projection(fixed: bool) -> Projection:
    return notes.projection("notes", version=2 if fixed else 1, fail_on=None if fixed else POISON)


def projections() -> list[Projection]:
    return [projection(os.environ.get(FIXED) == "1")]
