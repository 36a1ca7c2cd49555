"""The lights: every task's status today from its target in force, its latest approved
actual and the time gone, with roll-ups by department and by part of the report.

The direction of a target (a ceiling such as 失业率5.5%以内 is green while under) is read
from ``track.lower_is_better`` whenever a light is computed, so that a corrected rule in
``data/indicators.toml`` corrects the lights of ledgers imported before it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..track import (
    Status, StatusResult, TargetSpec, Thresholds, lower_is_better, roll_up, task_status,
)
from . import _models as m
from ._db import Database
from .lookup import department_of, report_of, target_in_force


class StatusRow(NamedTuple):
    task_id: int
    seq: int
    part: str
    title: str
    lead: str
    co: tuple[str, ...]
    deadline: date
    status: Status
    progress: float | None
    expected: float
    overdue: bool
    reason: str
    state: str
    latest_period: str  # of the latest approved progress
    pending: bool = False  # a submission awaits review
    last_period: str = ""  # of the latest submission, whatever its review
    last_submitted_at: datetime | None = None


@dataclass
class StatusReport:
    rows: list[StatusRow]
    by_department: dict[str, dict[str, int]]
    by_part: dict[str, dict[str, int]]
    today: date
    # returned updates still to fix: the latest of their task and department, task not closed
    open_returns: frozenset[int] = field(default_factory=frozenset)

    @property
    def total(self) -> dict[str, int]:
        return self.by_part.get("合计", {})


def target_spec(indicator: str, value: float | None, unit: str, comparator: str) -> TargetSpec | None:
    """What a light measures against: the target in force, in its direction."""
    if value is None:
        return None
    return TargetSpec(value, comparator, not lower_is_better(indicator, comparator), unit)


@dataclass(frozen=True)
class Review:
    """Where a task's submissions stand in review."""

    pending: bool = False
    returned: bool = False  # the latest submission was returned
    last_period: str = ""
    last_submitted_at: datetime | None = None


def review_states(session: Session, task_filter: ColumnElement[bool]
                  ) -> tuple[dict[int, Review], frozenset[int]]:
    """Per task: a submission awaiting review? the latest submission returned? its period and
    time; and the returned updates still open (the latest of their task and department)."""
    latest = (select(m.ProgressUpdate.task_id, m.ProgressUpdate.department_id,
                     func.max(m.ProgressUpdate.id).label("last"))
              .join(m.Task).where(task_filter)
              .group_by(m.ProgressUpdate.task_id, m.ProgressUpdate.department_id).subquery())
    rows = session.execute(
        select(m.ProgressUpdate.id, m.ProgressUpdate.task_id, m.ProgressUpdate.state,
               m.ProgressUpdate.period, m.ProgressUpdate.submitted_at, m.Task.state)
        .join(latest, latest.c.last == m.ProgressUpdate.id)
        .join(m.Task, m.Task.id == m.ProgressUpdate.task_id)
        .order_by(m.ProgressUpdate.id)).all()
    pending = set(session.scalars(
        select(m.ProgressUpdate.task_id).join(m.Task).where(task_filter)
        .where(m.ProgressUpdate.state == "submitted").distinct()))
    reviews: dict[int, Review] = {}
    open_returns = set()
    for update_id, task_id, state, period, at, task_state in rows:  # in order: the last wins
        reviews[task_id] = Review(task_id in pending, state == "returned" and task_state != "closed",
                                  period, at)
        if state == "returned" and task_state != "closed":
            open_returns.add(update_id)
    return reviews, frozenset(open_returns)


def assigned_on(session: Session, report_id: int) -> date | None:
    """The day the plan was first published (交办), from the audit log: its first publish
    entry (the log is read in id order, and a plan is published soon after its import)."""
    at = session.scalar(select(m.AuditEntry.at).where(
        m.AuditEntry.action == "publish", m.AuditEntry.entity == "report",
        m.AuditEntry.entity_id == report_id).order_by(m.AuditEntry.id).limit(1))
    return at.date() if at is not None else None


