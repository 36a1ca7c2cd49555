"""Repository functions of the ledger: import, plan, assignment, progress, review, status.

Every public method is one transaction: it commits whole or writes nothing. Changes are
recorded in the append-only audit log (who, when, before, after).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..assign import Catalogue, load_catalogue
from ..assign import Department as CatalogueDepartment
from ..errors import AlreadyExists, Conflict, Forbidden, NotFound, ValidationFailed
from ..ingest import check_size, format_of
from ..pipeline import analyse
from ..track import Status, TargetSpec, Thresholds, lower_is_better, roll_up, task_status
from . import _models as m
from ._db import Database, upgrade
from ._text import (
    Deadline, TargetText, format_deadline, format_targets, parse_deadline, parse_targets,
)

STATE_ZH = {"draft": "草稿", "assigned": "已交办", "acknowledged": "已签收", "reported": "已报送",
            "closed": "已办结"}
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


# -- views handed out of the store (never ORM objects) -------------------------------------

@dataclass(frozen=True)
class ImportResult:
    report_id: int
    tasks: int
    targets: int
    unassigned: int


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
    latest_period: str


@dataclass
class StatusReport:
    rows: list[StatusRow]
    by_department: dict[str, dict[str, int]]
    by_part: dict[str, dict[str, int]]
    today: date

    @property
    def total(self) -> dict[str, int]:
        return self.by_part.get("合计", {})


@dataclass(frozen=True)
class Reminder:
    department: str
    email: str
    overdue: tuple[StatusRow, ...]
    due_soon: tuple[StatusRow, ...]
    not_reported: tuple[StatusRow, ...]


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


# -- helpers ---------------------------------------------------------------------------

def _row_dict(obj: Any, columns: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in columns:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, (date, datetime)) else value
    return out


def _audit(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(m.AuditEntry(
        actor=actor, action=action, entity=entity, entity_id=entity_id,
        before=json.dumps(before, ensure_ascii=False, default=str) if before else "",
        after=json.dumps(after, ensure_ascii=False, default=str) if after else ""))


_TASK_FIELDS = ("title", "state", "deadline_kind", "deadline", "leader", "note")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


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


class Ledger:
    """The ledger of one supervision office, on SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.dispose()

    # -- set-up ------------------------------------------------------------------------

    def init(self, catalogue: Catalogue | None = None, actor: str = "system") -> int:
        """Create or migrate the schema and load the department catalogue once."""
        upgrade(self.db.engine)
        catalogue = catalogue or load_catalogue()
        with self.db.session() as session:
            if session.scalar(select(func.count()).select_from(m.Department)):
                return 0
            for dept in catalogue:
                session.add(m.Department(name=dept.name, short_name=dept.short[0] if dept.short
                                         else "", aliases="\n".join(dept.short[1:]),
                                         function=dept.function))
            _audit(session, actor, "init", "departments", None,
                   after={"count": len(catalogue)})
            return len(catalogue)

    def catalogue(self) -> Catalogue:
        with self.db.session(readonly=True) as session:
            return self._catalogue(session)

    @staticmethod
    def _catalogue(session: Session) -> Catalogue:
        rows = session.scalars(select(m.Department).where(m.Department.active)
                               .order_by(m.Department.id)).all()
        return Catalogue([
            CatalogueDepartment(str(d.id), d.name,
                                tuple(x for x in [d.short_name, *d.aliases.splitlines()] if x),
                                d.function) for d in rows])

    def set_department_email(self, name: str, email: str, actor: str) -> None:
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            raise ValueError(f"“{email}”不是电子邮件地址 (not an e-mail address)")
        with self.db.session() as session:
            dept = self._department(session, name)
            before = {"email": dept.email}
            dept.email = email
            _audit(session, actor, "update", "department", dept.id, before, {"email": email})

    def _department(self, session: Session, name: str) -> m.Department:
        found = self._catalogue(session).find(name)
        if found is None:
            raise NotFound(name, "没有这个部门 (no such department)")
        return session.get_one(m.Department, int(found.key))

    # -- import -------------------------------------------------------------------------

    def import_report(self, path: str | Path, government: str, level: str = "district",
                      year: int | None = None, actor: str = "system") -> ImportResult:
        """Extract a report file and store it as a draft plan."""
        path = Path(path)
        format_of(path.name)
        check_size(str(path), path.stat().st_size)
        return self.import_report_bytes(path.read_bytes(), path.name, government, level, year,
                                        actor)

    def import_report_bytes(self, data: bytes, filename: str, government: str,
                            level: str = "district", year: int | None = None,
                            actor: str = "system") -> ImportResult:
        """Extract a report (the bytes of an upload or a file) and store it as a draft plan:
        tasks, targets, suggested units. The file name only chooses the format."""
        path = Path(Path(filename).name)
        digest = hashlib.sha256(data).hexdigest()
        # extraction takes its time outside the write transaction: it holds no lock
        with self.db.session(readonly=True) as session:
            catalogue = self._catalogue(session)
        result = analyse(data, name=path.name, catalogue=catalogue)
        report = result.report
        with self.db.session() as session:
            catalogue = self._catalogue(session)
            year = year or result.year
            if year is None:
                raise ValidationFailed(str(path), [(0, "年份", "报告中找不到年份，请用 --year 指定")])
            gov = session.scalar(select(m.Government).where(m.Government.name == government))
            if gov is None:
                gov = m.Government(name=government, level=level)
                session.add(gov)
                session.flush()
            exists = session.scalar(select(m.Report.id).where(
                m.Report.government_id == gov.id, m.Report.year == year,
                m.Report.source_sha256 == digest))
            if exists:
                raise AlreadyExists(str(path), f"{government} {year} 年的这份报告已导入（报告编号 {exists}）")
            title = next((s.title for s in result.outline if s.level == 1), "")
            row = m.Report(government_id=gov.id, year=year, title=f"{year}年政府工作报告",
                           source_name=path.name, source_sha256=digest, format=report.format,
                           original_text=report.original, imported_by=actor)
            session.add(row)
            session.flush()
            for s in result.outline:
                session.add(m.Section(report_id=row.id, level=s.level, number=s.number,
                                      title=s.title[:300], kind=s.kind, start=s.start, end=s.end))
            parts = [s for s in result.outline if s.level == 1]
            n_targets = unassigned = 0
            for seq, task in enumerate(result.tasks, 1):
                part = parts[task.part] if 0 <= task.part < len(parts) else None
                t = m.Task(report_id=row.id, seq=seq, part=(part.title if part else "")[:100],
                           section=task.section[:300], quote=task.quote,
                           title="".join(task.quote.split()), start=task.start, end=task.end,
                           kind=task.kind, state="draft", deadline_kind="year",
                           deadline=date(year, 12, 31))
                session.add(t)
                for qi in task.quantities:
                    q = result.quantities[qi]
                    if q.role != "target":
                        continue
                    t.targets.append(m.Target(
                        indicator=q.indicator[:200], value=q.value, upper=q.upper, unit=q.unit,
                        comparator=q.comparator,
                        higher_is_better=not lower_is_better(q.indicator, q.comparator),
                        quote=q.quote[:200], start=q.start, end=q.end))
                    n_targets += 1
                lead = catalogue.find(task.lead) if task.lead else None
                if lead is None:
                    unassigned += 1
                else:
                    t.assignments.append(m.Assignment(
                        department_id=int(lead.key), role="lead", suggested=True,
                        confidence=task.confidence, rule=",".join(task.assign_rules)[:200]))
                    for name in task.co:
                        co = catalogue.find(name)
                        if co is not None and co != lead:
                            t.assignments.append(m.Assignment(
                                department_id=int(co.key), role="co", suggested=True,
                                confidence=task.confidence,
                                rule=",".join(task.assign_rules)[:200]))
            _audit(session, actor, "import", "report", row.id, after={
                "government": government, "year": year, "file": path.name, "sha256": digest,
                "tasks": len(result.tasks), "targets": n_targets, "first_part": title})
            return ImportResult(row.id, len(result.tasks), n_targets, unassigned)

    def reports(self) -> list[tuple[int, str, int, str, bool, int]]:
        """(id, government, year, file, published, tasks) of every report."""
        with self.db.session(readonly=True) as session:
            rows = session.execute(
                select(m.Report.id, m.Government.name, m.Report.year, m.Report.source_name,
                       m.Report.published, func.count(m.Task.id))
                .join(m.Government).outerjoin(m.Task).group_by(m.Report.id, m.Government.name)
                .order_by(m.Report.id)).all()
            return [tuple(r) for r in rows]  # type: ignore[misc]

    def _report(self, session: Session, report_id: int | None) -> m.Report:
        if report_id is None:
            report_id = session.scalar(select(func.max(m.Report.id)))
            if report_id is None:
                raise NotFound("台账", "还没有导入任何报告，请先运行 duban import (no report yet)")
        report = session.get(m.Report, report_id)
        if report is None:
            raise NotFound(f"报告 {report_id}", "没有这份报告 (no such report)")
        return report

    # -- the plan -----------------------------------------------------------------------

    def plan(self, report_id: int | None = None, today: date | None = None) -> tuple[int, list[PlanRow]]:
        """The task-division plan (分工方案) of a report, with status and latest progress."""
        with self.db.session(readonly=True) as session:
            report = self._report(session, report_id)
            tasks = session.scalars(
                select(m.Task).where(m.Task.report_id == report.id).order_by(m.Task.seq)
                .options(selectinload(m.Task.targets).selectinload(m.Target.revisions),
                         selectinload(m.Task.assignments).selectinload(m.Assignment.department),
                         selectinload(m.Task.milestones))).all()
            narratives = dict(session.execute(
                select(m.ProgressUpdate.id, m.ProgressUpdate.narrative)
                .where(m.ProgressUpdate.id.in_([t.latest_update_id for t in tasks
                                                if t.latest_update_id]))).all())
            rows = []
            for t in tasks:
                status = self._status_of(t, report.year, today or date.today())
                lead = next((a.department.short_name or a.department.name
                             for a in t.assignments if a.role == "lead"), "")
                co = tuple(a.department.short_name or a.department.name
                           for a in t.assignments if a.role == "co")
                progress = ""
                if t.latest_update_id:
                    progress = f"{t.latest_period}：{narratives.get(t.latest_update_id, '')}"
                rows.append(PlanRow(
                    t.id, t.seq, t.part, t.section, t.title,
                    format_targets([self._current(tg, today) for tg in t.targets]), lead, co,
                    format_deadline(self._deadline(t)), t.leader, progress, status.status,
                    t.state, t.version, t.kind))
            return report.id, rows

    @staticmethod
    def _deadline(task: m.Task) -> Deadline:
        milestones = tuple((ms.due_date, ms.description) for ms in task.milestones)
        return Deadline(task.deadline_kind, task.deadline, milestones)

    @staticmethod
    def _current(target: m.Target, today: date | None = None) -> TargetText:
        """The target in force today: the latest revision effective by then, else the promise."""
        today = today or date.today()
        value, unit, comparator, upper = target.value, target.unit, target.comparator, target.upper
        for rev in target.revisions:
            if rev.effective_date <= today:
                value, unit, comparator, upper = rev.value, rev.unit, rev.comparator, None
        return TargetText(target.indicator, value, unit, comparator, upper)

    def apply_plan(self, edits: list[PlanEdit], actor: str, report_id: int | None = None,
                   dry_run: bool = False, source: str = "分工方案") -> list[Change]:
        """Validate every row, then apply all of them in one transaction (or none)."""
        with self.db.session() as session:
            report = self._report(session, report_id)
            catalogue = self._catalogue(session)
            tasks = {t.id: t for t in session.scalars(
                select(m.Task).where(m.Task.report_id == report.id)
                .options(selectinload(m.Task.targets).selectinload(m.Target.revisions),
                         selectinload(m.Task.assignments), selectinload(m.Task.milestones)))}
            errors: list[tuple[int, str, str]] = []
            parsed = []
            for edit in edits:
                task = tasks.get(edit.task_id) if edit.task_id is not None else None
                if edit.task_id is not None and task is None:
                    errors.append((edit.row, "任务编号", f"没有编号为 {edit.task_id} 的任务 (unknown task id)"))
                    continue
                if task is not None and edit.version is not None and edit.version != task.version:
                    errors.append((edit.row, "版本", f"该任务已被他人修改（表中版本 {edit.version}，"
                                                     f"现为 {task.version}），请重新导出 (conflict)"))
                if not edit.title.strip():
                    errors.append((edit.row, "工作任务", "工作任务不能为空 (empty task)"))
                lead = catalogue.find(edit.lead) if edit.lead.strip() else None
                if edit.lead.strip() and lead is None:
                    errors.append((edit.row, "牵头单位", f"未知单位“{edit.lead}” (unknown department)"))
                co = []
                for name in re.split(r"[、,，;；\s]+", edit.co or ""):
                    if not name:
                        continue
                    dept = catalogue.find(name)
                    if dept is None:
                        errors.append((edit.row, "责任单位", f"未知单位“{name}” (unknown department)"))
                    elif dept != lead and dept not in co:
                        co.append(dept)
                try:
                    targets = parse_targets(edit.targets)
                except ValueError as exc:
                    errors.append((edit.row, "指标要求", str(exc)))
                    targets = None
                try:
                    deadline = parse_deadline(edit.deadline, report.year)
                except ValueError as exc:
                    errors.append((edit.row, "完成时限", str(exc)))
                    deadline = None
                parsed.append((edit, task, lead, co, targets, deadline))
            if errors:
                raise ValidationFailed(source, errors)
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
                changes += self._apply_row(session, report, task, edit, lead, co, targets,
                                           deadline, actor)
            if dry_run:
                session.rollback()
            return changes

    def _apply_row(self, session: Session, report: m.Report, task: m.Task, edit: PlanEdit,
                   lead: CatalogueDepartment | None, co: list[CatalogueDepartment],
                   targets: list[TargetText], deadline: Deadline, actor: str) -> list[Change]:
        changes = []
        before = _row_dict(task, _TASK_FIELDS) if task.id else {}
        tid = task.id

        def note(field: str, old: str, new: str) -> None:
            if old != new:
                changes.append(Change(tid, task.seq, field, old, new))

        note("工作任务", task.title, edit.title.strip())
        task.title = edit.title.strip()
        old_deadline = format_deadline(self._deadline(task)) if task.deadline else ""
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
        old_lead_name = self._name(session, old_lead.department_id) if old_lead else ""
        new_lead_name = lead.display if lead else ""
        wanted = ([(int(lead.key), "lead")] if lead else []) + [(int(d.key), "co") for d in co]
        current = [(a.department_id, a.role) for a in task.assignments]
        if sorted(current) != sorted(wanted):
            note("牵头单位", old_lead_name, new_lead_name)
            old_co = "、".join(self._name(session, a.department_id)
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
        old_text = format_targets([self._current(t) for t in task.targets])
        new_text = format_targets(targets)
        if old_text != new_text:
            note("指标要求", old_text, new_text)
            if report.published and len(task.targets) == len(targets):
                for target, new in zip(task.targets, targets):
                    cur = self._current(target)
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
            _audit(session, actor, "update" if before else "create", "task", task.id,
                   before, {**_row_dict(task, _TASK_FIELDS),
                            "changes": [(c.field, c.before, c.after) for c in changes]})
        return changes

    @staticmethod
    def _name(session: Session, department_id: int) -> str:
        dept = session.get_one(m.Department, department_id)
        return dept.short_name or dept.name

    def publish(self, actor: str, report_id: int | None = None) -> int:
        """Publish the plan: every task needs a lead unit; drafts become assigned (交办)."""
        with self.db.session() as session:
            report = self._report(session, report_id)
            tasks = session.scalars(select(m.Task).where(m.Task.report_id == report.id)
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
            _audit(session, actor, "publish", "report", report.id, after={"assigned": count})
            return count

    # -- workflow ------------------------------------------------------------------------

    def _task_for(self, session: Session, task_id: int, department: str | None) -> m.Task:
        task = session.get(m.Task, task_id, options=[selectinload(m.Task.assignments)])
        if task is None:
            raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
        if department is not None:
            dept = self._department(session, department)
            if not any(a.department_id == dept.id for a in task.assignments):
                raise Forbidden(f"任务 {task_id}", f"{department}不是该任务的牵头或责任单位")
        return task

    def acknowledge(self, task_id: int, department: str, actor: str) -> None:
        """签收: the department accepts the task."""
        with self.db.session() as session:
            task = self._task_for(session, task_id, department)
            if task.state == "draft":
                raise Forbidden(f"任务 {task_id}", "分工方案尚未发布 (plan not published)")
            dept = self._department(session, department)
            for a in task.assignments:
                if a.department_id == dept.id and a.acknowledged_at is None:
                    a.acknowledged_at = datetime.now()
            if task.state == "assigned":
                task.state = "acknowledged"
            _audit(session, actor, "acknowledge", "task", task.id, after={"department": department})

    def report_of_task(self, task_id: int) -> int:
        with self.db.session(readonly=True) as session:
            report_id = session.scalar(select(m.Task.report_id).where(m.Task.id == task_id))
            if report_id is None:
                raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
            return report_id

    def task_version(self, task_id: int) -> int:
        with self.db.session(readonly=True) as session:
            task = session.get(m.Task, task_id)
            if task is None:
                raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
            return task.version

    def submit_progress(self, task_id: int, department: str, period: str, *, actual: float | None = None,
                        percent: float | None = None, narrative: str = "", actor: str,
                        expected_version: int | None = None,
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
        with self.db.session() as session:
            task = self._task_for(session, task_id, department)
            if task.state in ("draft", "closed"):
                raise Forbidden(f"任务 {task_id}", f"任务处于“{STATE_ZH[task.state]}”状态，不能报送进展")
            if expected_version is not None and expected_version != task.version:
                raise Conflict(f"任务 {task_id}", f"你看到的是第 {expected_version} 版，现已是第 "
                                                  f"{task.version} 版")
            dept = self._department(session, department)
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
            _audit(session, actor, "submit", "progress", update.id, after={
                "task": task.id, "department": department, "period": period, "actual": actual,
                "percent": percent, "evidence": [f[0] for f in files]})
            return update.id

    def review(self, update_id: int, decision: str, actor: str, comment: str = "") -> None:
        """审核: approve (the task's latest actual becomes this) or return with a comment."""
        if decision not in ("approve", "return"):
            raise ValueError("decision 只能是 approve 或 return")
        if decision == "return" and not comment.strip():
            raise ValueError("退回必须填写理由 (a return needs a comment)")
        with self.db.session() as session:
            update = session.get(m.ProgressUpdate, update_id)
            if update is None:
                raise NotFound(f"进展 {update_id}", "没有这条进展 (no such update)")
            if update.state != "submitted":
                raise Forbidden(f"进展 {update_id}", f"这条进展已{'通过' if update.state == 'approved' else '退回'}")
            task = session.get_one(m.Task, update.task_id)
            update.state = "approved" if decision == "approve" else "returned"
            update.reviews.append(m.Review(decision=decision, comment=comment, reviewer=actor))
            if decision == "approve" and update.period >= (task.latest_period or ""):
                task.latest_update_id = update.id
                task.latest_actual = update.actual_value
                task.latest_percent = update.percent
                task.latest_period = update.period
            task.updated_at = datetime.now()
            _audit(session, actor, decision, "progress", update.id,
                   before={"state": "submitted"}, after={"state": update.state, "comment": comment})

    def close_task(self, task_id: int, actor: str, note: str = "") -> None:
        """办结销号."""
        with self.db.session() as session:
            task = self._task_for(session, task_id, None)
            before = _row_dict(task, ("state", "note"))
            task.state = "closed"
            if note:
                task.note = note
            _audit(session, actor, "close", "task", task.id, before, _row_dict(task, ("state", "note")))

    def revise_target(self, task_id: int, target_text: str, effective: date, reason: str,
                      actor: str) -> None:
        """A mid-year change to a task's targets: dated revisions; the promise stays as it was."""
        if not reason.strip():
            raise ValueError("调整目标必须说明理由 (a revision needs a reason)")
        new = parse_targets(target_text)
        with self.db.session() as session:
            task = session.get(m.Task, task_id, options=[selectinload(m.Task.targets)])
            if task is None:
                raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
            if len(new) != len(task.targets):
                raise ValueError(f"任务有 {len(task.targets)} 个指标，调整给出了 {len(new)} 个")
            for target, value in zip(task.targets, new):
                target.revisions.append(m.TargetRevision(
                    value=value.value, unit=value.unit, comparator=value.comparator,
                    effective_date=effective, reason=reason, revised_by=actor))
            task.updated_at = datetime.now()
            _audit(session, actor, "revise", "task", task.id,
                   after={"targets": target_text, "effective": effective.isoformat(), "reason": reason})

    # -- reading: status, reminders, history ------------------------------------------------

    def _status_of(self, task: m.Task, year: int, today: date,
                   thresholds: Thresholds = Thresholds()) -> Any:
        target = task.targets[0] if task.targets else None
        spec = None
        if target is not None:
            current = self._current(target, today)
            if current.value is not None:
                spec = TargetSpec(current.value, current.comparator, target.higher_is_better,
                                  current.unit)
        actual = task.latest_actual if spec is not None else None
        return task_status(target=spec, actual=actual, percent=task.latest_percent,
                           reported=task.latest_update_id is not None,
                           closed=task.state == "closed", start=date(year, 1, 1),
                           deadline=task.deadline or date(year, 12, 31), today=today,
                           thresholds=thresholds)

    def status(self, report_id: int | None = None, department: str | None = None,
               overdue_only: bool = False, today: date | None = None,
               thresholds: Thresholds = Thresholds()) -> StatusReport:
        """Every task's light, with roll-ups by department (lead) and by part of the report.

        Reads plain columns (no ORM objects): a province's 10,000 tasks in one pass.
        """
        today = today or date.today()
        with self.db.session(readonly=True) as session:
            report = self._report(session, report_id)
            year = report.year
            task_filter = m.Task.report_id == report.id
            if department:
                dept = self._department(session, department)
                mine = select(m.Assignment.task_id).where(m.Assignment.department_id == dept.id)
                task_filter = task_filter & m.Task.id.in_(mine)
            tasks = session.execute(
                select(m.Task.id, m.Task.seq, m.Task.part, m.Task.title, m.Task.state,
                       m.Task.deadline, m.Task.latest_update_id, m.Task.latest_actual,
                       m.Task.latest_percent, m.Task.latest_period)
                .where(task_filter).order_by(m.Task.seq)).all()
            targets: dict[int, Any] = {}
            for row in session.execute(
                    select(m.Target.task_id, m.Target.id, m.Target.value, m.Target.unit,
                           m.Target.comparator, m.Target.higher_is_better)
                    .join(m.Task).where(task_filter).order_by(m.Target.id)):
                targets.setdefault(row.task_id, row)  # the first target measures the task
            revised: dict[int, Any] = {}
            for row in session.execute(
                    select(m.TargetRevision.target_id, m.TargetRevision.value,
                           m.TargetRevision.unit, m.TargetRevision.comparator)
                    .join(m.Target).join(m.Task).where(task_filter)
                    .where(m.TargetRevision.effective_date <= today)
                    .order_by(m.TargetRevision.effective_date, m.TargetRevision.id)):
                revised[row.target_id] = row  # the latest revision in force wins
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
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        rows = []
        for (task_id, seq, part, title, state, deadline, update_id, actual, percent,
             period) in tasks:
            spec = None
            target = targets.get(task_id)
            if target is not None:
                current = revised.get(target.id, target)
                if current.value is not None:
                    spec = TargetSpec(current.value, current.comparator, target.higher_is_better,
                                      current.unit)
            deadline = deadline or year_end
            result = task_status(target=spec, actual=actual if spec else None, percent=percent,
                                 reported=update_id is not None, closed=state == "closed",
                                 start=year_start, deadline=deadline, today=today,
                                 thresholds=thresholds)
            if overdue_only and not result.overdue:
                continue
            rows.append(StatusRow(
                task_id, seq, part, title, leads.get(task_id, "（未指定）"), tuple(cos.get(task_id, ())),
                deadline, result.status, result.progress, result.expected, result.overdue,
                result.reason, state, period))
        return StatusReport(rows, roll_up((r.lead, r.status) for r in rows),
                            roll_up((r.part or "（未分部分）", r.status) for r in rows), today)

    def reminders(self, report_id: int | None = None, today: date | None = None,
                  days: int = 7) -> list[Reminder]:
        """催办: per department, what is overdue, due within ``days``, and not reported this month."""
        today = today or date.today()
        report = self.status(report_id, today=today)
        period = f"{today.year}-{today.month:02d}"
        emails: dict[str, str] = {}
        with self.db.session(readonly=True) as session:
            for d in session.scalars(select(m.Department)):
                emails[d.short_name or d.name] = d.email
        out = []
        for dept in sorted({r.lead for r in report.rows}):
            mine = [r for r in report.rows if r.lead == dept and r.status != "done"]
            overdue = tuple(r for r in mine if r.overdue)
            soon = tuple(r for r in mine if not r.overdue and (r.deadline - today).days <= days)
            silent = tuple(r for r in mine if r.latest_period < period and r.state != "closed")
            if overdue or soon or silent:
                out.append(Reminder(dept, emails.get(dept, ""), overdue, soon, silent))
        return out

    def updates(self, state: str | None = "submitted", department: str | None = None,
                task_id: int | None = None) -> list[UpdateView]:
        """Progress updates: the review queue by default, or a task's whole history."""
        with self.db.session(readonly=True) as session:
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
                                    self._department(session, department).id)
            return [UpdateView(u.id, u.task_id, seq, title, u.department.short_name or u.department.name,
                               u.period, u.actual_value, u.percent, u.narrative, u.state,
                               u.submitted_by, u.submitted_at, tuple(e.filename for e in u.evidence),
                               tuple((r.decision, r.comment, r.reviewer, r.reviewed_at) for r in u.reviews))
                    for u, seq, title in session.execute(query)]

    def audit_log(self, limit: int = 100) -> list[tuple[int, datetime, str, str, str, int | None, str, str]]:
        with self.db.session(readonly=True) as session:
            rows = session.execute(select(
                m.AuditEntry.id, m.AuditEntry.at, m.AuditEntry.actor, m.AuditEntry.action,
                m.AuditEntry.entity, m.AuditEntry.entity_id, m.AuditEntry.before,
                m.AuditEntry.after).order_by(m.AuditEntry.id.desc()).limit(limit)).all()
            return [tuple(r) for r in rows]  # type: ignore[misc]

    # -- progress sheets -------------------------------------------------------------------

    def apply_progress(self, edits: list[ProgressEdit], department: str, actor: str,
                       report_id: int | None = None, source: str = "进展表") -> list[int]:
        """A department's monthly sheet: every row validated, then all submitted at once."""
        with self.db.session() as session:
            report = self._report(session, report_id)
            dept = self._department(session, department)
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
                _audit(session, actor, "submit", "progress", update.id, after={
                    "task": task.id, "department": department, "period": period,
                    "actual": actual, "percent": percent, "source": source})
            return ids

    def progress_rows(self, department: str, report_id: int | None = None) -> list[PlanRow]:
        """The department's own tasks (lead or co) as plan rows, for its progress sheet."""
        with self.db.session(readonly=True) as session:
            dept_id = self._department(session, department).id
        _, rows = self.plan(report_id)
        with self.db.session(readonly=True) as session:
            mine = set(session.scalars(select(m.Assignment.task_id)
                                       .where(m.Assignment.department_id == dept_id)))
        return [r for r in rows if r.task_id in mine]


def integrity_message(exc: IntegrityError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig else str(exc)
