from __future__ import annotations

from datetime import date, timedelta

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
    assert status(mid, actual=6800).status == "green"  # last month's report: on the curve
    assert status(mid, actual=5500).status == "yellow"
    assert status(mid, actual=3000).status == "red"
    assert status(mid, actual=16000).status == "done"


def test_deadline_near_and_overdue() -> None:
    # on the curve two weeks before the deadline: still on schedule (no 进度滞后 in December)
    assert status(date(2023, 12, 15), actual=15900).status == "green"
    assert status(date(2023, 12, 15), actual=12000).status == "yellow"
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
    strict = Thresholds(on_track=1.0, behind=0.99, tolerance=0, report_lag_days=0)
    assert status(mid, actual=7900, thresholds=strict).status == "red"
    with pytest.raises(ValueError):
        Thresholds(report_lag_days=-1)
    with pytest.raises(ValueError):
        Thresholds(on_track=0.5, behind=0.9)


def test_roll_up_counts_groups_and_total() -> None:
    counts = roll_up([("区教育局", "green"), ("区教育局", "red"), ("区人社局", "green")])
    assert counts["区教育局"]["red"] == 1 and counts["合计"]["green"] == 2
    assert counts["区人社局"]["not_reported"] == 0


@pytest.mark.parametrize("day", [date(2023, 11, 1), date(2023, 12, 1), date(2023, 12, 3),
                                 date(2023, 12, 20), date(2023, 12, 31)])
def test_work_on_schedule_stays_green_up_to_its_deadline(day: date) -> None:
    """The December demo: progress on the curve as of the end of last month (what a monthly
    report carries) is on schedule, not 进度滞后, right up to the deadline."""
    from duban.track import expected_share
    month_end = date(day.year, day.month, 1) - timedelta(days=1)
    on_curve = expected_share(YEAR["start"], YEAR["deadline"], month_end) * 100
    assert status(day, target=None, percent=on_curve).status == "green"
    assert status(day, target=None, percent=on_curve - 20).status in ("yellow", "red")


def test_early_in_the_year_zero_is_within_the_tolerance() -> None:
    assert status(date(2023, 1, 10), actual=0).status == "green"
    assert status(date(2023, 2, 20), actual=0).status == "red"


def test_no_light_before_publication() -> None:
    draft = status(date(2023, 12, 1), reported=False, published=False)
    assert draft.status == "unpublished" and not draft.overdue
    assert status(date(2024, 3, 1), actual=100, published=False).status == "unpublished"


def test_submitted_unreviewed_is_pending_not_unreported() -> None:
    assert status(date(2023, 6, 1), reported=False, pending=True).status == "pending"
    assert status(date(2023, 6, 1), reported=False).status == "not_reported"
    # approved progress measures the task even while a newer submission waits
    assert status(date(2023, 7, 2), actual=8000, pending=True).status == "green"


def test_returned_clears_on_resubmission_approval_and_closing() -> None:
    assert status(date(2023, 6, 1), reported=False, returned=True).status == "returned"
    assert status(date(2023, 6, 1), reported=False, returned=True, pending=True).status == "pending"
    assert status(date(2023, 7, 2), actual=8000, returned=True).status == "green"
    assert status(date(2023, 6, 1), reported=False, returned=True, closed=True).status == "done"


def test_thresholds_default_from_the_data_file() -> None:
    from duban import rules
    table = rules.load_table("status.toml")["thresholds"]
    assert Thresholds().tolerance == table["tolerance"] and Thresholds().on_track == table["on_track"]


def test_a_plan_published_after_its_deadlines_is_not_overdue() -> None:
    """The sample (a 2023 report) published today: nobody was asked to do it in time, so
    unreported tasks are 未报送, not 逾期 — a fresh sample ledger is not all red."""
    late = status(date(2026, 12, 3), reported=False, assigned_on=date(2026, 12, 3))
    assert late.status == "not_reported" and not late.overdue
    in_time = status(date(2026, 12, 3), reported=False, assigned_on=date(2023, 2, 1))
    assert in_time.status == "red" and in_time.overdue