def task_light(task: m.Task, year: int, today: date, thresholds: Thresholds = Thresholds(),
               review: Review = Review(), published: bool = True,
               assigned: date | None = None) -> StatusResult:
    """The light of one task (with its targets and their revisions loaded)."""
    spec = None
    if task.targets:
        current = target_in_force(task.targets[0], today)  # the first target measures the task
        spec = target_spec(current.indicator, current.value, current.unit, current.comparator)
    actual = task.latest_actual if spec is not None else None
    return task_status(target=spec, actual=actual, percent=task.latest_percent,
                       reported=task.latest_update_id is not None,
                       closed=task.state == "closed", start=date(year, 1, 1),
                       deadline=task.deadline or date(year, 12, 31), today=today,
                       thresholds=thresholds, published=published, pending=review.pending,
                       returned=review.returned, assigned_on=assigned)


def status(db: Database, report_id: int | None = None, department: str | None = None,
           overdue_only: bool = False, today: date | None = None,
           thresholds: Thresholds = Thresholds()) -> StatusReport:
    """Every task's light, with roll-ups by department (lead) and by part of the report.

    Reads plain columns (no ORM objects): a province's 10,000 tasks in one pass.
    """
    today = today or date.today()
    with db.session(readonly=True) as session:
        report = report_of(session, report_id)
        year, published = report.year, report.published
        assigned = assigned_on(session, report.id) if published else None
        task_filter = m.Task.report_id == report.id
        if department:
            dept = department_of(session, department)
            mine = select(m.Assignment.task_id).where(m.Assignment.department_id == dept.id)
            task_filter = task_filter & m.Task.id.in_(mine)
        tasks = session.execute(
            select(m.Task.id, m.Task.seq, m.Task.part, m.Task.title, m.Task.state,
                   m.Task.deadline, m.Task.latest_update_id, m.Task.latest_actual,
                   m.Task.latest_percent, m.Task.latest_period)
            .where(task_filter).order_by(m.Task.seq)).all()
        targets: dict[int, tuple[int, str, float | None, str, str]] = {}
        for task_id, target_id, indicator, value, unit, comparator in session.execute(
                select(m.Target.task_id, m.Target.id, m.Target.indicator, m.Target.value,
                       m.Target.unit, m.Target.comparator)
                .join(m.Task).where(task_filter).order_by(m.Target.id)):
            # the first target measures the task
            targets.setdefault(task_id, (target_id, indicator, value, unit, comparator))
        revised: dict[int, tuple[float | None, str, str]] = {}
        for target_id, value, unit, comparator in session.execute(
                select(m.TargetRevision.target_id, m.TargetRevision.value,
                       m.TargetRevision.unit, m.TargetRevision.comparator)
                .join(m.Target).join(m.Task).where(task_filter)
                .where(m.TargetRevision.effective_date <= today)
                .order_by(m.TargetRevision.effective_date, m.TargetRevision.id)):
            revised[target_id] = (value, unit, comparator)  # the latest revision in force wins
        names = {d.id: d.short_name or d.name for d in session.scalars(select(m.Department))}
        leads: dict[int, str] = {}
        cos: dict[int, list[str]] = {}
        for task_id, dept_id, role in session.execute(
                select(m.Assignment.task_id, m.Assignment.department_id, m.Assignment.role)
                .join(m.Task).where(task_filter).order_by(m.Assignment.id)):
            if role == "lead":
                leads.setdefault(task_id, names[dept_id])
            else:
                cos.setdefault(task_id, []).append(names[dept_id])
        reviews, open_returns = review_states(session, task_filter)
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    rows = []
    for (task_id, seq, part, title, state, deadline, update_id, actual, percent,
         period) in tasks:
        spec = None
        target = targets.get(task_id)
        if target is not None:
            target_id, indicator, value, unit, comparator = target
            value, unit, comparator = revised.get(target_id, (value, unit, comparator))
            spec = target_spec(indicator, value, unit, comparator)
        deadline = deadline or year_end
        review = reviews.get(task_id, Review())
        result = task_status(target=spec, actual=actual if spec else None, percent=percent,
                             reported=update_id is not None, closed=state == "closed",
                             start=year_start, deadline=deadline, today=today,
                             thresholds=thresholds, published=published,
                             pending=review.pending, returned=review.returned,
                             assigned_on=assigned)
        if overdue_only and not result.overdue:
            continue
        rows.append(StatusRow(
            task_id, seq, part, title, leads.get(task_id, "（未指定）"), tuple(cos.get(task_id, ())),
            deadline, result.status, result.progress, result.expected, result.overdue,
            result.reason, state, period, review.pending, review.last_period,
            review.last_submitted_at))
    return StatusReport(rows, roll_up((r.lead, r.status) for r in rows),
                        roll_up((r.part or "（未分部分）", r.status) for r in rows), today, open_returns)
