"""The ledger (台账) in a real database: SQLAlchemy 2 models, Alembic migrations, repository
functions. SQLite by default (duban.db), PostgreSQL when DUBAN_DATABASE_URL says so.

    ledger.Ledger      the front: one object per database, today's public methods
    departments        schema and department catalogue (init), e-mail addresses
    importing          a report file -> a draft plan
    plan               plan rows; edits validated as a whole, applied in one transaction
    workflow           publish, acknowledge, review, close, revise
    progress           a department's updates and monthly sheets
    status             the lights and their roll-ups
    reminders          催办 lists
    history            the audit log and a task's updates
    lookup             finding a report, task, department, target in force (one session)
    views              read models for the web app (plain dicts)
"""
from __future__ import annotations

from ._backup import BackupResult, backup, find_orphans, read_backup, restore
from ._db import (
    Database, current_revision, database_url, fault_of, head_revision, lock_timeout, shown_url,
    upgrade,
)
from ._text import Deadline, TargetText, format_deadline, format_targets, parse_deadline, parse_targets
from .departments import DepartmentRecord, DirectoryChange, DirectoryRow, split_short
from .ledger import (
    STATE_ZH, Change, ImportResult, Ledger, PlanEdit, PlanRow, ProgressEdit, Reminder,
    StatusReport, StatusRow, UpdateView, normalise_period, parse_number,
)

__all__ = ["STATE_ZH", "BackupResult", "Change", "Database", "Deadline", "DepartmentRecord",
           "DirectoryChange", "DirectoryRow", "ImportResult", "Ledger",
           "PlanEdit", "PlanRow", "ProgressEdit", "Reminder", "StatusReport", "StatusRow",
           "TargetText", "UpdateView", "backup", "current_revision", "database_url", "fault_of",
           "find_orphans", "format_deadline", "format_targets", "head_revision", "lock_timeout",
           "normalise_period", "parse_deadline", "parse_number", "parse_targets", "read_backup",
           "restore", "shown_url", "split_short", "upgrade"]
