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

from ..errors import Forbidden, ValidationFailed
from . import _models as m
from ._db import Database, retrying
from ._text import check_period
from .history import record_change, sheet_conflict, stale
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
    the clerk saw), a task changed since then raises Conflict naming that change and nothing
    is written; without it the update is appended whatever happened meanwhile."""
    period = normalise_period(period)
    if percent is not None and not 0 <= percent <= 100:
        raise ValueError(f"完成百分比 {percent} 不在 0–100 之间")
    files = list(evidence)
    for name, data, _ in files:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValueError(f"证明材料 {name} 超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB")
    return _submit(db, task_id, department, period, actual, percent, narrative, actor,
                   expected_version, files)


@retrying
def _submit(db: Database, task_id: int, department: str, period: str, actual: float | None,
            percent: float | None, narrative: str, actor: str, expected_version: int | None,
            files: list[tuple[str, bytes, str]]) -> int:
    with db.session() as session:
        task = task_of(session, task_id, department, lock=True)
        if task.state in ("draft", "closed"):
            raise Forbidden(f"任务 {task_id}", f"任务处于“{STATE_ZH[task.state]}”状态，不能报送进展")
        check_period(period, session.get_one(m.Report, task.report_id).year)
        if expected_version is not None and expected_version != task.version:
            raise stale(session, task, expected_version)
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
        session.flush()
        record_change(session, actor, "submit", "progress", update.id, after={
            "task": task.id, "department": department, "period": period, "actual": actual,
            "percent": percent, "evidence": [f[0] for f in files]})
        return update.id


def apply_progress(db: Database, edits: list[ProgressEdit], department: str, actor: str,
                   report_id: int | None = None, source: str = "进展表") -> list[int]:
    """A department's monthly sheet: every row validated, then all submitted at once.

    Refused whole (ValidationFailed, each row and column named): an unknown or foreign task,
    a task named on two rows, a period that is no month or lies far from the report's year
    or in the future, a value that is no number, a row the ledger already holds; rows whose
    task changed since the sheet was exported are a Conflict naming who changed it."""
    return _apply_progress(db, list(edits), department, actor, report_id, source)


@retrying
def _apply_progress(db: Database, edits: list[ProgressEdit], department: str, actor: str,
                    report_id: int | None, source: str) -> list[int]:
    with db.session() as session:
        report = report_of(session, report_id)
        dept = department_of(session, department)
        named = sorted({e.task_id for e in edits if e.task_id is not None})
        tasks = {t.id: t for t in session.scalars(
            select(m.Task).where(m.Task.report_id == report.id, m.Task.id.in_(named))
            .order_by(m.Task.id).with_for_update(of=m.Task)
            .options(selectinload(m.Task.assignments)))}
        stored = {(u.task_id, u.period, u.actual_value, u.percent, u.narrative): u.id
                  for u in session.scalars(select(m.ProgressUpdate).where(
                      m.ProgressUpdate.task_id.in_(named),
                      m.ProgressUpdate.department_id == dept.id,
                      m.ProgressUpdate.state != "returned"))}
        errors: list[tuple[int, str, str]] = []
        conflicts: list[tuple[int, m.Task, int]] = []
        first_row: dict[int, int] = {}
        good = []
        for edit in edits:
            task = tasks.get(edit.task_id) if edit.task_id is not None else None
            if task is None:
                errors.append((edit.row, "任务编号", f"没有编号为 {edit.task_id} 的任务 (unknown task id)"))
                continue
            if task.id in first_row:
                errors.append((edit.row, "任务编号", f"任务 {task.id} 已在第{first_row[task.id]}行填报，"
                                                     "一张表每项任务只填一行 (task repeated)"))
                continue
            first_row[task.id] = edit.row
            if not any(a.department_id == dept.id for a in task.assignments):
                errors.append((edit.row, "任务编号", f"任务 {task.id} 不是{department}的任务，不能填报 "
                                                     "(not this department's task)"))
            if task.state in ("draft", "closed"):
                errors.append((edit.row, "任务编号", f"任务处于“{STATE_ZH[task.state]}”状态"))
            if edit.version is not None and edit.version != task.version:
                conflicts.append((edit.row, task, edit.version))
            try:
                period = normalise_period(edit.period)
                check_period(period, report.year)
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
            narrative = edit.narrative or ""
            if not narrative.strip() and actual is None and percent is None:
                errors.append((edit.row, "进展情况", "进展情况、实际值、完成百分比至少填一项"))
            same = stored.get((task.id, period, actual, percent, narrative))
            if same is not None:
                errors.append((edit.row, "任务编号", f"与已报送的进展 {same} 完全相同，是否重复导入？"
                                                     "(the same update is already in the ledger)"))
            good.append((task, period, actual, percent, narrative))
        if conflicts:
            conflict = sheet_conflict(session, source, conflicts)
            if not errors:
                raise conflict
            errors += [(row, "版本", f"冲突：任务 {task.id} 表中是第 {seen} 版，现为第 {task.version} 版，"
                                     f"请重新导出 (conflict)") for row, task, seen in conflicts]
        if errors:
            raise ValidationFailed(source, sorted(errors, key=lambda e: e[0]))
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
