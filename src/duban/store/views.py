"""Read models for the web app and its JSON API: plain, JSON-ready data, never ORM objects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from . import _models as m
from . import history
from ._text import TargetText, format_deadline, format_target
from .ledger import Ledger
from .lookup import deadline_of, report_of, target_in_force
from .status import Review, assigned_on, review_states, task_light
from .workflow import STATE_ZH


def data_version(ledger: Ledger) -> int:
    """Grows with every change (each one writes the audit log): a cache key for snapshots."""
    return history.data_version(ledger.db)


def report_info(ledger: Ledger, report_id: int | None = None) -> dict[str, Any]:
    with ledger.db.session(readonly=True) as session:
        report = report_of(session, report_id)
        return {"id": report.id, "government": report.government.name,
                "level": report.government.level, "year": report.year, "title": report.title,
                "file": report.source_name, "published": report.published}


def report_text(ledger: Ledger, report_id: int | None = None) -> dict[str, Any]:
    """The report as given, and where each task's quote stands in it."""
    with ledger.db.session(readonly=True) as session:
        report = report_of(session, report_id)
        tasks = session.execute(select(m.Task.id, m.Task.seq, m.Task.start, m.Task.end, m.Task.kind)
                                .where(m.Task.report_id == report.id, m.Task.end > m.Task.start)
                                .order_by(m.Task.start)).all()
        sections = session.execute(select(m.Section.level, m.Section.number, m.Section.title,
                                          m.Section.kind, m.Section.start, m.Section.end)
                                   .where(m.Section.report_id == report.id)
                                   .order_by(m.Section.start, m.Section.level)).all()
        return {"text": report.original_text,
                "tasks": [{"task_id": t.id, "seq": t.seq, "start": t.start, "end": t.end,
                           "kind": t.kind} for t in tasks],
                "outline": [{"level": s.level, "number": s.number, "title": s.title,
                             "kind": s.kind, "start": s.start, "end": s.end} for s in sections]}


def highlighted(text: str, spans: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """The text cut into pieces, each either plain or one task's quote (non-overlapping)."""
    pieces: list[tuple[str, dict[str, Any] | None]] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s["start"]):
        if span["start"] < cursor:
            continue
        if span["start"] > cursor:
            pieces.append((text[cursor:span["start"]], None))
        pieces.append((text[span["start"]:span["end"]], span))
        cursor = span["end"]
    pieces.append((text[cursor:], None))
    return pieces


