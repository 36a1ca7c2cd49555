"""The ledger tests run on SQLite and on a real PostgreSQL server (.ci/run starts one and sets
DUBAN_TEST_POSTGRES_URL). Under CI a missing server fails the run instead of skipping."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from duban.store import Ledger

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "duban" / "data" / "sample" / "qingyang-2023-excerpt.txt"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("DUBAN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("DUBAN_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL")
        return None
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    admin = _postgres_admin_url()
    if admin is None:
        pytest.skip("no PostgreSQL server: set DUBAN_TEST_POSTGRES_URL (.ci/run does)")
    import psycopg

    base, _, _ = admin.rpartition("/")
    name = f"duban_t{uuid.uuid4().hex[:12]}"
    conninfo = admin.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def ledger(db_url: str) -> Iterator[Ledger]:
    ledger = Ledger(db_url)
    ledger.init(actor="tester")
    yield ledger
    ledger.close()


@pytest.fixture
def imported(ledger: Ledger) -> Ledger:
    """The sample report imported and every task given a lead."""
    from duban.store import PlanEdit

    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="tester")
    _, rows = ledger.plan()
    missing = [PlanEdit(i + 3, r.task_id, r.title, r.targets, "区政府办", "", r.deadline, "", r.version)
               for i, r in enumerate(rows) if not r.lead]
    ledger.apply_plan(missing, "tester")
    return ledger
