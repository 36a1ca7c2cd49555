"""Engines, sessions and migrations: SQLite by default, PostgreSQL by DUBAN_DATABASE_URL.

A failure of the database itself (disk full, a read-only or missing file, a file that is no
database or a damaged one, the server down, a lock held past the timeout) leaves this module
as one ``LedgerUnavailable`` naming the database and the cause; the transaction is rolled back.
A clash between concurrent writers that is safe to run again (a deadlock, a serialization
failure, the same row inserted twice) is retried by ``retrying``; what still clashes after the
retries is a ``Conflict``.
"""
from __future__ import annotations

import errno
import functools
import os
import random
import sqlite3
import time
from contextlib import contextmanager
from importlib import resources
from typing import Callable, Iterator, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DataError, DBAPIError, IntegrityError, InternalError, ProgrammingError, SQLAlchemyError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, LedgerError, LedgerUnavailable

DEFAULT_URL = "sqlite:///duban.db"
LOCK_TIMEOUT = 60.0  # seconds a writer waits for another one's lock before giving up
RETRIES = 6  # attempts of a write that clashed with a concurrent one in a way safe to repeat

P = ParamSpec("P")
T = TypeVar("T")


def database_url(url: str | None = None) -> str:
    """The URL given, else DUBAN_DATABASE_URL, else duban.db in the working folder."""
    return url or os.environ.get("DUBAN_DATABASE_URL") or DEFAULT_URL


def lock_timeout(seconds: float | None = None) -> float:
    """The seconds given, else DUBAN_LOCK_TIMEOUT, else 60; ValueError on a bad setting."""
    if seconds is None:
        text = os.environ.get("DUBAN_LOCK_TIMEOUT", "")
        if not text:
            return LOCK_TIMEOUT
        try:
            seconds = float(text)
        except ValueError:
            raise ValueError(f"DUBAN_LOCK_TIMEOUT “{text}”不是秒数 (not a number of seconds)") \
                from None
    if not 0 < seconds < 86400:
        raise ValueError(f"锁等待时间 {seconds} 秒不在 0–86400 之间 (lock timeout out of range)")
    return seconds


def shown_url(url: str) -> str:
    """The database as a person names it: the file of SQLite, the URL without its password."""
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str, timeout: float | None = None) -> Engine:
    timeout = lock_timeout(timeout)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            if ":memory:" not in url and url != "sqlite://" and "mode=ro" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            # a writer takes the write lock at the start, so that two writers queue instead
            # of deadlocking; a reader begins deferred and never blocks (WAL)
            if connection.get_execution_options().get("duban_readonly"):
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # the web app serves from a thread pool: enough connections that threads do not queue.
    # A writer waits at most ``timeout`` for a row another one holds; a server that does not
    # answer is given up after 10 s.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20,
                         connect_args={"connect_timeout": 10,
                                       "options": f"-c lock_timeout={int(timeout * 1000)}"})


class _Clash(Conflict):
    """A write that met a concurrent one and is safe to run again from the start."""


# SQLite's primary result codes (sqlite3 gives the extended name, e.g. SQLITE_READONLY_DBMOVED)
_SQLITE_KINDS = {
    "SQLITE_FULL": "full", "SQLITE_READONLY": "read_only", "SQLITE_CANTOPEN": "cannot_open",
    "SQLITE_PERM": "cannot_open", "SQLITE_AUTH": "cannot_open", "SQLITE_NOTADB": "not_a_database",
    "SQLITE_CORRUPT": "damaged", "SQLITE_BUSY": "locked", "SQLITE_LOCKED": "locked",
    "SQLITE_IOERR": "io", "SQLITE_NOLFS": "io",
}
# PostgreSQL SQLSTATE classes and codes
_PG_KINDS = {
    "53100": "full", "53": "full", "25006": "read_only", "55P03": "locked", "57014": "locked",
    "08": "unreachable", "57P01": "unreachable", "57P02": "unreachable", "57P03": "unreachable",
    "3D000": "cannot_open", "28": "refused_login", "42501": "read_only", "XX001": "damaged",
    "XX002": "damaged", "58": "io", "42P01": "uninitialised",
}
_PG_CLASH = {"40001", "40P01", "23505"}  # serialization failure, deadlock, unique violation

