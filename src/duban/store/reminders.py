"""催办: per department, what is overdue, due soon, or not reported this month."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ._db import Database
from .departments import emails
from .status import StatusRow, status


@dataclass(frozen=True)
class Reminder:
    department: str
    email: str
    overdue: tuple[StatusRow, ...]
    due_soon: tuple[StatusRow, ...]
    not_reported: tuple[StatusRow, ...]


def reminders(db: Database, report_id: int | None = None, today: date | None = None,
              days: int = 7) -> list[Reminder]:
    """Per department, what is overdue, due within ``days``, and not reported this month."""
    today = today or date.today()
    report = status(db, report_id, today=today)
    period = f"{today.year}-{today.month:02d}"
    addresses = emails(db)
    out = []
    for dept in sorted({r.lead for r in report.rows}):
        mine = [r for r in report.rows if r.lead == dept and r.status != "done"]
        overdue = tuple(r for r in mine if r.overdue)
        soon = tuple(r for r in mine if not r.overdue and (r.deadline - today).days <= days)
        silent = tuple(r for r in mine if r.latest_period < period and r.state != "closed")
        if overdue or soon or silent:
            out.append(Reminder(dept, addresses.get(dept, ""), overdue, soon, silent))
    return out
