"""Progress: a department reports on its tasks, one update at a time (the web) or a whole
monthly sheet at once (validated as a whole, then submitted in one transaction)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, Forbidden, ValidationFailed
from . import _models as m
from ._db import Database
from .history import record_change
from .lookup import department_of, report_of, task_of
from .plan import PlanRow, plan
from .workflow import STATE_ZH

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ProgressEdit:
    """One row of a department's progress sheet."""

    row: int
    task_id: int | None
    period: str
    actual: str
    percent: str
    narrative: str
    version: int | None = None


def normalise_period(text: str) -> str:
    """2023-06, 2023年6月, 2023.6 -> 2023-06; ValueError otherwise."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"“{text}”不是报送期（应为 2023-06 或 2023年6月）(not a period)")
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def parse_number(text: str, what: str) -> float | None:
    """A number typed by a person (1,234 / 45% / 3.5); ValueError names what is wrong."""
    text = (text or "").strip().replace(",", "").rstrip("%％")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what}“{text}”不是数字 (not a number)") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{what}“{text}”不是有限数字 (not a finite number)")
    return value


def submit_progress(db: Database, task_id: int, department: str, period: str, *,
                    actual: float | None = None, percent: float | None = None,
                    narrative: str = "", actor: str, expected_version: int | None = None,
                    evidence: Iterable[tuple[str, bytes, str]] = ()) -> int:
    """A department's progress for a period. With ``expected_version`` (the task version
    the clerk saw), a task changed since then raises Conflict and nothing is written."""
    period = normalise_period(period)
    if percent is not None and not 0 <= percent <= 100:
        raise ValueError(f"完成百分比 {percent} 不在 0–100 之间")
    files = list(evidence)
    for name, data, _ in files:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValueError(f"证明材料 {name} 超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB")
    with db.session() as session:
        task = task_of(session, task_id, department)
        if task.state in ("draft", "closed"):
            raise Forbidden(f"任务 {task_id}", f"任务处于“{STATE_ZH[task.state]}”状态，不能报送进展")
        if expected_version is not None and expected_version != task.version:
            raise Conflict(f"任务 {task_id}", f"你看到的是第 {expected_version} 版，现已是第 "
                                              f"{task.version} 版")
        dept = department_of(session, department)
        update = m.ProgressUpdate(task_id=task.id, department_id=dept.id, period=period,
                                  actual_value=actual, percent=percent, narrative=narrative,
                                  submitted_by=actor, task_version=task.version)
        for name, data, content_type in files:
            update.evidence.append(m.Evidence(
                filename=Path(name).name[:200], content_type=content_type[:100], size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), data=data))
        session.add(update)
        task.state = "reported"
        task.updated_at = datetime.now()  # bumps the version: the next stale writer conflicts
        try:
            session.flush()
        except StaleDataError:
            raise Conflict(f"任务 {task_id}", "他人同时更新了该任务，请刷新后重试") from None
        record_change(session, actor, "submit", "progress", update.id, after={
            "task": task.id, "department": department, "period": period, "actual": actual,
            "percent": percent, "evidence": [f[0] for f in files]})
        return update.id


def apply_progress(db: Database, edits: list[ProgressEdit], department: str, actor: str,
                   report_id: int | None = None, source: str = "进展表") -> list[int]:
    """A department's monthly sheet: every row validated, then all submitted at once."""
    with db.session() as session:
        report = report_of(session, report_id)
        dept = department_of(session, department)
        tasks = {t.id: t for t in session.scalars(
            select(m.Task).where(m.Task.report_id == report.id)
            .options(selectinload(m.Task.assignments)))}
        errors: list[tuple[int, str, str]] = []
        good = []
        for edit in edits:
            task = tasks.get(edit.task_id) if edit.task_id is not None else None
            if task is None:
                errors.append((edit.row, "任务编号", f"没有编号为 {edit.task_id} 的任务 (unknown task id)"))
                continue
            if not any(a.department_id == dept.id for a in task.assignments):
                errors.append((edit.row, "任务编号", f"任务 {task.id} 不是{department}的任务，不能填报 "
                                                     "(not this department's task)"))
            if task.state in ("draft", "closed"):
                errors.append((edit.row, "任务编号", f"任务处于“{STATE_ZH[task.state]}”状态"))
            if edit.version is not None and edit.version != task.version:
                errors.append((edit.row, "版本", f"任务已被修改（表中版本 {edit.version}，现为 "
                                                 f"{task.version}），请重新导出 (conflict)"))
            try:
                period = normalise_period(edit.period)
            except ValueError as exc:
                errors.append((edit.row, "报送期", str(exc)))
                period = ""
            try:
                actual = parse_number(edit.actual, "实际值")
            except ValueError as exc:
                errors.append((edit.row, "实际值", str(exc)))
                actual = None
            try:
                percent = parse_number(edit.percent, "完成百分比")
                if percent is not None and not 0 <= percent <= 100:
                    raise ValueError(f"完成百分比 {percent:g} 不在 0–100 之间")
            except ValueError as exc:
                errors.append((edit.row, "完成百分比", str(exc)))
                percent = None
            if not (edit.narrative or "").strip() and actual is None and percent is None:
                errors.append((edit.row, "进展情况", "进展情况、实际值、完成百分比至少填一项"))
            good.append((task, period, actual, percent, edit.narrative or ""))
        if errors:
            raise ValidationFailed(source, errors)
        ids = []
        for task, period, actual, percent, narrative in good:
            update = m.ProgressUpdate(task_id=task.id, department_id=dept.id, period=period,
                                      actual_value=actual, percent=percent, narrative=narrative,
                                      submitted_by=actor, task_version=task.version)
            session.add(update)
            task.state = "reported"
            task.updated_at = datetime.now()
            session.flush()
            ids.append(update.id)
            record_change(session, actor, "submit", "progress", update.id, after={
                "task": task.id, "department": department, "period": period,
                "actual": actual, "percent": percent, "source": source})
        return ids


def progress_rows(db: Database, department: str, report_id: int | None = None) -> list[PlanRow]:
    """The department's own tasks (lead or co) as plan rows, for its progress sheet."""
    with db.session(readonly=True) as session:
        dept_id = department_of(session, department).id
    _, rows = plan(db, report_id)
    with db.session(readonly=True) as session:
        mine = set(session.scalars(select(m.Assignment.task_id)
                                   .where(m.Assignment.department_id == dept_id)))
    return [r for r in rows if r.task_id in mine]
