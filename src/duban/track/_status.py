"""Status from target, latest approved actual value and elapsed time; roll-ups.

Statuses (the lights of a supervision office):

    done          已完成     closed (办结), or the target is reached
    green         正常推进   on or ahead of the time-proportional schedule
    yellow        进度滞后   behind, or the deadline is near and it is not done
    red           严重滞后   well behind, or overdue (逾期)
    not_reported  未报送     no approved progress yet — distinct from reported zero progress
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Literal

from ._palette import Colour, load_palette

Status = Literal["done", "green", "yellow", "red", "not_reported"]
STATUSES: tuple[Status, ...] = ("done", "green", "yellow", "red", "not_reported")
# words and colours of the lights: data/status.toml
STATUS_ZH: dict[str, str]
STATUS_COLOURS: dict[str, Colour]
STATUS_ZH, STATUS_COLOURS = load_palette("status", STATUSES)


@dataclass(frozen=True)
class Thresholds:
    """progress / expected-by-now at or above ``on_track`` is green, at or above ``behind``
    yellow, below it red; within ``near_days`` of the deadline an unfinished task is at
    least yellow."""

    on_track: float = 0.95
    behind: float = 0.75
    near_days: int = 30

    def __post_init__(self) -> None:
        if not 0 < self.behind <= self.on_track <= 1.5 or self.near_days < 0:
            raise ValueError(f"invalid thresholds: {self}")


@dataclass(frozen=True)
class TargetSpec:
    value: float
    comparator: str = "="  # = >= <= ~ range
    higher_is_better: bool = True
    unit: str = ""


@dataclass(frozen=True)
class StatusResult:
    status: Status
    progress: float | None  # share of the target reached, 0..1+ (None: nothing to measure)
    expected: float  # share of the time elapsed, 0..1
    overdue: bool
    reason: str


def _progress(target: TargetSpec | None, actual: float | None,
              percent: float | None) -> tuple[float | None, bool]:
    """(share reached, target met). Ceilings (<=, lower is better) are met while under."""
    if target is not None and actual is not None:
        if target.comparator == "<=" or not target.higher_is_better:
            met = actual <= target.value
            return (1.0 if met else (target.value / actual if actual else 0.0)), met
        if target.value == 0:
            return 1.0, True
        share = actual / target.value
        if target.comparator == "~":
            tolerance = 0.5 if target.unit in ("%", "百分点") else 0.05 * abs(target.value)
            met = actual >= target.value - tolerance
        else:
            met = actual >= target.value
        return share, met
    if percent is not None:
        return percent / 100.0, percent >= 100.0
    return None, False


def task_status(*, target: TargetSpec | None, actual: float | None, percent: float | None,
                reported: bool, closed: bool, start: date, deadline: date, today: date,
                thresholds: Thresholds = Thresholds()) -> StatusResult:
    """The light of one task today."""
    span = max((deadline - start).days, 1)
    expected = min(max((today - start).days / span, 0.0), 1.0)
    overdue = today > deadline
    if closed:
        return StatusResult("done", 1.0, expected, False, "已办结销号")
    if not reported:
        if overdue:
            return StatusResult("red", None, expected, True, "逾期且未报送进展")
        return StatusResult("not_reported", None, expected, False, "尚未报送（或尚无审核通过的）进展")
    progress, met = _progress(target, actual, percent)
    ceiling = target is not None and (target.comparator == "<=" or not target.higher_is_better)
    if met and not ceiling:
        return StatusResult("done", progress, expected, False, "已达到目标")
    if overdue:
        if met:  # a ceiling kept to the end
            return StatusResult("done", progress, expected, False, "期末控制在目标以内")
        return StatusResult("red", progress, expected, True, "已逾期未完成")
    if progress is None:
        return StatusResult("not_reported", None, expected, False, "进展未填写数值或百分比")
    if ceiling:
        status: Status = "green" if met else ("yellow" if progress >= thresholds.on_track else "red")
        return StatusResult(status, progress, expected, False,
                            "控制在目标以内" if met else "超出控制目标")
    ratio = progress / expected if expected > 0 else float("inf")
    if ratio >= thresholds.on_track:
        status, reason = "green", "达到或超过序时进度"
    elif ratio >= thresholds.behind:
        status, reason = "yellow", "略低于序时进度"
    else:
        status, reason = "red", "明显低于序时进度"
    if status == "green" and (deadline - today).days <= thresholds.near_days:
        status, reason = "yellow", "临近完成时限尚未完成"
    return StatusResult(status, progress, expected, False, reason)


def roll_up(items: Iterable[tuple[str, Status]]) -> dict[str, dict[str, int]]:
    """Counts of each status per group (part, department …) and ``"合计"`` for all."""
    counts: dict[tuple[str, str], int] = {}
    for key in items:
        counts[key] = counts.get(key, 0) + 1
    out: dict[str, dict[str, int]] = {}
    total: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for (group, status), n in counts.items():
        out.setdefault(group, dict.fromkeys(STATUSES, 0))[status] += n
        total[status] += n
    out["合计"] = total
    return out
