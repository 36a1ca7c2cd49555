"""The ledger of one supervision office: a small front over the job modules.

Each job is a module of functions taking the Database (``importing``, ``plan``,
``workflow``, ``progress``, ``status``, ``reminders``, ``history``, ``departments``; the
lookups they share in ``lookup``). Every public function is one transaction: it commits
whole or writes nothing, and records its change in the append-only audit log (who, when,
before, after). ``Ledger`` binds them to one database for the CLI and the web.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from ..assign import Catalogue
from ..track import Thresholds
from . import departments, history, importing, plan, progress, reminders, status, workflow
from ._db import Database
from .history import AuditRow, UpdateView
from .importing import ImportResult, ReportRow
from .plan import Change, PlanEdit, PlanRow
from .progress import MAX_EVIDENCE_BYTES, ProgressEdit, normalise_period, parse_number
from .reminders import Reminder
from .status import StatusReport, StatusRow
from .workflow import STATE_ZH

__all__ = ["MAX_EVIDENCE_BYTES", "STATE_ZH", "Change", "ImportResult", "Ledger", "PlanEdit",
           "PlanRow", "ProgressEdit", "Reminder", "StatusReport", "StatusRow", "UpdateView",
           "normalise_period", "parse_number"]


class Ledger:
    """The ledger of one supervision office, on SQLite or PostgreSQL."""

    def __init__(self, url: str | None = None) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.dispose()

    # -- set-up and departments ------------------------------------------------------------

    def init(self, catalogue: Catalogue | None = None, actor: str = "system") -> int:
        """Create or migrate the schema and load the department catalogue once."""
        return departments.init(self.db, catalogue, actor)

    def catalogue(self) -> Catalogue:
        return departments.catalogue(self.db)

    def set_department_email(self, name: str, email: str, actor: str) -> None:
        departments.set_department_email(self.db, name, email, actor)

    def directory(self) -> list[departments.DepartmentRecord]:
        """Every department, active or not, with short forms, duties and parent."""
        return departments.directory(self.db)

    def apply_directory(self, rows: list[departments.DirectoryRow], source: str, actor: str,
                        dry_run: bool = False, deactivate_missing: bool = False,
                        ) -> list[departments.DirectoryChange]:
        """An office's own 名录, checked whole and applied all or nothing (see departments)."""
        return departments.apply_directory(self.db, rows, source, actor, dry_run, deactivate_missing)

    def add_department(self, name: str, short: tuple[str, ...], duties: str, parent: str,
                       actor: str) -> None:
        departments.add_department(self.db, name, short, duties, parent, actor)

    def rename_department(self, old: str, new: str, actor: str) -> None:
        departments.rename_department(self.db, old, new, actor)

    def merge_departments(self, source: str, into: str, actor: str) -> int:
        return departments.merge_departments(self.db, source, into, actor)

    def set_department_active(self, name: str, active: bool, actor: str) -> None:
        departments.set_department_active(self.db, name, active, actor)

    # -- import ----------------------------------------------------------------------------

    def import_report(self, path: str | Path, government: str, level: str = "district",
                      year: int | None = None, actor: str = "system") -> ImportResult:
        """Extract a report file and store it as a draft plan."""
        return importing.import_report(self.db, path, government, level, year, actor)

    def import_report_bytes(self, data: bytes, filename: str, government: str,
                            level: str = "district", year: int | None = None,
                            actor: str = "system") -> ImportResult:
        """Extract a report (an upload's bytes) and store it as a draft plan."""
        return importing.import_report_bytes(self.db, data, filename, government, level, year,
                                             actor)

    def reports(self) -> list[ReportRow]:
        """(id, government, year, file, published, tasks) of every report."""
        return importing.reports(self.db)

    # -- the plan --------------------------------------------------------------------------

    def plan(self, report_id: int | None = None,
             today: date | None = None) -> tuple[int, list[PlanRow]]:
        """The task-division plan (分工方案) of a report, with status and latest progress."""
        return plan.plan(self.db, report_id, today)

    def apply_plan(self, edits: list[PlanEdit], actor: str, report_id: int | None = None,
                   dry_run: bool = False, source: str = "分工方案") -> list[Change]:
        """Validate every row, then apply all of them in one transaction (or none)."""
        return plan.apply_plan(self.db, edits, actor, report_id, dry_run, source)

    # -- workflow --------------------------------------------------------------------------

    def publish(self, actor: str, report_id: int | None = None) -> int:
        """Publish the plan: every task needs a lead unit; drafts become assigned (交办)."""
        return workflow.publish(self.db, actor, report_id)

    def acknowledge(self, task_id: int, department: str, actor: str) -> None:
        """签收: the department accepts the task."""
        workflow.acknowledge(self.db, task_id, department, actor)

    def report_of_task(self, task_id: int) -> int:
        return workflow.report_of_task(self.db, task_id)

    def task_version(self, task_id: int) -> int:
        return workflow.task_version(self.db, task_id)

    def review(self, update_id: int, decision: str, actor: str, comment: str = "") -> None:
        """审核: approve (the task's latest actual becomes this) or return with a comment."""
        workflow.review(self.db, update_id, decision, actor, comment)

    def close_task(self, task_id: int, actor: str, note: str = "") -> None:
        """办结销号."""
        workflow.close_task(self.db, task_id, actor, note)

    def revise_target(self, task_id: int, target_text: str, effective: date, reason: str,
                      actor: str) -> None:
        """A mid-year change to a task's targets: dated revisions; the promise stays."""
        workflow.revise_target(self.db, task_id, target_text, effective, reason, actor)

    # -- progress --------------------------------------------------------------------------

    def submit_progress(self, task_id: int, department: str, period: str, *,
                        actual: float | None = None, percent: float | None = None,
                        narrative: str = "", actor: str, expected_version: int | None = None,
                        evidence: Iterable[tuple[str, bytes, str]] = ()) -> int:
        """A department's progress for a period; a stale ``expected_version`` conflicts."""
        return progress.submit_progress(
            self.db, task_id, department, period, actual=actual, percent=percent,
            narrative=narrative, actor=actor, expected_version=expected_version,
            evidence=evidence)

    def apply_progress(self, edits: list[ProgressEdit], department: str, actor: str,
                       report_id: int | None = None, source: str = "进展表") -> list[int]:
        """A department's monthly sheet: every row validated, then all submitted at once."""
        return progress.apply_progress(self.db, edits, department, actor, report_id, source)

    def progress_rows(self, department: str, report_id: int | None = None) -> list[PlanRow]:
        """The department's own tasks (lead or co) as plan rows, for its progress sheet."""
        return progress.progress_rows(self.db, department, report_id)

    # -- reading: status, reminders, history ------------------------------------------------

    def status(self, report_id: int | None = None, department: str | None = None,
               overdue_only: bool = False, today: date | None = None,
               thresholds: Thresholds = Thresholds()) -> StatusReport:
        """Every task's light, with roll-ups by department (lead) and by part of the report."""
        return status.status(self.db, report_id, department, overdue_only, today, thresholds)

    def reminders(self, report_id: int | None = None, today: date | None = None,
                  days: int = 7) -> list[Reminder]:
        """催办: per department, what is overdue, due soon, and not reported this month."""
        return reminders.reminders(self.db, report_id, today, days)

    def updates(self, state: str | None = "submitted", department: str | None = None,
                task_id: int | None = None) -> list[UpdateView]:
        """Progress updates: the review queue by default, or a task's whole history."""
        return history.updates(self.db, state, department, task_id)

    def audit_log(self, limit: int = 100) -> list[AuditRow]:
        return history.audit_log(self.db, limit)