MESSAGES = {
    "full": "磁盘已满（或数据库达到容量上限）(disk full)",
    "read_only": "台账数据库是只读的，不能写入 (read-only database)",
    "cannot_open": "无法打开台账数据库：文件夹不存在、数据库不存在或无权访问 "
                   "(cannot open: missing folder or database, or no permission)",
    "not_a_database": "这个文件不是 duban 台账数据库 (not a database)",
    "damaged": "台账数据库已损坏，请用 duban restore 从备份恢复 (the database is damaged; "
               "restore a backup)",
    "unreachable": "无法连接数据库服务器（未启动或网络不通）(database server down or unreachable)",
    "refused_login": "数据库服务器拒绝登录，请检查用户名和密码 (login refused)",
    "locked": "台账正被其他操作锁定，等待 {timeout:g} 秒后仍未释放，请稍后重试 "
              "(locked by another writer longer than the timeout)",
    "io": "读写台账数据库时出错 (I/O error)",
    "uninitialised": "台账尚未建库，请先运行 duban init (no ledger tables yet: run duban init)",
    "failed": "数据库出错 (database error)",
}


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def fault_of(exc: BaseException, url: str, timeout: float | None = None) -> LedgerError:
    """The duban error for a failure of the database: a ``_Clash`` (a Conflict, retried by
    ``retrying``) when a concurrent writer got there first, else LedgerUnavailable."""
    if isinstance(exc, LedgerError):
        return exc
    where = shown_url(url)
    if isinstance(exc, StaleDataError):
        return _Clash(where, "他人同时修改了同一行 (a concurrent change to the same row)")
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    kind = "failed"
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(orig, sqlite3.Error):
        name = getattr(orig, "sqlite_errorname", "") or ""
        primary = "_".join(name.split("_")[:2])
        kind = _SQLITE_KINDS.get(primary, "failed")
        if kind == "failed" and "no such table" in str(orig):
            kind = "uninitialised"
    elif sqlstate:
        if sqlstate in _PG_CLASH:
            return _Clash(where, f"与同时进行的写入冲突 (a concurrent write clashed): "
                                 f"{_first_line(orig)}")
        kind = _PG_KINDS.get(sqlstate) or _PG_KINDS.get(sqlstate[:2]) or "failed"
    elif type(orig).__module__.startswith("psycopg") and type(orig).__name__ == "OperationalError":
        # no SQLSTATE: the connection itself failed (refused, timed out, host unknown, ...)
        text = str(orig)
        kind = "refused_login" if "password" in text or "authentication" in text else \
            "cannot_open" if "does not exist" in text else "unreachable"
    elif isinstance(orig, OSError):
        kind = "full" if orig.errno == errno.ENOSPC else "io"
    if kind == "failed" and isinstance(exc, (IntegrityError, ProgrammingError, DataError,
                                             InternalError)):
        # not a fault of the database but a refusal by it (a constraint, a trigger such as
        # the append-only audit log's)
        return LedgerError(where, f"数据库拒绝了这次写入 (the database refused the change)："
                                  f"{_first_line(orig)}")
    message = MESSAGES[kind].format(timeout=lock_timeout(timeout))
    return LedgerUnavailable(where, f"{message}：{_first_line(orig)}", kind=kind)


@contextmanager
def faults(url: str, timeout: float | None = None) -> Iterator[None]:
    """Inside, any failure of the database leaves as ``fault_of`` says."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise fault_of(exc, url, timeout) from exc


def retrying(job: Callable[P, T]) -> Callable[P, T]:
    """Run a write job again, from the start and in a new transaction, when it clashed with
    a concurrent writer in a way that is safe to repeat (it reads afresh, so a version check
    inside it then reports the real conflict). After RETRIES attempts the clash is raised."""

    @functools.wraps(job)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(RETRIES - 1):
            try:
                return job(*args, **kwargs)
            except _Clash:
                time.sleep(random.uniform(0, 0.02 * 2 ** attempt))
        return job(*args, **kwargs)

    return run


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("duban.store").joinpath("migrations")))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with faults(str(engine.url)), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` (from empty or from any earlier revision)."""
    config = alembic_config()
    with faults(str(engine.url)), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with faults(str(engine.url)), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


class Database:
    """An engine and its session factory; ``session()`` is one transaction."""

    def __init__(self, url: str | None = None, timeout: float | None = None) -> None:
        self.url = database_url(url)
        self.timeout = lock_timeout(timeout)
        self.engine = make_engine(self.url, self.timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(duban_readonly=True),
                                     expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: committed whole on success, rolled back whole on any error.
        A ``readonly`` session reads a consistent snapshot and takes no write lock."""
        with faults(self.url, self.timeout):
            if readonly:
                with self._readers() as session:
                    try:
                        yield session
                    finally:
                        session.rollback()
                return
            with self._sessions() as session:
                with session.begin():
                    yield session

    def dispose(self) -> None:
        self.engine.dispose()
