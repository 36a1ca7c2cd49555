"""What happened: the append-only audit log (who, when, before, after) and the progress
updates of a task or a review queue."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..errors import Conflict
from . import _models as m
from ._db import Database
from .lookup import department_of

AuditRow = tuple[int, datetime, str, str, str, int | None, str, str]


@dataclass(frozen=True)
class UpdateView:
    update_id: int
    task_id: int
    seq: int
    title: str
    department: str
    period: str
    actual: float | None
    percent: float | None
    narrative: str
    state: str
    submitted_by: str
    submitted_at: datetime
    evidence: tuple[str, ...] = ()
    reviews: tuple[tuple[str, str, str, datetime], ...] = field(default=())


def row_dict(obj: object, columns: Iterable[str]) -> dict[str, Any]:
    """The named columns of a row, dates as ISO text: the before/after of an audit entry."""
    out = {}
    for name in columns:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def record_change(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """One entry of the audit log, in the transaction of the change it records."""
    session.add(m.AuditEntry(
        actor=actor, action=action, entity=entity, entity_id=entity_id,
        before=json.dumps(before, ensure_ascii=False, default=str) if before else "",
        after=json.dumps(after, ensure_ascii=False, default=str) if after else ""))


ACTION_ZH = {"import": "导入报告", "create": "新增任务", "update": "修改分工方案", "publish": "发布分工方案",
             "acknowledge": "签收任务", "submit": "报送进展", "approve": "审核通过进展",
             "return": "退回进展", "close": "办结任务", "revise": "调整目标",
             "department_add": "新增单位", "department_update": "修改单位",
             "department_deactivate": "停用单位", "department_activate": "启用单位",
             "department_rename": "单位更名", "department_merge": "单位合并"}


def last_change(session: Session, task: m.Task) -> tuple[str, datetime | None, str]:
    """(who, when in UTC, what) of the latest audit entry about ``task``: the task itself, its
    progress updates and reviews, or the publication of its plan. ("", None, "") if none."""
    updates = select(m.ProgressUpdate.id).where(m.ProgressUpdate.task_id == task.id)
    entry = session.execute(
        select(m.AuditEntry.actor, m.AuditEntry.at, m.AuditEntry.action)
        .where(or_(and_(m.AuditEntry.entity == "task", m.AuditEntry.entity_id == task.id),
                   and_(m.AuditEntry.entity == "progress", m.AuditEntry.entity_id.in_(updates)),
                   and_(m.AuditEntry.entity == "report", m.AuditEntry.action == "publish",
                        m.AuditEntry.entity_id == task.report_id)))
        .order_by(m.AuditEntry.id.desc()).limit(1)).first()
    if entry is None:
        return "", None, ""
    actor, at, action = entry
    return actor, at.replace(tzinfo=timezone.utc), f"{ACTION_ZH.get(action, action)} ({action})"


def stale(session: Session, task: m.Task, seen: int, where: str = "") -> Conflict:
    """The Conflict of a writer who saw version ``seen`` of ``task``, naming the change since."""
    who, when, what = last_change(session, task)
    return Conflict(where or f"任务 {task.id}",
                    f"你看到的是第 {seen} 版，现已是第 {task.version} 版 (version {seen} seen, "
                    f"now {task.version})", who=who, when=when, what=what, seen=seen,
                    current=task.version)


def sheet_conflict(session: Session, source: str,
                    conflicts: list[tuple[int, m.Task, int]]) -> Conflict:
    """One Conflict for the stale rows of a sheet, naming the latest change among them."""
    latest = max((stale(session, task, seen) for _, task, seen in conflicts),
                 key=lambda c: c.when or datetime.min.replace(tzinfo=timezone.utc))
    rows = "；".join(f"第{row}行 任务 {task.id}（表中第 {seen} 版，现为第 {task.version} 版）"
                    for row, task, seen in conflicts[:10])
    more = f" 等 {len(conflicts)} 行" if len(conflicts) > 10 else ""
    return Conflict(source, f"{rows}{more}：导出后已被修改，请重新导出再填 (re-export the sheet)",
                    who=latest.who, when=latest.when, what=latest.what, seen=latest.seen,
                    current=latest.current)


def audit_log(db: Database, limit: int = 100) -> list[AuditRow]:
    """The latest ``limit`` entries, newest first."""
    with db.session(readonly=True) as session:
        rows = session.execute(select(
            m.AuditEntry.id, m.AuditEntry.at, m.AuditEntry.actor, m.AuditEntry.action,
            m.AuditEntry.entity, m.AuditEntry.entity_id, m.AuditEntry.before,
            m.AuditEntry.after).order_by(m.AuditEntry.id.desc()).limit(limit)).all()
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def data_version(db: Database) -> int:
    """Grows with every change (each one writes the audit log): a cache key for snapshots."""
    with db.session(readonly=True) as session:
        return session.scalar(select(func.max(m.AuditEntry.id))) or 0


def updates(db: Database, state: str | None = "submitted", department: str | None = None,
            task_id: int | None = None) -> list[UpdateView]:
    """Progress updates: the review queue by default, or a task's whole history."""
    with db.session(readonly=True) as session:
        query = (select(m.ProgressUpdate, m.Task.seq, m.Task.title).join(m.Task)
                 .options(selectinload(m.ProgressUpdate.evidence),
                          selectinload(m.ProgressUpdate.reviews),
                          selectinload(m.ProgressUpdate.department))
                 .order_by(m.ProgressUpdate.id))
        if state:
            query = query.where(m.ProgressUpdate.state == state)
        if task_id is not None:
            query = query.where(m.ProgressUpdate.task_id == task_id)
        if department:
            query = query.where(m.ProgressUpdate.department_id ==
                                department_of(session, department).id)
        return [UpdateView(u.id, u.task_id, seq, title, u.department.short_name or u.department.name,
                           u.period, u.actual_value, u.percent, u.narrative, u.state,
                           u.submitted_by, u.submitted_at, tuple(e.filename for e in u.evidence),
                           tuple((r.decision, r.comment, r.reviewer, r.reviewed_at) for r in u.reviews))
                for u, seq, title in session.execute(query)]
