"""Many processes report progress on overlapping tasks at once: every accepted update is in
the history, every rejected one got a Conflict, nothing else happens."""
from __future__ import annotations

import multiprocessing
import random
import time

from duban.errors import Conflict
from duban.store import Ledger

WORKERS = 6
ATTEMPTS = 8


def _clerk(url: str, tasks: list[tuple[int, str]], seed: int, out) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    ledger = Ledger(url)
    accepted, rejected, failures = [], 0, []
    for n in range(ATTEMPTS):
        task_id, department = rng.choice(tasks)
        try:
            seen = ledger.task_version(task_id)
            time.sleep(rng.random() * 0.02)  # the clerk types
            update = ledger.submit_progress(task_id, department, "2023-06", percent=n * 10,
                                            narrative=f"worker {seed} try {n}",
                                            actor=f"clerk{seed}", expected_version=seen)
            accepted.append(update)
        except Conflict:
            rejected += 1
        except Exception as exc:  # noqa: BLE001 - anything else is a failure of the test
            failures.append(repr(exc))
    ledger.close()
    out.put((accepted, rejected, failures))


def test_concurrent_progress_updates(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    _, rows = ledger.plan()
    tasks = [(r.task_id, r.lead) for r in rows if r.lead][:3]  # few tasks: many collisions
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    procs = [context.Process(target=_clerk, args=(ledger.db.url, tasks, seed, out))
             for seed in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    accepted = [u for a, _, _ in results for u in a]
    rejected = sum(r for _, r, _ in results)
    failures = [f for _, _, fs in results for f in fs]
    assert failures == []
    assert len(accepted) + rejected == WORKERS * ATTEMPTS
    assert accepted and rejected, "the test must produce both outcomes to mean anything"
    history = ledger.updates(state=None)
    assert sorted(u.update_id for u in history) == sorted(accepted)
    versions = {t: ledger.task_version(t) for t, _ in tasks}
    # each accepted update bumped its task's version exactly once
    bumps = {t: sum(1 for u in history if u.task_id == t) for t, _ in tasks}
    start = {r.task_id: r.version for r in rows}
    assert all(versions[t] == start[t] + bumps[t] for t, _ in tasks)
