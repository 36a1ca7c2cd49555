"""The demo a fresh `duban serve` shows: the bundled sample as a published plan, some
progress in every state, and one account per role."""
from __future__ import annotations

import os
import secrets
from datetime import date

from ..store import Ledger, PlanEdit
from ..store.accounts import Accounts

DEMO_ACCOUNTS = [
    ("admin", "管理员", "admin", []),
    ("duchashi", "督查室", "supervisor", []),
    ("lingdao", "区长", "leader", []),
    ("jiaoyu", "区教育局联络员", "clerk", ["区教育局"]),
    ("renshe", "区人社局联络员", "clerk", ["区人社局"]),
]


def is_empty(ledger: Ledger, accounts: Accounts) -> bool:
    return not ledger.reports() and accounts.count() == 0


def seed_demo(ledger: Ledger, accounts: Accounts, today: date, sample: str) -> dict[str, str]:
    """Seed the demo; returns the accounts' passwords (DUBAN_DEMO_PASSWORD, else random)."""
    shared = os.environ.get("DUBAN_DEMO_PASSWORD", "")
    passwords = {}
    for username, name, role, departments in DEMO_ACCOUNTS:
        password = shared or secrets.token_urlsafe(9)
        accounts.create(username, password, role, departments, "demo", name)
        passwords[username] = password
    result = ledger.import_report(sample, "成都市青羊区", "district", today.year, actor="demo")
    _, rows = ledger.plan(result.report_id)
    ledger.apply_plan([PlanEdit(i + 3, r.task_id, r.title, r.targets, "区政府办", "", r.deadline,
                                "", r.version) for i, r in enumerate(rows) if not r.lead],
                      "demo", result.report_id)
    ledger.publish("demo", result.report_id)
    _, rows = ledger.plan(result.report_id)
    month = f"{today.year}-{max(today.month - 1, 1):02d}"
    share = (today.timetuple().tm_yday / 365)
    for row in rows:
        pattern = row.seq % 7
        if pattern == 6 or row.lead == "区教育局" and row.seq % 2:
            continue  # not reported yet
        fraction = {0: 1.05, 1: share, 2: share * 0.85, 3: share * 0.4, 4: share, 5: share}[pattern]
        target = ledger.plan(result.report_id)[1][row.seq - 1]
        actual: float | None = None
        percent: float | None = round(min(fraction, 1.0) * 100, 1)
        if target.targets:
            from ..store import parse_targets
            parsed = parse_targets(target.targets)
            if parsed and parsed[0].value is not None:
                actual, percent = round(parsed[0].value * fraction, 2), None
        update = ledger.submit_progress(row.task_id, row.lead, month, actual=actual, percent=percent,
                                        narrative=f"按计划推进，完成约{min(fraction, 1):.0%}",
                                        actor="demo")
        if pattern == 5:
            continue  # waiting for review
        if pattern == 4 and row.seq % 3 == 0:
            ledger.review(update, "return", "demo", "请补充佐证材料")
            continue
        ledger.review(update, "approve", "demo")
    return passwords