def task_detail(ledger: Ledger, task_id: int, today: date | None = None,
                public: bool = False) -> dict[str, Any]:
    """Everything about one task: targets and revisions, units, deadline, progress timeline,
    reviews, evidence, and (not for the public) the audit trail."""
    today = today or date.today()
    with ledger.db.session(readonly=True) as session:
        task = session.get(m.Task, task_id, options=[
            selectinload(m.Task.targets).selectinload(m.Target.revisions),
            selectinload(m.Task.assignments).selectinload(m.Assignment.department),
            selectinload(m.Task.milestones), selectinload(m.Task.report)])
        if task is None or (public and not task.report.published):
            raise NotFound(f"任务 {task_id}", "没有这个任务 (no such task)")
        reviews, _ = review_states(session, m.Task.id == task.id)
        review = reviews.get(task.id, Review())
        status = task_light(task, task.report.year, today, review=review,
                            published=task.report.published,
                            assigned=assigned_on(session, task.report_id))
        query = (select(m.ProgressUpdate).where(m.ProgressUpdate.task_id == task.id)
                 .options(selectinload(m.ProgressUpdate.evidence),
                          selectinload(m.ProgressUpdate.reviews),
                          selectinload(m.ProgressUpdate.department))
                 .order_by(m.ProgressUpdate.id))
        if public:
            query = query.where(m.ProgressUpdate.state == "approved")
        updates = session.scalars(query).all()
        about_task = (m.AuditEntry.entity == "task") & (m.AuditEntry.entity_id == task.id)
        about_updates = (m.AuditEntry.entity == "progress") & m.AuditEntry.entity_id.in_(
            [u.id for u in updates])
        audit = [] if public else session.execute(
            select(m.AuditEntry.at, m.AuditEntry.actor, m.AuditEntry.action, m.AuditEntry.entity,
                   m.AuditEntry.entity_id, m.AuditEntry.before, m.AuditEntry.after)
            .where(about_task | about_updates).order_by(m.AuditEntry.id)).all()
        deadline = deadline_of(task)
        return {
            "id": task.id, "seq": task.seq, "report_id": task.report_id,
            "government": "", "year": task.report.year, "part": task.part,
            "section": task.section, "title": task.title, "quote": task.quote,
            "quote_start": task.start, "quote_end": task.end, "kind": task.kind,
            "state": task.state, "state_zh": STATE_ZH.get(task.state, task.state),
            "version": task.version, "leader": "" if public else task.leader,
            "deadline": format_deadline(deadline),
            "deadline_date": (task.deadline or date(task.report.year, 12, 31)).isoformat(),
            "milestones": [{"date": d.isoformat(), "text": t} for d, t in deadline.milestones],
            "status": status.status, "progress": status.progress, "expected": status.expected,
            "overdue": status.overdue, "reason": status.reason, "pending": review.pending,
            "published": task.report.published,
            "targets": [{
                "id": t.id, "indicator": t.indicator,
                "promise": format_target(TargetText(t.indicator, t.value, t.unit, t.comparator, t.upper)),
                "current": format_target(target_in_force(t, today)),
                "value": t.value, "unit": t.unit, "comparator": t.comparator, "quote": t.quote,
                "revisions": [{"value": r.value, "unit": r.unit, "comparator": r.comparator,
                               "effective": r.effective_date.isoformat(), "reason": r.reason,
                               "by": "" if public else r.revised_by} for r in t.revisions],
            } for t in task.targets],
            "units": [{"department": a.department.short_name or a.department.name,
                       "department_id": a.department_id, "role": a.role,
                       "suggested": a.suggested, "confidence": a.confidence,
                       "acknowledged": a.acknowledged_at.isoformat() if a.acknowledged_at else None}
                      for a in task.assignments],
            "updates": [{
                "id": u.id, "department": u.department.short_name or u.department.name,
                "period": u.period, "actual": u.actual_value, "percent": u.percent,
                "narrative": u.narrative, "state": u.state,
                "submitted_by": "" if public else u.submitted_by,
                "submitted_at": u.submitted_at.isoformat(timespec="minutes"),
                "evidence": [] if public else [{"id": e.id, "filename": e.filename, "size": e.size}
                                               for e in u.evidence],
                "reviews": [{"decision": r.decision, "comment": r.comment,
                             "reviewer": "" if public else r.reviewer,
                             "at": r.reviewed_at.isoformat(timespec="minutes")} for r in u.reviews],
            } for u in updates],
            "audit": [{"at": a.at.isoformat(timespec="minutes"), "actor": a.actor,
                       "action": a.action, "entity": a.entity, "entity_id": a.entity_id,
                       "before": a.before, "after": a.after} for a in audit],
        }


@dataclass(frozen=True)
class EvidenceFile:
    filename: str
    content_type: str
    data: bytes
    task_id: int
    department_id: int


def evidence_file(ledger: Ledger, evidence_id: int) -> EvidenceFile:
    with ledger.db.session(readonly=True) as session:
        row = session.execute(
            select(m.Evidence.filename, m.Evidence.content_type, m.Evidence.data,
                   m.ProgressUpdate.task_id, m.ProgressUpdate.department_id)
            .join(m.ProgressUpdate, m.ProgressUpdate.id == m.Evidence.update_id)
            .where(m.Evidence.id == evidence_id)).one_or_none()
        if row is None:
            raise NotFound(f"材料 {evidence_id}", "没有这份证明材料")
        return EvidenceFile(*row)


