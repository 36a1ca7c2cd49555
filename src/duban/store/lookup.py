"""Finding things inside one transaction: a report, a task, a department, the catalogue, a
target's value in force. Every job module of the ledger (and ``views``) reads through these."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..assign import Catalogue, OfficeUnit, StandardCatalogue, catalogue_from_rows
from ..assign import Department as CatalogueDepartment
from ..errors import Forbidden, NotFound
from . import _models as m
from ._text import Deadline, TargetText


def report_of(session: Session, report_id: int | None) -> m.Report:
    """The report ``report_id``, or the one imported last when it is None."""
    if report_id is None:
        report_id = session.scalar(select(func.max(m.Report.id)))
        if report_id is None:
            raise NotFound("台账", "还没有导入任何报告，请先运行 duban import (no report yet)")
    report = session.get(m.Report, report_id)
    if report is None:
        raise NotFound(f"报告 {report_id}", "没有这份报告 (no such report)")
    return report


def office_catalogue(session: Session, level: str, year: int | None,
                     government: str) -> StandardCatalogue:
    """The ledger's active departments as the office's own list for suggestion: its names,
    short forms and duties (as imported from its 名录), standard duties where a name is a
    standard unit's (``assign.catalogue_from_rows``)."""
    rows = session.scalars(select(m.Department).where(m.Department.active)
                           .order_by(m.Department.id)).all()
    parents = {d.id: d.name for d in rows}
    units = [OfficeUnit(name=d.name, short=tuple(x for x in [d.short_name, *d.aliases.splitlines()] if x),
                        duties=d.duties, parent=parents.get(d.parent_id or 0, ""), row=i,
                        function=d.function) for i, d in enumerate(rows, 1)]
    return catalogue_from_rows(units, level=level, year=year, government=government,
                               source="台账部门名录", strict=False)


def catalogue_of(session: Session) -> Catalogue:
    """The ledger's active departments as a catalogue (keys are their row ids)."""
    rows = session.scalars(select(m.Department).where(m.Department.active)
                           .order_by(m.Department.id)).all()
    return Catalogue([
        CatalogueDepartment(str(d.id), d.name,
                            tuple(x for x in [d.short_name, *d.aliases.splitlines()] if x),
                            d.function) for d in rows])


def department_of(session: Session, name: str) -> m.Department:
    """A department by its name, short name or alias."""
    found = catalogue_of(session).find(name)
    if found is None:
        raise NotFound(name, "没有这个部门 (no such department)")
    return session.get_one(m.Department, int(found.key))


def department_name(session: Session, department_id: int) -> str:
    dept = session.get_one(m.Department, department_id)
    return dept.short_name or dept.name


def task_of(session: Session, task_id: int, department: str | None = None,
            lock: bool = False) -> m.Task:
    """A task with its assignments; with ``department``, only if it is that unit's task.
    With ``lock`` (every writer of the task) its row is locked until the transaction ends,
    so that the version read is the version written over (PostgreSQL; SQLite's writers
    already hold the whole database)."""
    task = session.get(m.Task, task_id, options=[selectinload(m.Task.assignments)],
                       with_for_update=lock or None)
    if task is None:
        raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
    if department is not None:
        dept = department_of(session, department)
        if not any(a.department_id == dept.id for a in task.assignments):
            raise Forbidden(f"任务 {task_id}", f"{department}不是该任务的牵头或责任单位")
    return task


def deadline_of(task: m.Task) -> Deadline:
    milestones = tuple((ms.due_date, ms.description) for ms in task.milestones)
    return Deadline(task.deadline_kind, task.deadline, milestones)


def target_in_force(target: m.Target, today: date | None = None) -> TargetText:
    """The target in force today: the latest revision effective by then, else the promise."""
    today = today or date.today()
    value, unit, comparator, upper = target.value, target.unit, target.comparator, target.upper
    for rev in target.revisions:
        if rev.effective_date <= today:
            value, unit, comparator, upper = rev.value, rev.unit, rev.comparator, None
    return TargetText(target.indicator, value, unit, comparator, upper)
