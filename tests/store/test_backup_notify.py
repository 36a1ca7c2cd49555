"""Backup/restore round-trips exactly; e-mail reminders reach a local SMTP sink."""
from __future__ import annotations

import socket
import zipfile
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from duban.errors import InputError, LedgerError
from duban.notify import send_reminders
from duban.settings import Settings, SettingsError, SmtpSettings
from duban.store import Ledger, backup, restore


def _tables(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("tables/")}


def test_backup_restore_round_trip(imported: Ledger, tmp_path: Path) -> None:
    ledger = imported
    ledger.publish("sup")
    _, rows = ledger.plan()
    update = ledger.submit_progress(rows[0].task_id, rows[0].lead, "2023-06", percent=50,
                                    narrative="过半", actor="c",
                                    evidence=[("照片.jpg", bytes(range(256)), "image/jpeg")])
    ledger.review(update, "approve", "sup")
    first = tmp_path / "one.zip"
    counts = backup(ledger.db, first).counts
    assert counts["evidence"] == 1 and counts["audit_log"] > 3
    target = Ledger(f"sqlite:///{tmp_path / 'restored.db'}")
    assert restore(target.db, first) == counts
    second = tmp_path / "two.zip"
    backup(target.db, second)
    assert _tables(first) == _tables(second)
    assert target.plan()[1] == ledger.plan()[1]
    with pytest.raises(LedgerError):
        restore(target.db, first)  # not empty
    assert restore(target.db, first, force=True) == counts
    # ids go on where they stopped after a restore
    target.submit_progress(rows[1].task_id, rows[1].lead, "2023-07", percent=10, actor="c")
    target.close()


def test_restore_rejects_what_is_not_a_backup(ledger: Ledger, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError):
        restore(ledger.db, bad)


def test_email_reminders_reach_the_smtp_sink(imported: Ledger) -> None:
    from aiosmtpd.controller import Controller

    received: list[bytes] = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            received.append(envelope.content)
            return "250 OK"

    ledger = imported
    ledger.publish("sup")
    ledger.set_department_email("区人社局", "renshe@example.gov.cn", "sup")
    with pytest.raises(ValueError):
        ledger.set_department_email("区人社局", "not an address", "sup")
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        reminders = ledger.reminders(today=date(2024, 1, 10))
        sent = send_reminders(reminders, SmtpSettings("127.0.0.1", port, sender="duchashi@example.gov.cn"))
    finally:
        controller.stop()
    assert sent == ["区人社局"]
    message = message_from_bytes(received[0], policy=default)
    assert message["To"] == "renshe@example.gov.cn"
    body = message.get_content()
    assert "已逾期" in body and "新增就业" in body


def test_settings_fail_loudly() -> None:
    assert Settings.from_env({}).database_url is None
    assert Settings.from_env({"DUBAN_NEAR_DAYS": "10"}).thresholds.near_days == 10
    for bad in ({"DUBAN_ON_TRACK": "abc"}, {"DUBAN_BEHIND": "2"},
                {"DUBAN_DATABASE_URL": "mysql://x"}, {"DUBAN_SMTP_HOST": "h", "DUBAN_SMTP_PORT": "x"}):
        with pytest.raises(SettingsError):
            Settings.from_env(bad)
    smtp = Settings.from_env({"DUBAN_SMTP_HOST": "mail", "DUBAN_SMTP_PASSWORD": "secret"}).smtp
    assert smtp is not None and "secret" not in repr(smtp)
