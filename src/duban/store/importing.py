"""Importing a report: extract it (outside any write lock) and store it as a draft plan —
sections, tasks, targets and suggested units — in one transaction."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from ..errors import AlreadyExists, ValidationFailed
from ..ingest import format_of, read_file
from ..models import Extraction
from ..pipeline import analyse
from ..track import lower_is_better
from . import _models as m
from ._db import Database, retrying
from .history import record_change
from .lookup import catalogue_of, office_catalogue

ReportRow = tuple[int, str, int, str, bool, int]


@dataclass(frozen=True)
class ImportResult:
    report_id: int
    tasks: int
    targets: int
    unassigned: int


def import_report(db: Database, path: str | Path, government: str, level: str = "district",
                  year: int | None = None, actor: str = "system") -> ImportResult:
    """Extract a report file and store it as a draft plan."""
    path = Path(path)
    format_of(path.name)
    data = read_file(path)  # a regular file, never more than the limit (a FIFO would block)
    return import_report_bytes(db, data, path.name, government, level, year, actor)


def import_report_bytes(db: Database, data: bytes, filename: str, government: str,
                        level: str = "district", year: int | None = None,
                        actor: str = "system") -> ImportResult:
    """Extract a report (the bytes of an upload or a file) and store it as a draft plan:
    tasks, targets, suggested units. The file name only chooses the format."""
    path = Path(Path(filename).name)
    digest = hashlib.sha256(data).hexdigest()
    # extraction takes its time outside the write transaction: it holds no lock
    with db.session(readonly=True) as session:
        catalogue = office_catalogue(session, level, year, government)
    result = analyse(data, name=path.name, catalogue=catalogue)
    return _store(db, result, path, digest, government, level, year, actor)


@retrying
def _store(db: Database, result: Extraction, path: Path, digest: str, government: str, level: str,
           year: int | None, actor: str) -> ImportResult:
    """The draft plan of an analysed report, in one transaction (run again from the start
    when a concurrent import created the same government first)."""
    report = result.report
    with db.session() as session:
        catalogue = catalogue_of(session)
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
                       kind=task.kind, state="draft", **_deadline(task.due, year))
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
        record_change(session, actor, "import", "report", row.id, after={
            "government": government, "year": year, "file": path.name, "sha256": digest,
            "tasks": len(result.tasks), "targets": n_targets, "first_part": title})
        return ImportResult(row.id, len(result.tasks), n_targets, unassigned)


def reports(db: Database) -> list[ReportRow]:
    """(id, government, year, file, published, tasks) of every report."""
    with db.session(readonly=True) as session:
        rows = session.execute(
            select(m.Report.id, m.Government.name, m.Report.year, m.Report.source_name,
                   m.Report.published, func.count(m.Task.id))
            .join(m.Government).outerjoin(m.Task).group_by(m.Report.id, m.Government.name)
            .order_by(m.Report.id)).all()
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def _deadline(due: str, year: int) -> dict[str, object]:
    """The 完成时限 the text states for a task (6月底前 -> June 30), else the year's end."""
    try:
        day = date.fromisoformat(due) if due else None
    except ValueError:
        day = None
    if day is None or not year <= day.year <= year + 5 or day == date(year, 12, 31):
        return {"deadline_kind": "year", "deadline": date(year, 12, 31)}
    return {"deadline_kind": "date", "deadline": day}
