"""Benchmark: a province-sized ledger (10,000 tasks, 100,000 progress updates).

Seeds the ledger, then times the status roll-up for the whole government and one
department's list (median and p95 of repeated runs, warm). Goals: roll-up < 200 ms,
one department < 50 ms, on SQLite and on PostgreSQL.

Usage:
    .venv/bin/python bench/ledger_scale.py [DATABASE_URL ...] [--tasks N] [--updates N] [--runs N]
Without a URL it uses a fresh SQLite file; give a PostgreSQL URL (an empty database) too.
"""
from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from duban.store import Ledger
from duban.store import _models as m


def seed(ledger: Ledger, n_tasks: int, n_updates: int) -> str:
    rng = random.Random(7)
    ledger.init(actor="bench")
    with ledger.db.session() as session:
        gov = m.Government(name="某省", level="province")
        session.add(gov)
        session.flush()
        report = m.Report(government_id=gov.id, year=2025, title="2025年政府工作报告",
                          source_name="bench.txt", source_sha256="0" * 64, format="txt",
                          original_text="", published=True)
        session.add(report)
        session.flush()
        depts = [d.id for d in session.scalars(select(m.Department))]
        parts = [f"（{i}）重点任务{i}" for i in range(1, 15)]
        tasks = [dict(id=i, report_id=report.id, seq=i, part=parts[i % len(parts)], section="",
                      quote=f"任务{i}", title=f"推进第{i}项重点工作", start=0, end=0,
                      kind="target" if i % 5 < 2 else "policy", state="reported",
                      deadline_kind="year", deadline=date(2025, 12, 31), leader="", note="",
                      latest_period="", version=1, created_at=datetime(2025, 1, 1),
                      updated_at=datetime(2025, 1, 1))
                 for i in range(1, n_tasks + 1)]
        session.execute(insert(m.Task), tasks)
        targets = [dict(task_id=i, indicator=f"指标{i}", value=float(rng.randint(10, 10000)),
                        unit="个", comparator=">=", higher_is_better=True, quote="")
                   for i in range(1, n_tasks + 1) if i % 5 < 2]
        session.execute(insert(m.Target), targets)
        assignments = []
        for i in range(1, n_tasks + 1):
            lead, co = rng.sample(depts, 2)
            assignments.append(dict(task_id=i, department_id=lead, role="lead", suggested=True,
                                    confidence=1.0, rule=""))
            if i % 2:
                assignments.append(dict(task_id=i, department_id=co, role="co", suggested=True,
                                        confidence=1.0, rule=""))
        session.execute(insert(m.Assignment), assignments)
        latest: dict[int, tuple[int, float, str]] = {}
        batch = []
        for u in range(1, n_updates + 1):
            task = rng.randint(1, n_tasks)
            month = rng.randint(1, 11)
            period = f"2025-{month:02d}"
            batch.append(dict(id=u, task_id=task, department_id=depts[0], period=period,
                              actual_value=float(rng.randint(0, 10000)), percent=None,
                              narrative="进展", state="approved", submitted_by="bench",
                              submitted_at=datetime(2025, month, 1), task_version=1))
            if period >= latest.get(task, (0, 0.0, ""))[2]:
                latest[task] = (u, batch[-1]["actual_value"], period)
            if len(batch) == 5000:
                session.execute(insert(m.ProgressUpdate), batch)
                batch = []
        if batch:
            session.execute(insert(m.ProgressUpdate), batch)
        for task_id, (update_id, actual, period) in latest.items():
            session.execute(m.Task.__table__.update().where(m.Task.id == task_id).values(
                latest_update_id=update_id, latest_actual=actual, latest_period=period))
        name = session.get_one(m.Department, depts[3])
        if ledger.db.engine.dialect.name == "postgresql":
            from sqlalchemy import text
            for table in ("tasks", "progress_updates"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table}))"))
        return name.short_name or name.name


def timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main(argv: list[str]) -> int:
    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    n_tasks, n_updates, runs = option("--tasks", 10_000), option("--updates", 100_000), option("--runs", 15)
    skip = {argv.index(x) + 1 for x in ("--tasks", "--updates", "--runs") if x in argv}
    urls = [a for i, a in enumerate(argv) if not a.startswith("--") and i not in skip]
    if not urls:
        urls = [f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"]
    today = date(2025, 7, 1)
    for url in urls:
        ledger = Ledger(url)
        start = time.perf_counter()
        department = seed(ledger, n_tasks, n_updates)
        seeded = time.perf_counter() - start
        whole = timed(lambda: ledger.status(today=today), runs)
        one = timed(lambda: ledger.status(department=department, today=today), runs)
        engine = ledger.db.engine.dialect.name
        print(f"{engine}: seeded {n_tasks} tasks, {n_updates} updates in {seeded:.1f} s")
        print(f"  status roll-up, whole government: median {whole[0]:.0f} ms, p95 {whole[1]:.0f} ms (goal < 200)")
        print(f"  one department's list ({department}): median {one[0]:.0f} ms, p95 {one[1]:.0f} ms (goal < 50)")
        ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
