"""Faults of the database under the ledger, injected for real: a disk that fills up, a read-only
database, a missing folder, a file that is no database, a damaged page, a PostgreSQL server
that is down or refuses a write, a lock held past the timeout. Each is one clear message through
the command (exit 1, no traceback), and what the ledger held before is there after."""
from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, event, text

import duban
from duban.cli import main, sample_path
from duban.errors import LedgerUnavailable
from duban.store import Ledger, backup

SAMPLE = sample_path()


@dataclass(frozen=True)
class Ran:
    exit_code: int
    output: str
    exception: BaseException | None


def _cli(url: str, *args: str, timeout: float | None = None) -> Ran:
    """The command in this process (SQLite: faults injected here reach it), or as a process of
    its own (PostgreSQL: its connections end with it)."""
    env = {"DUBAN_DATABASE_URL": url, "DUBAN_USER": "督查室"}
    if timeout is not None:
        env["DUBAN_LOCK_TIMEOUT"] = str(timeout)
    if not url.startswith("postgresql"):
        result = CliRunner(env=env).invoke(main, list(args))
        return Ran(result.exit_code, result.output, result.exception)
    done = subprocess.run(
        [sys.executable, "-m", "duban", *args], capture_output=True, text=True, timeout=300,
        env={**os.environ, **env, "PYTHONPATH": str(Path(duban.__file__).resolve().parents[1])})
    return Ran(done.returncode, done.stdout + done.stderr, SystemExit(done.returncode))


def _refused(result: Ran, *words: str) -> str:
    """Exit 1 through the one error path: a message, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    return result.output


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(ledger: Ledger, folder: Path) -> dict[str, int]:
    """Rows per table, as a backup counts them."""
    return backup(ledger.db, folder / f"state-{time.monotonic_ns()}.zip").counts


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A ledger file holding the sample, every connection to it closed (no WAL left)."""
    path = tmp_path / "duban.db"
    ledger = Ledger(f"sqlite:///{path}")
    ledger.init(actor="t")
    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    ledger.close()
    yield f"sqlite:///{path}", path


