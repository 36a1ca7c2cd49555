"""Backups and restores that used to wipe a ledger: orphan rows, corrupt backups, and a restore
killed (kill -9, Ctrl-C) at random moments. After each, the ledger is the old one or the new
one, whole, and readable; every refusal is one message naming the file, nothing changed."""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

import duban
from duban.cli import main, sample_path
from duban.errors import DamagedData, DubanError, InputError
from duban.store import Ledger, PlanEdit, backup, read_backup, restore
from duban.store import _models as m

SAMPLE = sample_path()

KILL_RUNS = int(os.environ.get("DUBAN_KILL_RUNS", "20"))  # a bench sets more


def _tables(path: Path) -> dict[str, str]:
    """A digest of every table of a backup file (its manifest's time left out)."""
    with zipfile.ZipFile(path) as archive:
        return {n: hashlib.sha256(archive.read(n)).hexdigest() for n in archive.namelist()
                if n.startswith("tables/")}


def _state(ledger: Ledger, folder: Path) -> dict[str, str]:
    """What the ledger holds now, as the digests of a fresh backup of it."""
    out = folder / f"state-{time.monotonic_ns()}.zip"
    backup(ledger.db, out)
    state = _tables(out)
    out.unlink()
    return state


def _fill(ledger: Ledger, updates: int, blob: int = 0) -> None:
    """The sample imported and published, and ``updates`` progress updates (with evidence of
    ``blob`` bytes each) written in bulk."""
    ledger.import_report(SAMPLE, "成都市青羊区", "district", 2023, actor="t")
    _, rows = ledger.plan()
    ledger.apply_plan([PlanEdit(i + 3, r.task_id, r.title, r.targets, "区政府办", "", r.deadline,
                                "", r.version) for i, r in enumerate(rows) if not r.lead], "t")
    ledger.publish("t")
    rng = random.Random(updates)
    tasks = [r.task_id for r in ledger.plan()[1]]
    with ledger.db.session() as session:
        dept = session.scalars(select(m.Department.id).limit(1)).one()
        ids = list(session.scalars(
            insert(m.ProgressUpdate).returning(m.ProgressUpdate.id, sort_by_parameter_order=True),
            [{"task_id": tasks[i % len(tasks)], "department_id": dept,
              "period": f"2023-{i % 12 + 1:02d}", "percent": float(i % 100),
              "narrative": f"第{i}条进展" * 5, "state": "submitted", "submitted_by": "c",
              "task_version": 1} for i in range(updates)]))
        if blob:
            session.execute(insert(m.Evidence), [
                {"update_id": update, "filename": f"{update}.bin", "size": blob,
                 "sha256": "0" * 64, "data": rng.randbytes(blob)} for update in ids[:100]])


# -- orphans ---------------------------------------------------------------------------------

def _delete_task_by_hand(path: Path, task_id: int) -> None:
    """What the sqlite3 shell does: foreign keys are off there."""
    with sqlite3.connect(path) as shell:
        shell.execute("PRAGMA foreign_keys=OFF")
        shell.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
    shell.close()