def monthly_trend(ledger: Ledger, report_id: int) -> list[dict[str, Any]]:
    """Per reporting period: updates submitted, approved, and tasks with approved progress."""
    with ledger.db.session(readonly=True) as session:
        rows = session.execute(
            select(m.ProgressUpdate.period, m.ProgressUpdate.state, func.count(),
                   func.count(func.distinct(m.ProgressUpdate.task_id)))
            .join(m.Task).where(m.Task.report_id == report_id)
            .group_by(m.ProgressUpdate.period, m.ProgressUpdate.state)
            .order_by(m.ProgressUpdate.period)).all()
    out: dict[str, dict[str, Any]] = {}
    for period, state, count, tasks in rows:
        entry = out.setdefault(period, {"period": period, "submitted": 0, "approved": 0,
                                        "returned": 0, "tasks_approved": 0})
        entry[state] = entry.get(state, 0) + count
        if state == "approved":
            entry["tasks_approved"] = tasks
    return list(out.values())


def latest_narratives(ledger: Ledger, report_id: int) -> dict[int, str]:
    with ledger.db.session(readonly=True) as session:
        rows = session.execute(
            select(m.Task.id, m.ProgressUpdate.period, m.ProgressUpdate.narrative)
            .join(m.ProgressUpdate, m.ProgressUpdate.id == m.Task.latest_update_id)
            .where(m.Task.report_id == report_id)).all()
        return {task_id: f"{period}：{narrative}" for task_id, period, narrative in rows}


def consecutive_reports(ledger: Ledger, published_only: bool = True) -> list[dict[str, Any]]:
    """Pairs of reports of one government in consecutive years (for the promise check);
    the public sees only published reports (a draft is nobody's business but the office's)."""
    query = (select(m.Report.id, m.Government.name, m.Report.year).join(m.Government)
             .order_by(m.Government.name, m.Report.year, m.Report.id))
    if published_only:
        query = query.where(m.Report.published)
    with ledger.db.session(readonly=True) as session:
        rows = session.execute(query).all()
    latest: dict[tuple[str, int], int] = {}
    for report_id, government, year in rows:
        latest[(government, year)] = report_id  # the newest import of a year wins
    return [{"government": g, "year": y, "earlier": rid, "later": latest[(g, y + 1)]}
            for (g, y), rid in sorted(latest.items()) if (g, y + 1) in latest]


def report_original(ledger: Ledger, report_id: int) -> tuple[str, str, str]:
    """(file name, format, text as given) of a stored report."""
    with ledger.db.session(readonly=True) as session:
        report = report_of(session, report_id)
        return report.source_name, report.format, report.original_text


@dataclass(frozen=True)
class PlanChoice:
    """Which plan a page shows: the report chosen, and what the switcher offers."""

    report_id: int
    government: str
    year: int
    published: bool
    # government -> its years, newest first, each with (report id, published) of its plans
    options: dict[str, list[tuple[int, list[tuple[int, bool]]]]]

    @property
    def plans(self) -> int:
        """How many plans the switcher offers."""
        return sum(len(plans) for years in self.options.values() for _, plans in years)


def _visible(reports: list[tuple[int, str, int, str, bool, int]],
             drafts: bool) -> list[tuple[int, str, int, str, bool, int]]:
    return [r for r in reports if drafts or r[4]]


def _rank(row: tuple[int, str, int, str, bool, int], this_year: int) -> tuple[bool, bool, int, int]:
    """The plan shown by default: a published one before a draft, this year's (or the latest
    year not in the future) before a later one, then the newest year, then the newest import."""
    report_id, _, year, _, published, _ = row
    return (published, year <= this_year, year if year <= this_year else -year, report_id)


