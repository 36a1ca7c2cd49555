"""E-mail reminders (催办) over SMTP, one message per department."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from .settings import SmtpSettings
from .store import Reminder


def reminder_text(reminder: Reminder) -> str:
    lines = [f"{reminder.department}：", "", "请关注以下政府工作报告重点任务："]
    for title, rows in (("已逾期", reminder.overdue), ("临近完成时限", reminder.due_soon),
                        ("本月尚未报送进展", reminder.not_reported)):
        if rows:
            lines.append(f"\n{title}（{len(rows)}项）：")
            lines += [f"  {r.seq}. {r.title}（完成时限 {r.deadline.isoformat()}）" for r in rows]
    lines.append("\n请按要求及时报送进展。——督查室")
    return "\n".join(lines)


def send_reminders(reminders: list[Reminder], smtp: SmtpSettings) -> list[str]:
    """Send each department with an address its reminder; returns who was written to."""
    sent = []
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.user:
            server.login(smtp.user, smtp.password)
        for reminder in reminders:
            if not reminder.email:
                continue
            message = EmailMessage()
            message["From"] = smtp.sender
            message["To"] = reminder.email
            message["Subject"] = f"【督办提醒】{reminder.department}有{len(reminder.overdue)}项任务逾期"
            message.set_content(reminder_text(reminder))
            server.send_message(message)
            sent.append(reminder.department)
    return sent
