"""Eight processes write to the same few tasks at once: progress appends, versioned reports,
monthly sheets, plan edits and reviews. Before, on PostgreSQL a quarter of them ended in a raw
StaleDataError and plain appends were refused as "changed by someone else". Now: no traceback,
an append is never refused, a stale version is a Conflict naming who changed the task and when,
and nothing accepted is lost (every version bump accounted for, every edit's title in place)."""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import time
import traceback
from collections import Counter
from datetime import datetime

from duban.errors import Conflict, Forbidden
from duban.store import Ledger, PlanEdit, ProgressEdit

WORKERS = 8
OPS = int(os.environ.get("DUBAN_CLASH_OPS", "25"))  # per worker; a bench sets more
DEPARTMENT = "区教育局"


def _worker(url: str, tasks: list[int], seed: int, out) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    ledger = Ledger(url)
    done: Counter[str] = Counter()
    bumps: Counter[int] = Counter()  # accepted writes that change a task row, by task
    updates: list[int] = []
    edits: list[tuple[int, str]] = []
    failures: list[str] = []
    conflicts_without_who = 0
    for n in range(OPS):
        kind = rng.choice(["append", "versioned", "sheet", "plan", "review"])
        task = rng.choice(tasks)
        try:
            if kind == "append":  # no version: can never conflict
                updates.append(ledger.submit_progress(
                    task, DEPARTMENT, "2023-06", percent=rng.randint(0, 100),
                    narrative=f"w{seed} n{n} append", actor=f"clerk{seed}"))
                bumps[task] += 1
            elif kind == "versioned":
                seen = ledger.task_version(task)
                time.sleep(rng.random() * 0.01)  # the clerk types
                updates.append(ledger.submit_progress(
                    task, DEPARTMENT, "2023-06", percent=rng.randint(0, 100),
                    narrative=f"w{seed} n{n} versioned", actor=f"clerk{seed}",
                    expected_version=seen))
                bumps[task] += 1
            elif kind == "sheet":
                pair = sorted(rng.sample(tasks, 2))
                rows = {r.task_id: r for r in ledger.progress_rows(DEPARTMENT)}
                time.sleep(rng.random() * 0.01)
                updates += ledger.apply_progress(
                    [ProgressEdit(4 + i, t, "2023-06", "", str(rng.randint(0, 100)),
                                  f"w{seed} n{n} sheet", rows[t].version)
                     for i, t in enumerate(pair)], DEPARTMENT, f"clerk{seed}")
                for t in pair:
                    bumps[t] += 1
            elif kind == "plan":
                row = next(r for r in ledger.plan()[1] if r.task_id == task)
                title = f"{row.title.split('｜')[0]}｜w{seed}n{n}"
                time.sleep(rng.random() * 0.01)
                ledger.apply_plan([PlanEdit(3, task, title, row.targets, row.lead,
                                            "、".join(row.co), row.deadline, row.leader,
                                            row.version)], f"office{seed}")
                edits.append((task, title))
                bumps[task] += 1
            else:
                queue = ledger.updates("submitted", task_id=task)
                if not queue:
                    continue
                update = rng.choice(queue)
                decision = rng.choice(["approve", "return"])
                ledger.review(update.update_id, decision, f"sup{seed}", comment="请补充")
                bumps[task] += 1
            done[f"{kind} accepted"] += 1
        except Conflict as exc:
            done[f"{kind} conflict"] += 1
            if kind == "append":
                failures.append(f"an append was refused: {exc}")
            if not (getattr(exc, "who", "") and isinstance(getattr(exc, "when", None), datetime)
                    and getattr(exc, "what", "")):
                conflicts_without_who += 1
        except Forbidden:
            if kind != "review":  # two reviewers took the same update: one of them is told
                failures.append(traceback.format_exc())
            done[f"{kind} already reviewed"] += 1
        except Exception:  # noqa: BLE001 - anything else is what the test is about
            failures.append(traceback.format_exc())
    ledger.close()
    out.put((dict(done), dict(bumps), updates, edits, failures, conflicts_without_who))


