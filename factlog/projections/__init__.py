"""Projections as factlog sees them: checkpoints, their status, and nudging the workers after a commit.

The projectors themselves live in the ``workers`` package; factlog only reads what they wrote and sends
them tasks by name.
"""
from factlog.projections.nudge import CATCH_UP_TASK, nudge_projections
from factlog.projections.status import ProjectionStatus, projection_status
from factlog.projections.tables import REBUILD_SUFFIX, projection_checkpoints

__all__ = ["CATCH_UP_TASK", "REBUILD_SUFFIX", "ProjectionStatus", "nudge_projections", "projection_checkpoints",
           "projection_status"]
