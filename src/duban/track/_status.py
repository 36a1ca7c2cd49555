"""Status from target, latest approved actual value, the state of review and elapsed time;
roll-ups.

Statuses (the lights of a supervision office; words, colours and thresholds in
``data/status.toml``):

    done          已完成        closed (办结), or the target is reached
    green         正常推进      on the expected-progress curve, within its tolerance
    yellow        进度滞后      behind the curve
    red           严重滞后      well behind, or overdue (逾期)
    not_reported  未报送        nothing submitted yet — distinct from reported zero progress
    pending       待审核        submitted, awaiting the office's review, nothing approved yet
    returned      被退回待修改  the latest submission came back and nothing newer was sent
    unpublished   未发布        the plan is a draft: no light before publication (交办)

``task_status`` is a pure function of plain inputs, so that it can be fed from a table of each
task's current state as well as from the updates themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable, Literal

from ..rules import load_table
from ._palette import Colour, load_palette

Status = Literal["done", "green", "yellow", "red", "not_reported", "pending", "returned",
                 "unpublished"]
STATUSES: tuple[Status, ...] = ("done", "green", "yellow", "red", "not_reported", "pending",
                                "returned", "unpublished")
# words and colours of the lights: data/status.toml
STATUS_ZH: dict[str, str]
STATUS_COLOURS: dict[str, Colour]
STATUS_ZH, STATUS_COLOURS = load_palette("status", STATUSES)


def _default(name: str) -> Any:
    """A threshold's default, from [thresholds] of data/status.toml."""
    return load_table("status.toml")["thresholds"][name]


@dataclass(frozen=True)
class Thresholds:
    """Against the expected-progress curve (the share of the time gone ``report_lag_days``
    ago, as a report carries last month's figure): green while
    progress / expected is at least ``on_track`` or progress trails expected by at most
    ``tolerance``; yellow while the ratio is at least ``behind``; red below. ``near_days``:
    how soon a deadline counts as near in the due lists (it does not change a light: work on
    schedule stays green up to its deadline)."""

    on_track: float = float(_default("on_track"))
    behind: float = float(_default("behind"))
    near_days: int = int(_default("near_days"))
    tolerance: float = float(_default("tolerance"))
    report_lag_days: int = int(_default("report_lag_days"))

    def __post_init__(self) -> None:
        if (not 0 < self.behind <= self.on_track <= 1.5 or self.near_days < 0
                or not 0 <= self.tolerance < 0.5 or not 0 <= self.report_lag_days <= 92):
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


def expected_share(start: date, deadline: date, on: date) -> float:
    """The expected-progress curve: the share of the time from ``start`` to ``deadline`` gone
    by ``on`` (0..1)."""
    span = max((deadline - start).days, 1)
    return min(max((on - start).days / span, 0.0), 1.0)


def task_status(*, target: TargetSpec | None, actual: float | None, percent: float | None,
                reported: bool, closed: bool, start: date, deadline: date, today: date,
                thresholds: Thresholds = Thresholds(), published: bool = True,
                pending: bool = False, returned: bool = False,
                assigned_on: date | None = None) -> StatusResult:
    """The light of one task today.

    ``reported``: there is approved progress (``actual``/``percent`` are the latest approved);
    ``pending``: a submission awaits review; ``returned``: the latest submission was returned
    and nothing newer was sent; ``published``: the plan has been published (交办), on
    ``assigned_on``. A task assigned after its deadline (an old plan published for reference)
    is never overdue: nobody was asked to do it in time. (A ``today`` before ``assigned_on``
    is a date simulated for a demo or a test: the publication date is not known then.)"""
    expected = expected_share(start, deadline, today - timedelta(days=thresholds.report_lag_days))
    late_plan = assigned_on is not None and deadline < assigned_on <= today
    overdue = today > deadline and not late_plan
    if not published:
        return StatusResult("unpublished", None, expected, False, "分工方案尚未发布，不评定进度")
    if closed:
        return StatusResult("done", 1.0, expected, False, "已办结销号")
    if not reported:
        if pending:
            return StatusResult("pending", None, expected, overdue,
                                "已逾期，进展待督查室审核" if overdue else "进展待督查室审核")
        if returned:
            return StatusResult("returned", None, expected, overdue, "报送的进展被退回，待修改后重新报送")
        if overdue:
            return StatusResult("red", None, expected, True, "逾期且未报送进展")
        return StatusResult("not_reported", None, expected, False, "尚未报送进展")
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
    if ratio >= thresholds.on_track or expected - progress <= thresholds.tolerance:
        status, reason = "green", "达到序时进度（在允许范围内）"
    elif ratio >= thresholds.behind:
        status, reason = "yellow", "略低于序时进度"
    else:
        status, reason = "red", "明显低于序时进度"
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
