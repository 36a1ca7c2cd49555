"""Alembic: upgrade from an empty database and from every earlier revision reaches a schema
that matches the models exactly."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from duban.store import Database, current_revision, head_revision, upgrade
from duban.store._db import alembic_config, downgrade
from duban.store._models import Base


def _diff(db: Database) -> list:
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)


def test_upgrade_from_empty_matches_models(db_url: str) -> None:
    db = Database(db_url)
    assert current_revision(db.engine) is None
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision()
    assert _diff(db) == []
    db.dispose()


def test_upgrade_from_every_earlier_revision(db_url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions and revisions[-1] == head_revision()
    db = Database(db_url)
    for revision in revisions:
        downgrade(db.engine, "base") if current_revision(db.engine) else None
        upgrade(db.engine, revision)
        assert current_revision(db.engine) == revision
        upgrade(db.engine)  # from this revision to head
        assert current_revision(db.engine) == head_revision()
        assert _diff(db) == []
    downgrade(db.engine, "base")
    with db.engine.connect() as conn:
        names = conn.execute(text("SELECT 1")).scalar()
    assert names == 1
    db.dispose()