def choose_plan(reports: list[tuple[int, str, int, str, bool, int]], *, today: date,
                drafts: bool, government: str | None = None, year: int | None = None,
                report_id: int | None = None, lenient: bool = False) -> PlanChoice | None:
    """The plan to show from the ledger's reports ``(id, government, year, file, published,
    tasks)``: ``report_id``, else ``government`` and ``year``, else the government of the
    leading published plan and its plan of this year (else its latest year) — never a draft
    while a published plan exists, never simply the newest import. Drafts count only with
    ``drafts`` (the supervision office). An unknown government, year or report is NotFound;
    with ``lenient`` (a choice remembered from an earlier visit) it is dropped instead. None:
    nothing to show."""
    visible = _visible(reports, drafts)
    options: dict[str, dict[int, list[tuple[int, bool]]]] = {}
    for rid, gov, yr, _, published, _ in sorted(visible, key=lambda r: r[0]):
        options.setdefault(gov, {}).setdefault(yr, []).append((rid, published))
    shaped = {gov: sorted(years.items(), reverse=True) for gov, years in sorted(options.items())}
    chosen = None
    if report_id is not None:
        chosen = next((r for r in visible if r[0] == report_id), None)
        if chosen is None and not lenient:
            raise NotFound(f"分工方案 {report_id}", "没有这份分工方案，或它尚未发布 (no such plan)")
    if chosen is None and government:
        mine = [r for r in visible if r[1] == government]
        if not mine and not lenient:
            raise NotFound(government, "台账中没有这个政府的分工方案 (no plan of this government)")
        if year is not None and mine:
            of_year = [r for r in mine if r[2] == year]
            if not of_year and not lenient:
                raise NotFound(f"{government} {year}年", "这一年没有分工方案 (no plan of this year)")
            mine = of_year or mine
        if mine:
            chosen = max(mine, key=lambda r: _rank(r, today.year))
    if chosen is None and year is not None and not government and not lenient:
        raise NotFound(f"{year}年", "请同时选择政府 (choose a government too)")
    if chosen is None and visible:
        leading = max(visible, key=lambda r: _rank(r, today.year))
        chosen = max((r for r in visible if r[1] == leading[1]), key=lambda r: _rank(r, today.year))
    if chosen is None:
        return None
    return PlanChoice(chosen[0], chosen[1], chosen[2], chosen[4], shaped)


def targets_in_force(ledger: Ledger, task_ids: list[int], today: date | None = None
                     ) -> dict[int, list[dict[str, Any]]]:
    """Per task, its targets in force today as people write them (新增就业1.6万人以上), with
    value, unit and comparator: what the review desk shows beside a reported figure."""
    today = today or date.today()
    out: dict[int, list[dict[str, Any]]] = {}
    if not task_ids:
        return out
    with ledger.db.session(readonly=True) as session:
        targets = session.scalars(select(m.Target).where(m.Target.task_id.in_(task_ids))
                                  .options(selectinload(m.Target.revisions))
                                  .order_by(m.Target.id)).all()
        for t in targets:
            current = target_in_force(t, today)
            out.setdefault(t.task_id, []).append({
                "text": format_target(current), "value": current.value, "unit": current.unit,
                "comparator": current.comparator})
    return out


def audit_subjects(ledger: Ledger, entries: list[tuple[str, int | None]]) -> dict[tuple[str, int], str]:
    """Which task (or report, account, department) each audit entry is about, in words:
    任务 12「…」; a progress update names its task."""
    wanted: dict[str, set[int]] = {}
    for entity, entity_id in entries:
        if entity_id is not None:
            wanted.setdefault(entity, set()).add(entity_id)
    out: dict[tuple[str, int], str] = {}
    with ledger.db.session(readonly=True) as session:
        updates = dict(session.execute(
            select(m.ProgressUpdate.id, m.ProgressUpdate.task_id)
            .where(m.ProgressUpdate.id.in_(wanted.get("progress", set())))).all())
        task_ids = wanted.get("task", set()) | set(updates.values())
        tasks = {tid: (seq, title) for tid, seq, title in session.execute(
            select(m.Task.id, m.Task.seq, m.Task.title).where(m.Task.id.in_(task_ids)))}
        for tid, (seq, title) in tasks.items():
            short = title if len(title) <= 24 else title[:23] + "…"
            out[("task", tid)] = f"任务{seq}「{short}」"
        for uid, tid in updates.items():
            out[("progress", uid)] = f"{out.get(('task', tid), f'任务 {tid}')}的进展"
        for rid, gov, year in session.execute(
                select(m.Report.id, m.Government.name, m.Report.year).join(m.Government)
                .where(m.Report.id.in_(wanted.get("report", set())))):
            out[("report", rid)] = f"{gov}{year}年报告"
        for uid, name in session.execute(select(m.User.id, m.User.username)
                                         .where(m.User.id.in_(wanted.get("user", set())))):
            out[("user", uid)] = f"账号 {name}"
        for did, name in session.execute(select(m.Department.id, m.Department.name)
                                         .where(m.Department.id.in_(wanted.get("department", set())))):
            out[("department", did)] = name
    return out