def test_a_full_disk(sqlite_ledger: tuple[str, Path], tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL (the file may not grow by a page), and ENOSPC writing a backup."""
    url, path = sqlite_ledger
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]

    def no_room(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(Engine, "connect", no_room)
    try:
        out = _refused(_cli(url, "import", str(SAMPLE), "--government", "成都市锦江区",
                            "--year", "2023"), "磁盘已满", "duban.db")
    finally:
        event.remove(Engine, "connect", no_room)
    assert "未写入任何数据" in out
    ledger = Ledger(url)
    assert [r[1] for r in ledger.reports()] == ["成都市青羊区"]
    ledger.close()

    backup_file = tmp_path / "all.zip"
    assert _cli(url, "backup", str(backup_file)).exit_code == 0
    before = _digest(backup_file)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    os.fsync = full
    try:
        _refused(_cli(url, "backup", str(backup_file)), "磁盘已满", str(backup_file))
    finally:
        os.fsync = real_fsync
    assert _digest(backup_file) == before  # the backup there before is whole
    assert not list(tmp_path.glob(".all.zip.partial"))


def test_a_read_only_database(sqlite_ledger: tuple[str, Path]) -> None:
    url, path = sqlite_ledger
    before = _digest(path)
    if os.geteuid() == 0:  # root writes through file modes: open it read-only instead
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    else:
        path.chmod(0o444)
    try:
        _refused(_cli(url, "close", "1"), "只读")
        assert _cli(url, "status").exit_code == 0  # reading still works
    finally:
        path.chmod(0o644)
    assert _digest(path) == before


def test_a_missing_folder_and_a_file_that_is_no_database(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "duban.db"
    _refused(_cli(f"sqlite:///{missing}", "init"), "无法打开台账数据库", str(missing))
    assert not missing.parent.exists()
    text_file = tmp_path / "notes.db"
    text_file.write_text("这是一份会议记录，不是数据库。" * 100, encoding="utf-8")
    before = _digest(text_file)
    for args in (("status",), ("init",), ("plan",), ("backup", str(tmp_path / "b.zip"))):
        _refused(_cli(f"sqlite:///{text_file}", *args), "不是 duban 台账数据库")
    assert _digest(text_file) == before
    empty = tmp_path / "empty.db"
    _refused(_cli(f"sqlite:///{empty}", "status"), "duban init")


def test_a_damaged_page(sqlite_ledger: tuple[str, Path], tmp_path: Path) -> None:
    url, path = sqlite_ledger
    with sqlite3.connect(path) as shell:
        page_size = shell.execute("PRAGMA page_size").fetchone()[0]
        root = shell.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tasks'").fetchone()[0]
    shell.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = bytes([0xA5]) * page_size
    path.write_bytes(bytes(data))
    before = _digest(path)
    for args in (("status",), ("plan",), ("backup", str(tmp_path / "b.zip")), ("close", "1")):
        _refused(_cli(url, *args), "已损坏", "duban restore")
    assert _digest(path) == before and not (tmp_path / "b.zip").exists()


def test_postgresql_down_or_missing() -> None:
    """Nothing listens on port 1; no server is needed to run this."""
    down = "postgresql+psycopg://postgres@127.0.0.1:1/duban"
    out = _refused(_cli(down, "status"), "无法连接数据库服务器")
    assert "Connection refused" in out or "connection" in out.lower()
    _refused(_cli(down, "init"), "无法连接数据库服务器")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_missing_postgresql_database_and_a_read_only_one(db_url: str, tmp_path: Path) -> None:
    base, _, name = db_url.rpartition("/")
    _refused(_cli(f"{base}/{name}_gone", "status"), "无法打开台账数据库")
    ledger = Ledger(db_url)
    ledger.init(actor="t")
    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    before = _state(ledger, tmp_path)
    ledger.close()
    admin = db_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        _refused(_cli(db_url, "close", "1"), "只读")
        _refused(_cli(db_url, "import", str(SAMPLE), "--government", "成都市锦江区",
                      "--year", "2023"), "只读")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SET default_transaction_read_only = off")
            conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
    ledger = Ledger(db_url)
    assert _state(ledger, tmp_path) == before
    ledger.close()


def test_a_lock_held_past_the_timeout(db_url: str, tmp_path: Path) -> None:
    """Another program holds the write lock (SQLite) or the task's row (PostgreSQL) longer
    than DUBAN_LOCK_TIMEOUT: the writer gives up with a message, and goes on once it is free."""
    ledger = Ledger(db_url)
    ledger.init(actor="t")
    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    before = _state(ledger, tmp_path)
    holder = _hold(ledger)
    try:
        started = time.monotonic()
        out = _refused(_cli(db_url, "close", "1", timeout=1), "锁定", "1 秒")
        assert time.monotonic() - started < 30, out
    finally:
        holder()
    assert _state(ledger, tmp_path) == before
    # a lock released within the timeout is waited for
    release = threading.Timer(1.0, _hold(ledger))
    release.start()
    try:
        assert _cli(db_url, "close", "1", timeout=20).exit_code == 0
    finally:
        release.join()
    assert ledger.status().rows[0].state == "closed"
    ledger.close()


def _hold(ledger: Ledger):  # type: ignore[no-untyped-def]
    """Take the lock another program would hold; returns what releases it."""
    if ledger.db.dialect == "sqlite":
        shell = sqlite3.connect(ledger.db.engine.url.database or "", isolation_level=None,
                                check_same_thread=False)
        shell.execute("BEGIN IMMEDIATE")
        return lambda: (shell.rollback(), shell.close())
    holder = ledger.db.engine.connect()
    holder.execute(text("SELECT id FROM tasks WHERE id = 1 FOR UPDATE"))
    return lambda: (holder.rollback(), holder.close())


def test_every_fault_kind_has_its_message() -> None:
    """The store names each fault once; the CLI prints it (a LedgerUnavailable is a
    DubanError), so a new kind cannot reach a user as a traceback."""
    from duban.store._db import MESSAGES, fault_of

    for code, kind in (("SQLITE_FULL", "full"), ("SQLITE_READONLY_DBMOVED", "read_only"),
                       ("SQLITE_CORRUPT_INDEX", "damaged"), ("SQLITE_BUSY_SNAPSHOT", "locked")):
        error = sqlite3.OperationalError("x")
        error.sqlite_errorname = code  # type: ignore[attr-defined]
        fault = fault_of(error, "sqlite:///x.db")
        assert isinstance(fault, LedgerUnavailable) and fault.kind == kind, code
    assert set(MESSAGES) >= {"full", "read_only", "cannot_open", "not_a_database", "damaged",
                             "unreachable", "refused_login", "locked", "io", "failed"}


def test_every_ledger_command_on_a_broken_database_is_one_message(tmp_path: Path) -> None:
    """Not only the commands tested above: every ledger command, on a file that is no
    database, names it and stops; and a bad DUBAN_LOCK_TIMEOUT is a settings error."""
    broken = tmp_path / "duban.db"
    broken.write_bytes(b"\x00garbage" * 1000)
    url = f"sqlite:///{broken}"
    for args in (("import", "--sample"), ("plan", "--xlsx", str(tmp_path / "p.xlsx")),
                 ("plan", "--publish"), ("progress", "--template", str(tmp_path / "t.xlsx"),
                                         "--department", "区教育局"),
                 ("review",), ("review", "1", "--approve"), ("ack", "1", "--department", "区教育局"),
                 ("revise", "1", "--targets", "新增就业1万人", "--date", "2023-07-01",
                  "--reason", "调整"), ("remind",), ("report", "--docx", str(tmp_path / "r.docx")),
                 ("departments",), ("audit",)):
        _refused(_cli(url, *args), "不是 duban 台账数据库", str(broken))
    result = CliRunner(env={"DUBAN_DATABASE_URL": url, "DUBAN_LOCK_TIMEOUT": "一分钟"}).invoke(
        main, ["status"])
    _refused(Ran(result.exit_code, result.output, result.exception), "DUBAN_LOCK_TIMEOUT")