def test_backup_refuses_orphan_rows_or_leaves_them_out_and_says_so(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger.init(actor="t")
    _fill(ledger, 10)
    jobs = next(r for r in ledger.plan()[1] if "新增就业" in r.title)
    ledger.submit_progress(jobs.task_id, "区人社局", "2023-06", actual=8000, actor="c")
    _delete_task_by_hand(tmp_path / "ledger.db", jobs.task_id)
    with pytest.raises(DamagedData) as info:
        backup(ledger.db, tmp_path / "all.zip")
    assert "表 targets 有 1 行" in str(info.value) and "progress_updates" in str(info.value)
    assert "--drop-orphans" in str(info.value) and not (tmp_path / "all.zip").exists()
    result = backup(ledger.db, tmp_path / "all.zip", drop_orphans=True)
    assert set(result.dropped) == {"targets", "assignments", "progress_updates"}
    fresh = Ledger(f"sqlite:///{tmp_path / 'fresh.db'}")
    counts = restore(fresh.db, tmp_path / "all.zip")
    assert counts["tasks"] == len(ledger.plan()[1]) == len(fresh.plan()[1])
    fresh.close()
    # the command: refused with the rows named, or done with them listed
    runner = CliRunner(env={"DUBAN_DATABASE_URL": ledger.db.url})
    out = runner.invoke(main, ["backup", str(tmp_path / "cli.zip")])
    assert out.exit_code == 1 and "上级记录" in out.output and "Traceback" not in out.output
    out = runner.invoke(main, ["backup", str(tmp_path / "cli.zip"), "--drop-orphans"])
    assert out.exit_code == 0 and "略去" in out.output and "已备份" in out.output
    ledger.close()


def test_a_backup_with_orphan_rows_does_not_empty_the_ledger(imported: Ledger,
                                                             tmp_path: Path) -> None:
    """Before: restore --force emptied the ledger, then failed on the orphans: 244 tasks -> 0."""
    ledger = imported
    good = tmp_path / "good.zip"
    backup(ledger.db, good)
    bad = _rewrite(good, tmp_path / "orphans.zip", "tasks", lambda lines: lines[1:])
    before = _state(ledger, tmp_path)
    with pytest.raises(DamagedData, match="上级记录"):
        restore(ledger.db, bad, force=True)
    assert _state(ledger, tmp_path) == before


# -- corrupt backups -------------------------------------------------------------------------

def _rewrite(source: Path, target: Path, table: str, change, fix_manifest: bool = True) -> Path:  # type: ignore[no-untyped-def]
    """A copy of a backup with one table's lines changed (and, unless told, a manifest whose
    checksum and count agree with them: corruption the checksums cannot see)."""
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    name = f"tables/{table}.jsonl"
    lines = change(parts[name].decode().splitlines())
    parts[name] = ("\n".join(lines) + ("\n" if lines else "")).encode()
    if fix_manifest:
        manifest = json.loads(parts["manifest.json"])
        manifest["sha256"][table] = hashlib.sha256(parts[name]).hexdigest()
        manifest["counts"][table] = len(lines)
        parts["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    return target


def _wrong_type(lines: list[str]) -> list[str]:
    row = json.loads(lines[0])
    row["seq"] = "第一"
    return [json.dumps(row, ensure_ascii=False)] + lines[1:]


def _bad_json(lines: list[str]) -> list[str]:
    return [lines[0][: len(lines[0]) // 2]] + lines[1:]


def _missing_column(lines: list[str]) -> list[str]:
    row = json.loads(lines[0])
    del row["title"]
    return [json.dumps(row, ensure_ascii=False)] + lines[1:]


def _twice(lines: list[str]) -> list[str]:
    return lines + lines[:1]


CORRUPTIONS = {
    "truncated": (InputError, "不是 duban 备份文件"),
    "flipped byte": (DamagedData, "校验和不符"),
    "table missing": (DamagedData, "缺少表 targets"),
    "not a zip": (InputError, "不是 duban 备份文件"),
    "other revision": (InputError, "数据库版本"),
    "wrong type": (DamagedData, "seq 应为整数"),
    "half a row": (DamagedData, "无法读取"),
    "missing column": (DamagedData, "列不符"),
    "duplicate key": (DamagedData, "主键 1 重复"),
}


def _corrupt(kind: str, good: Path, folder: Path) -> Path:
    bad = folder / f"{kind.replace(' ', '-')}.zip"
    data = good.read_bytes()
    if kind == "truncated":
        bad.write_bytes(data[: len(data) * 2 // 3])
    elif kind == "not a zip":
        bad.write_text("这不是备份", encoding="utf-8")
    elif kind == "flipped byte":
        _rewrite(good, bad, "tasks", lambda lines: [lines[0].replace("2023", "2024", 1)] + lines[1:],
                 fix_manifest=False)
    elif kind == "table missing":
        with zipfile.ZipFile(good) as archive, zipfile.ZipFile(bad, "w") as out:
            for n in archive.namelist():
                if n != "tables/targets.jsonl":
                    out.writestr(n, archive.read(n))
    elif kind == "other revision":
        with zipfile.ZipFile(good) as archive, zipfile.ZipFile(bad, "w") as out:
            for n in archive.namelist():
                data = archive.read(n)
                if n == "manifest.json":
                    manifest = json.loads(data)
                    manifest["revision"] = "9999"  # a later program's backup
                    data = json.dumps(manifest).encode()
                out.writestr(n, data)
    else:
        change = {"wrong type": _wrong_type, "half a row": _bad_json,
                  "missing column": _missing_column, "duplicate key": _twice}[kind]
        _rewrite(good, bad, "tasks", change)
    return bad


def test_corrupt_backups_are_refused_whole_and_the_ledger_stays(imported: Ledger,
                                                                tmp_path: Path) -> None:
    ledger = imported
    good = tmp_path / "good.zip"
    backup(ledger.db, good)
    before = _state(ledger, tmp_path)
    runner = CliRunner(env={"DUBAN_DATABASE_URL": ledger.db.url})
    for kind, (error, words) in CORRUPTIONS.items():
        bad = _corrupt(kind, good, tmp_path)
        with pytest.raises(error) as info:
            restore(ledger.db, bad, force=True)
        assert words in str(info.value) and bad.name in str(info.value), (kind, str(info.value))
        out = runner.invoke(main, ["restore", str(bad), "--force"])
        assert out.exit_code == 1 and "Traceback" not in out.output and bad.name in out.output, \
            (kind, out.output)
        assert _state(ledger, tmp_path) == before, kind
    assert read_backup(good)  # the good one is read whole


def test_a_backup_made_before_a_column_was_added_restores_with_its_default(
        imported: Ledger, tmp_path: Path) -> None:
    """A backup of revision 0003 (before departments had duties and a parent) is not refused
    after an upgrade: each older row gets the value the migration gave old rows."""
    ledger = imported
    good = tmp_path / "good.zip"
    backup(ledger.db, good)

    def as_0003(lines: list[str]) -> list[str]:
        rows = [json.loads(line) for line in lines]
        for row in rows:
            del row["duties"], row["parent_id"]
        return [json.dumps(row, ensure_ascii=False) for row in rows]

    old = _rewrite(good, tmp_path / "old.zip", "departments", as_0003)
    with zipfile.ZipFile(old) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(parts["manifest.json"])
    manifest["revision"] = "0003"
    parts["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(old, "w") as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    departments = read_backup(old)["departments"]
    assert departments and all(d["duties"] == "" and d["parent_id"] is None for d in departments)
    restore(ledger.db, old, force=True)
    assert len(ledger.catalogue().departments) == len(departments)


def test_restore_replaces_a_damaged_ledger_file_and_keeps_it_aside(tmp_path: Path) -> None:
    source = Ledger(f"sqlite:///{tmp_path / 'source.db'}")
    source.init(actor="t")
    _fill(source, 5)
    good = tmp_path / "good.zip"
    backup(source.db, good)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this was a ledger once" * 500)
    target = Ledger(f"sqlite:///{broken}")
    with pytest.raises(DubanError, match="不是 duban 台账数据库"):
        restore(target.db, good)  # without --force nothing is touched
    assert broken.read_bytes() == b"this was a ledger once" * 500
    restore(target.db, good, force=True)
    assert len(target.plan()[1]) == len(source.plan()[1])
    kept = list(tmp_path.glob("broken.db.damaged-*"))
    assert [p.read_bytes()[:22] for p in kept] == [b"this was a ledger once"]
    target.close()
    source.close()


# -- kill -9 and Ctrl-C during a restore ----------------------------------------------------

def _spawn_restore(url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DUBAN_DATABASE_URL": url,
           "PYTHONPATH": str(Path(duban.__file__).resolve().parents[1])}
    return subprocess.Popen([sys.executable, "-m", "duban", "restore", str(path), "--force"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_restore_killed_at_any_moment_leaves_the_old_ledger_or_the_new_one(
        db_url: str, tmp_path: Path) -> None:
    new = Ledger(f"sqlite:///{tmp_path / 'new.db'}")
    new.init(actor="t")
    _fill(new, 6000, blob=64 * 1024)
    new_backup = tmp_path / "new.zip"
    backup(new.db, new_backup)
    new.close()
    ledger = Ledger(db_url)
    ledger.init(actor="t")
    _fill(ledger, 30)
    old_backup = tmp_path / "old.zip"
    backup(ledger.db, old_backup)
    old, new_state = _tables(old_backup), _tables(new_backup)
    assert old != new_state
    # one whole run tells how long a restore takes, start to end
    started = time.monotonic()
    whole = _spawn_restore(db_url, new_backup)
    out, err = whole.communicate(timeout=300)
    duration = time.monotonic() - started
    assert whole.returncode == 0, err.decode()
    assert _state(ledger, tmp_path) == new_state
    rng = random.Random(9)
    outcomes = {"old": 0, "new": 0}
    for run in range(KILL_RUNS):
        restore(ledger.db, old_backup, force=True)
        ledger.close()
        process = _spawn_restore(db_url, new_backup)
        # stratified over the run after the interpreter starts (a third of it): every stretch
        # of the restore is hit, the swap at its end included
        time.sleep((0.35 + 0.85 * (run + rng.random()) / KILL_RUNS) * duration)
        how = signal.SIGINT if run % 4 == 3 else signal.SIGKILL  # Ctrl-C now and then
        process.send_signal(how)
        _, err = process.communicate(timeout=300)
        ledger = Ledger(db_url)
        state = _state(ledger, tmp_path)
        assert state in (old, new_state), f"run {run}: the ledger is neither old nor new"
        outcomes["old" if state == old else "new"] += 1
        assert ledger.status().rows, f"run {run}: status fails"
        if db_url.startswith("sqlite"):
            with ledger.db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        if how == signal.SIGINT and process.returncode not in (0, -signal.SIGINT):
            # interrupted once the command ran: one word, no traceback
            assert b"Traceback" not in err, err.decode()
    print(f"\nkill during restore ({db_url.split(':')[0]}): {KILL_RUNS} runs of a "
          f"{duration:.1f} s restore -> {outcomes}")
    restore(ledger.db, old_backup, force=True)
    folder = tmp_path if db_url.startswith("sqlite") else None
    if folder is not None:  # files of killed restores are cleared by the next one
        assert not list(folder.glob(".ledger.db.restore-*"))
    ledger.close()


def test_restore_is_refused_whole_when_the_target_cannot_be_read(tmp_path: Path) -> None:
    """The cases people meet: a backup on a missing path, a folder; one message each."""
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger.init(actor="t")
    with pytest.raises(InputError, match="nowhere.zip"):
        restore(ledger.db, tmp_path / "nowhere.zip")
    with pytest.raises(InputError):
        restore(ledger.db, tmp_path)
    ledger.close()
