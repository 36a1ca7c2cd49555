"""What happened: the append-only audit log (who, when, before, after) and the progress
updates of a task or a review queue."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

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
