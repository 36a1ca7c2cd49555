"""Tracking: the light of a task from target, actual and time; which way an indicator
should move; the words and colours of the lights; the promise check (``track.promise``).

Pure: no database, no files but the rule data it reads.
"""
from __future__ import annotations

from ._direction import direction_rule, lower_is_better
from ._palette import Colour
from ._status import (
    STATUS_COLOURS, STATUS_ZH, STATUSES, Status, StatusResult, TargetSpec, Thresholds, expected_share,
    roll_up,
    task_status,
)

__all__ = ["STATUS_COLOURS", "STATUS_ZH", "STATUSES", "Colour", "Status", "StatusResult",
           "TargetSpec", "Thresholds", "expected_share", "direction_rule", "lower_is_better", "roll_up",
           "task_status"]
