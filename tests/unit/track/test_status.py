from __future__ import annotations

from datetime import date

import pytest

from duban.track import TargetSpec, Thresholds, roll_up, task_status

YEAR = dict(start=date(2023, 1, 1), deadline=date(2023, 12, 31))


def status(today: date, **kw):
    args = dict(target=TargetSpec(16000), actual=None, percent=None, reported=True,
                closed=False, today=today, **YEAR)
    args.update(kw)
    return task_status(**args)


def test_not_reported_is_not_no_progress() -> None:
    assert status(date(2023, 3, 1), reported=False).status == "not_reported"
    zero = status(date(2023, 3, 1), actual=0)
    assert zero.status == "red" and zero.progress == 0


def test_schedule_lights() -> None:
    mid = date(2023, 7, 2)  # half the year gone
    assert status(mid, actual=8000).status == "green"
    assert status(mid, actual=6800).status == "yellow"
    assert status(mid, actual=3000).status == "red"
    assert status(mid, actual=16000).status == "done"


def test_deadline_near_and_overdue() -> None:
    assert status(date(2023, 12, 15), actual=15900).status == "yellow"
    late = status(date(2024, 1, 5), actual=15000)
    assert late.status == "red" and late.overdue
    assert status(date(2024, 1, 5), reported=False).status == "red"


def test_closed_is_done_and_percent_works_without_target() -> None:
    assert status(date(2023, 3, 1), closed=True).status == "done"
    assert status(date(2023, 7, 2), target=None, percent=60).status == "green"
    assert status(date(2023, 7, 2), target=None, percent=100).status == "done"


def test_ceiling_targets_lower_is_better() -> None:
    ceiling = TargetSpec(5.5, "<=", higher_is_better=False, unit="%")
    assert status(date(2023, 6, 1), target=ceiling, actual=5.2).status == "green"
    assert status(date(2023, 6, 1), target=ceiling, actual=6.5).status == "red"
    assert status(date(2024, 1, 2), target=ceiling, actual=5.0).status == "done"


def test_about_targets_have_a_tolerance() -> None:
    about = TargetSpec(6, "~", unit="%")
    assert status(date(2023, 6, 1), target=about, actual=5.6).status == "done"


def test_thresholds_are_configurable_and_validated() -> None:
    mid = date(2023, 7, 2)
    strict = Thresholds(on_track=1.0, behind=0.99)
    assert status(mid, actual=7900, thresholds=strict).status == "red"
    with pytest.raises(ValueError):
        Thresholds(on_track=0.5, behind=0.9)


def test_roll_up_counts_groups_and_total() -> None:
    counts = roll_up([("区教育局", "green"), ("区教育局", "red"), ("区人社局", "green")])
    assert counts["区教育局"]["red"] == 1 and counts["合计"]["green"] == 2
    assert counts["区人社局"]["not_reported"] == 0
