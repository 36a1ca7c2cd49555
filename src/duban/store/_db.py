"""Engines, sessions and migrations: SQLite by default, PostgreSQL by DUBAN_DATABASE_URL."""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from importlib import resources
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///duban.db"


def database_url(url: str | None = None) -> str:
    """The URL given, else DUBAN_DATABASE_URL, else duban.db in the working folder."""
    return url or os.environ.get("DUBAN_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            if ":memory:" not in url and url != "sqlite://":
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
    # the web app serves from a thread pool: enough connections that threads do not queue
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("duban.store").joinpath("migrations")))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` (from empty or from any earlier revision)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


class Database:
    """An engine and its session factory; ``session()`` is one transaction."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(duban_readonly=True),
                                     expire_on_commit=False)

    @contextmanager
    def session(self, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: committed whole on success, rolled back whole on any error.
        A ``readonly`` session reads a consistent snapshot and takes no write lock."""
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