def test_eight_writers_at_once_lose_nothing_and_raise_nothing(imported: Ledger) -> None:
    ledger = imported
    ledger.publish("sup")
    mine = [r for r in ledger.progress_rows(DEPARTMENT)]
    tasks = [r.task_id for r in mine[:4]]  # few tasks: many collisions
    start = {r.task_id: r.version for r in mine}
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    procs = [context.Process(target=_worker, args=(ledger.db.url, tasks, seed, out))
             for seed in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    done: Counter[str] = Counter()
    bumps: Counter[int] = Counter()
    updates: list[int] = []
    edits: list[tuple[int, str]] = []
    failures: list[str] = []
    anonymous = 0
    for d, b, u, e, f, a in results:
        done.update(d)
        bumps.update(b)
        updates += u
        edits += e
        failures += f
        anonymous += a
    print(f"\n{ledger.db.engine.dialect.name}: {WORKERS}x{OPS} writes -> {dict(sorted(done.items()))}")
    assert failures == [], failures[0]
    assert anonymous == 0, "every Conflict names who changed the task, when and how"
    assert done["append accepted"] and not done["append conflict"]
    assert done["versioned conflict"] + done["sheet conflict"] + done["plan conflict"], \
        "the test must make stale versions to mean anything"
    # nothing accepted is lost: every update is in the history, every bump in the version
    history = ledger.updates(state=None)
    assert sorted(u.update_id for u in history) == sorted(updates)
    for task in tasks:
        assert ledger.task_version(task) == start[task] + bumps[task], task
    # the last accepted plan edit of each task is its title, and the audit log has them all
    audit = [e for e in ledger.audit_log(100000) if e[3] == "update" and e[4] == "task"
             and e[5] in tasks and e[2].startswith("office")]
    assert len(audit) == len(edits)
    titles = {r.task_id: r.title for r in ledger.plan()[1]}
    for task in tasks:
        last = next((json.loads(e[7])["title"] for e in audit if e[5] == task), None)
        if last is not None:
            assert titles[task] == last


def test_a_conflict_names_the_change_for_the_web(imported: Ledger) -> None:
    """What a 409 needs: the message, who changed the task, when, what they did, the versions."""
    from datetime import timedelta, timezone

    ledger = imported
    ledger.publish("sup")
    row = next(r for r in ledger.plan()[1] if "新增就业" in r.title)
    seen = ledger.task_version(row.task_id)
    ledger.submit_progress(row.task_id, "区人社局", "2023-06", percent=30, actor="张三",
                           expected_version=seen)
    try:
        ledger.submit_progress(row.task_id, "区人社局", "2023-06", percent=35, actor="李四",
                               expected_version=seen)
    except Conflict as exc:
        assert (exc.who, exc.what, exc.seen, exc.current) == ("张三", "报送进展 (submit)", seen,
                                                              seen + 1)
        assert exc.when is not None and exc.when.tzinfo is timezone.utc
        assert abs(datetime.now(timezone.utc) - exc.when) < timedelta(minutes=5)
        assert "冲突" in str(exc) and "张三" in str(exc) and f"第 {seen} 版" in str(exc)
    else:
        raise AssertionError("a stale version must conflict")
    # a plan row edited by two people: the second is told who was first
    plan_row = next(r for r in ledger.plan()[1] if r.task_id == row.task_id)
    edit = PlanEdit(3, row.task_id, plan_row.title + "（一）", plan_row.targets, plan_row.lead, "",
                    plan_row.deadline, "", plan_row.version)
    ledger.apply_plan([edit], "王五")
    try:
        ledger.apply_plan([PlanEdit(3, row.task_id, plan_row.title + "（二）", plan_row.targets,
                                    plan_row.lead, "", plan_row.deadline, "", plan_row.version)],
                          "赵六")
    except Conflict as exc:
        assert exc.who == "王五" and exc.what == "修改分工方案 (update)" and "第3行" in str(exc)
    else:
        raise AssertionError("a stale plan row must conflict")
    assert [u.percent for u in ledger.updates(state=None, task_id=row.task_id)] == [30]
