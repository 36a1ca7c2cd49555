"""The workflow of a plan: publish (交办), acknowledge (签收), review (审核), close (办结),
revise a target mid-year. Each call is one transaction, recorded in the audit log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import Forbidden, NotFound, ValidationFailed
from . import _models as m
from ._db import Database, retrying
from ._text import TargetText, check_period, parse_targets
from .history import record_change, row_dict
from .lookup import department_of, report_of, task_of

STATE_ZH = {"draft": "草稿", "assigned": "已交办", "acknowledged": "已签收", "reported": "已报送",
            "closed": "已办结"}


@retrying
def publish(db: Database, actor: str, report_id: int | None = None) -> int:
    """Publish the plan: every task needs a lead unit; drafts become assigned (交办)."""
    with db.session() as session:
        report = report_of(session, report_id)
        tasks = session.scalars(select(m.Task).where(m.Task.report_id == report.id)
                                .order_by(m.Task.id).with_for_update(of=m.Task)
                                .options(selectinload(m.Task.assignments))).all()
        missing = [(t.seq, "牵头单位", "未指定牵头单位 (no lead unit)") for t in tasks
                   if not any(a.role == "lead" for a in t.assignments)]
        if missing:
            raise ValidationFailed(f"报告 {report.id}", missing, row_label="序号{}")
        count = 0
        for t in tasks:
            if t.state == "draft":
                t.state = "assigned"
                count += 1
        report.published = True
        record_change(session, actor, "publish", "report", report.id, after={"assigned": count})
        return count


@retrying
def acknowledge(db: Database, task_id: int, department: str, actor: str) -> None:
    """签收: the department accepts the task."""
    with db.session() as session:
        task = task_of(session, task_id, department, lock=True)
        if task.state == "draft":
            raise Forbidden(f"任务 {task_id}", "分工方案尚未发布 (plan not published)")
        dept = department_of(session, department)
        for a in task.assignments:
            if a.department_id == dept.id and a.acknowledged_at is None:
                a.acknowledged_at = datetime.now()
        if task.state == "assigned":
            task.state = "acknowledged"
        record_change(session, actor, "acknowledge", "task", task.id,
                      after={"department": department})


def report_of_task(db: Database, task_id: int) -> int:
    with db.session(readonly=True) as session:
        report_id = session.scalar(select(m.Task.report_id).where(m.Task.id == task_id))
        if report_id is None:
            raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
        return report_id


def task_version(db: Database, task_id: int) -> int:
    with db.session(readonly=True) as session:
        task = session.get(m.Task, task_id)
        if task is None:
            raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
        return task.version


@retrying
def review(db: Database, update_id: int, decision: str, actor: str, comment: str = "") -> None:
    """审核: approve (the task's latest becomes the approved update of the latest plausible
    period) or return with a comment."""
    if decision not in ("approve", "return"):
        raise ValueError("decision 只能是 approve 或 return")
    if decision == "return" and not comment.strip():
        raise ValueError("退回必须填写理由 (a return needs a comment)")
    with db.session() as session:
        # the update first, then its task: every writer locks in that order or the task alone
        update = session.get(m.ProgressUpdate, update_id, with_for_update=True)
        if update is None:
            raise NotFound(f"进展 {update_id}", "没有这条进展 (no such update)")
        if update.state != "submitted":
            raise Forbidden(f"进展 {update_id}", f"这条进展已{'通过' if update.state == 'approved' else '退回'}")
        task = task_of(session, update.task_id, lock=True)
        update.state = "approved" if decision == "approve" else "returned"
        update.reviews.append(m.Review(decision=decision, comment=comment, reviewer=actor))
        session.flush()
        if decision == "approve":
            refresh_latest(session, task)
        task.updated_at = datetime.now()
        record_change(session, actor, decision, "progress", update.id,
                      before={"state": "submitted"}, after={"state": update.state, "comment": comment})


def _plausible(period: str, report_year: int) -> bool:
    try:
        check_period(period, report_year)
    except ValueError:
        return False
    return True


def refresh_latest(session: Session, task: m.Task) -> None:
    """The task's latest progress: of its approved updates, the one of the latest period that
    is plausible for its report (a typo such as 2203-06 approved by mistake does not pin the
    task), the one approved last among equals; an implausible one only when nothing else is."""
    year = session.get_one(m.Report, task.report_id).year
    approved = session.execute(
        select(m.ProgressUpdate.id, m.ProgressUpdate.period, m.ProgressUpdate.actual_value,
               m.ProgressUpdate.percent, func.max(m.Review.id))
        .join(m.Review, m.Review.update_id == m.ProgressUpdate.id)
        .where(m.ProgressUpdate.task_id == task.id, m.ProgressUpdate.state == "approved",
               m.Review.decision == "approve")
        .group_by(m.ProgressUpdate.id, m.ProgressUpdate.period, m.ProgressUpdate.actual_value,
                  m.ProgressUpdate.percent)).all()
    if not approved:
        return
    update_id, period, actual, percent, _ = max(
        approved, key=lambda a: (_plausible(a[1], year), a[1], a[4] or 0))
    task.latest_update_id, task.latest_period = update_id, period
    task.latest_actual, task.latest_percent = actual, percent


@retrying
def close_task(db: Database, task_id: int, actor: str, note: str = "") -> None:
    """办结销号."""
    with db.session() as session:
        task = task_of(session, task_id, lock=True)
        before = row_dict(task, ("state", "note"))
        task.state = "closed"
        if note:
            task.note = note
        record_change(session, actor, "close", "task", task.id, before,
                      row_dict(task, ("state", "note")))


def revise_target(db: Database, task_id: int, target_text: str, effective: date, reason: str,
                  actor: str) -> None:
    """A mid-year change to a task's targets: dated revisions; the promise stays as it was."""
    if not reason.strip():
        raise ValueError("调整目标必须说明理由 (a revision needs a reason)")
    new = parse_targets(target_text)
    _revise(db, task_id, target_text, new, effective, reason, actor)


@retrying
def _revise(db: Database, task_id: int, target_text: str, new: list[TargetText], effective: date,
            reason: str, actor: str) -> None:
    with db.session() as session:
        task = session.get(m.Task, task_id, options=[selectinload(m.Task.targets)],
                           with_for_update=True)
        if task is None:
            raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
        if len(new) != len(task.targets):
            raise ValueError(f"任务有 {len(task.targets)} 个指标，调整给出了 {len(new)} 个")
        for target, value in zip(task.targets, new):
            target.revisions.append(m.TargetRevision(
                value=value.value, unit=value.unit, comparator=value.comparator,
                effective_date=effective, reason=reason, revised_by=actor))
        task.updated_at = datetime.now()
        record_change(session, actor, "revise", "task", task.id,
                      after={"targets": target_text, "effective": effective.isoformat(),
                             "reason": reason})
