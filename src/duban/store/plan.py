"""The task-division plan (分工方案): its rows with status and latest progress, and edits to
it (a sheet or a web form) validated row by row, then applied in one transaction or not at
all. Before publication a target edit corrects the target; after it, it is a dated revision."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..assign import Department as CatalogueDepartment
from ..errors import ValidationFailed
from ..track import Status, lower_is_better
from . import _models as m
from ._db import Database, retrying
from ._text import Deadline, TargetText, format_deadline, format_targets, parse_deadline, parse_targets
from .history import record_change, row_dict, sheet_conflict
from .lookup import catalogue_of, deadline_of, department_name, report_of, target_in_force
from .status import Review, assigned_on, review_states, task_light

_TASK_FIELDS = ("title", "state", "deadline_kind", "deadline", "leader", "note")


@dataclass(frozen=True)
class PlanRow:
    task_id: int
    seq: int
    part: str
    section: str
    title: str
    targets: str
    lead: str
    co: tuple[str, ...]
    deadline: str
    leader: str
    progress: str
    status: Status
    state: str
    version: int
    kind: str


@dataclass(frozen=True)
class PlanEdit:
    """One row of an edited plan sheet; ``task_id`` None adds a task."""

    row: int
    task_id: int | None
    title: str
    targets: str
    lead: str
    co: str
    deadline: str | date | None
    leader: str = ""
    version: int | None = None


@dataclass(frozen=True)
class Change:
    task_id: int | None
    seq: int | None
    field: str
    before: str
    after: str


def plan(db: Database, report_id: int | None = None,
         today: date | None = None) -> tuple[int, list[PlanRow]]:
    """The task-division plan (分工方案) of a report, with status and latest progress."""
    with db.session(readonly=True) as session:
        report = report_of(session, report_id)
        tasks = session.scalars(
            select(m.Task).where(m.Task.report_id == report.id).order_by(m.Task.seq)
            .options(selectinload(m.Task.targets).selectinload(m.Target.revisions),
                     selectinload(m.Task.assignments).selectinload(m.Assignment.department),
                     selectinload(m.Task.milestones))).all()
        narratives = dict(session.execute(
            select(m.ProgressUpdate.id, m.ProgressUpdate.narrative)
            .where(m.ProgressUpdate.id.in_([t.latest_update_id for t in tasks
                                            if t.latest_update_id]))).all())
        reviews, _ = review_states(session, m.Task.report_id == report.id)
        assigned = assigned_on(session, report.id) if report.published else None
        rows = []
        for t in tasks:
            status = task_light(t, report.year, today or date.today(),
                                review=reviews.get(t.id, Review()), published=report.published,
                                assigned=assigned)
            lead = next((a.department.short_name or a.department.name
                         for a in t.assignments if a.role == "lead"), "")
            co = tuple(a.department.short_name or a.department.name
                       for a in t.assignments if a.role == "co")
            progress = ""
            if t.latest_update_id:
                progress = f"{t.latest_period}：{narratives.get(t.latest_update_id, '')}"
            rows.append(PlanRow(
                t.id, t.seq, t.part, t.section, t.title,
                format_targets([target_in_force(tg, today) for tg in t.targets]), lead, co,
                format_deadline(deadline_of(t)), t.leader, progress, status.status,
                t.state, t.version, t.kind))
        return report.id, rows


_Parsed = tuple[PlanEdit, m.Task | None, CatalogueDepartment | None, list[CatalogueDepartment],
                list[TargetText] | None, Deadline | None]


def apply_plan(db: Database, edits: list[PlanEdit], actor: str, report_id: int | None = None,
               dry_run: bool = False, source: str = "分工方案") -> list[Change]:
    """Validate every row, then apply all of them in one transaction (or none).

    Refused whole (ValidationFailed, each row and column named): an unknown task, a task on
    two rows or a new task repeated, an empty task, an unknown unit, a lead cleared once the
    plan is published, a target or deadline that does not read (or a date far from the
    report's year); rows whose task changed since the sheet was read are a Conflict naming
    who changed it."""
    return _apply_plan(db, list(edits), actor, report_id, dry_run, source)


@retrying
def _apply_plan(db: Database, edits: list[PlanEdit], actor: str, report_id: int | None,
                dry_run: bool, source: str) -> list[Change]:
    with db.session() as session:
        report = report_of(session, report_id)
        catalogue = catalogue_of(session)
        # the rows edited are locked (in one order) before they are read, so that the
        # versions compared below are the ones written over
        named = sorted({e.task_id for e in edits if e.task_id is not None})
        session.execute(select(m.Task.id).where(m.Task.report_id == report.id,
                                                m.Task.id.in_(named))
                        .order_by(m.Task.id).with_for_update()).all()
        tasks = {t.id: t for t in session.scalars(
            select(m.Task).where(m.Task.report_id == report.id)
            .options(selectinload(m.Task.targets).selectinload(m.Target.revisions),
                     selectinload(m.Task.assignments), selectinload(m.Task.milestones)))}
        errors: list[tuple[int, str, str]] = []
        conflicts: list[tuple[int, m.Task, int]] = []
        parsed: list[_Parsed] = []
        seen_rows: dict[int | str, int] = {}
        for edit in edits:
            task = tasks.get(edit.task_id) if edit.task_id is not None else None
            if edit.task_id is not None and task is None:
                errors.append((edit.row, "任务编号", f"没有编号为 {edit.task_id} 的任务 (unknown task id)"))
                continue
            key: int | str = edit.task_id if edit.task_id is not None else edit.title.strip()
            if key in seen_rows and (edit.task_id is not None or key):
                what = (f"任务 {edit.task_id} 已在第{seen_rows[key]}行 (task repeated)"
                        if edit.task_id is not None else
                        f"与第{seen_rows[key]}行的新任务相同 (new task repeated)")
                errors.append((edit.row, "任务编号" if edit.task_id is not None else "工作任务", what))
                continue
            seen_rows[key] = edit.row
            if task is not None and edit.version is not None and edit.version != task.version:
                conflicts.append((edit.row, task, edit.version))
            if not edit.title.strip():
                errors.append((edit.row, "工作任务", "工作任务不能为空 (empty task)"))
            lead = catalogue.find(edit.lead) if edit.lead.strip() else None
            if edit.lead.strip() and lead is None:
                errors.append((edit.row, "牵头单位", f"未知单位“{edit.lead}” (unknown department)"))
            if not edit.lead.strip() and (report.published or (task is not None
                                                               and task.state != "draft")):
                errors.append((edit.row, "牵头单位", "分工方案已发布，牵头单位不能为空 "
                                                     "(a published task needs its lead unit)"))
            co: list[CatalogueDepartment] = []
            for name in re.split(r"[、,，;；\s]+", edit.co or ""):
                if not name:
                    continue
                dept = catalogue.find(name)
                if dept is None:
                    errors.append((edit.row, "责任单位", f"未知单位“{name}” (unknown department)"))
                elif dept != lead and dept not in co:
                    co.append(dept)
            targets: list[TargetText] | None
            try:
                targets = parse_targets(edit.targets)
            except ValueError as exc:
                errors.append((edit.row, "指标要求", str(exc)))
                targets = None
            deadline: Deadline | None
            try:
                deadline = parse_deadline(edit.deadline, report.year)
            except ValueError as exc:
                errors.append((edit.row, "完成时限", str(exc)))
                deadline = None
            parsed.append((edit, task, lead, co, targets, deadline))
        if conflicts:
            conflict = sheet_conflict(session, source, conflicts)
            if not errors:
                raise conflict
            errors += [(row, "版本", f"冲突：任务 {task.id} 表中是第 {seen} 版，现为第 {task.version} 版，"
                                     f"请重新导出 (conflict)") for row, task, seen in conflicts]
        if errors:
            raise ValidationFailed(source, sorted(errors, key=lambda e: e[0]))
        changes: list[Change] = []
        next_seq = max((t.seq for t in tasks.values()), default=0) + 1
        for edit, task, lead, co, targets, deadline in parsed:
            assert targets is not None and deadline is not None
            if task is None:
                task = m.Task(report_id=report.id, seq=next_seq, quote="", title=edit.title,
                              start=0, end=0, kind="target" if targets else "policy",
                              state="assigned" if report.published else "draft")
                next_seq += 1
                session.add(task)
                changes.append(Change(None, task.seq, "新增任务", "", edit.title))
            changes += _apply_row(session, report, task, edit, lead, co, targets, deadline, actor)
        if dry_run:
            session.rollback()
        return changes


def _apply_row(session: Session, report: m.Report, task: m.Task, edit: PlanEdit,
               lead: CatalogueDepartment | None, co: list[CatalogueDepartment],
               targets: list[TargetText], deadline: Deadline, actor: str) -> list[Change]:
    changes = []
    before = row_dict(task, _TASK_FIELDS) if task.id else {}
    tid = task.id

    def note(field: str, old: str, new: str) -> None:
        if old != new:
            changes.append(Change(tid, task.seq, field, old, new))

    note("工作任务", task.title, edit.title.strip())
    task.title = edit.title.strip()
    old_deadline = format_deadline(deadline_of(task)) if task.deadline else ""
    new_deadline = format_deadline(deadline)
    if old_deadline != new_deadline:
        note("完成时限", old_deadline, new_deadline)
        task.deadline_kind, task.deadline = deadline.kind, deadline.date
        task.milestones.clear()
        for due, text in deadline.milestones:
            task.milestones.append(m.Milestone(due_date=due, description=text))
    note("牵头领导", task.leader, edit.leader.strip())
    task.leader = edit.leader.strip()
    # departments
    old_lead = next((a for a in task.assignments if a.role == "lead"), None)
    old_lead_name = department_name(session, old_lead.department_id) if old_lead else ""
    new_lead_name = lead.display if lead else ""
    wanted = ([(int(lead.key), "lead")] if lead else []) + [(int(d.key), "co") for d in co]
    current = [(a.department_id, a.role) for a in task.assignments]
    if sorted(current) != sorted(wanted):
        note("牵头单位", old_lead_name, new_lead_name)
        old_co = "、".join(department_name(session, a.department_id)
                          for a in task.assignments if a.role == "co")
        note("责任单位", old_co, "、".join(d.display for d in co))
        # one row per department: a unit that changes role keeps its row (and its 签收)
        existing = {a.department_id: a for a in task.assignments}
        kept = []
        for dept_id, role in wanted:
            assignment = existing.get(dept_id)
            if assignment is None:
                assignment = m.Assignment(department_id=dept_id, role=role, suggested=False)
            elif assignment.role != role:
                assignment.role, assignment.suggested = role, False
            kept.append(assignment)
        task.assignments[:] = kept
    # targets: before publication a correction; after it a dated revision
    old_text = format_targets([target_in_force(t) for t in task.targets])
    new_text = format_targets(targets)
    if old_text != new_text:
        note("指标要求", old_text, new_text)
        if report.published and len(task.targets) == len(targets):
            for target, new in zip(task.targets, targets):
                cur = target_in_force(target)
                if (cur.value, cur.unit, cur.comparator) != (new.value, new.unit, new.comparator):
                    target.revisions.append(m.TargetRevision(
                        value=new.value, unit=new.unit, comparator=new.comparator,
                        effective_date=date.today(), reason="分工方案调整", revised_by=actor))
        else:
            task.targets[:] = [m.Target(
                indicator=t.indicator[:200], value=t.value, upper=t.upper, unit=t.unit,
                comparator=t.comparator,
                higher_is_better=not lower_is_better(t.indicator, t.comparator))
                for t in targets]
    if changes:
        session.flush()
        record_change(session, actor, "update" if before else "create", "task", task.id,
                      before, {**row_dict(task, _TASK_FIELDS),
                               "changes": [(c.field, c.before, c.after) for c in changes]})
    return changes


def assign_unassigned(db: Database, lead: str, actor: str, report_id: int | None = None) -> int:
    """Every task of the plan without a lead unit gets ``lead`` (the sample and demo plans:
    the general office takes what the rules could not place), through the same validated,
    audited edit as a sheet. The number of tasks given a lead."""
    _, rows = plan(db, report_id)
    edits = [PlanEdit(i + 1, r.task_id, r.title, r.targets, lead, "、".join(r.co), r.deadline,
                      r.leader, r.version) for i, r in enumerate(r for r in rows if not r.lead)]
    if edits:
        apply_plan(db, edits, actor, report_id, source="分工方案（指定牵头单位）")
    return len(edits)
