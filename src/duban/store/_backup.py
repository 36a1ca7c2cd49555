"""Backup and restore: every table as JSON lines in one zip, restored row for row, all or nothing.

A backup is written only from a whole ledger: rows whose parent row is gone (a task deleted by
hand in the sqlite3 shell, where foreign keys are off) are refused by name, or left out and
listed with ``drop_orphans``. A restore checks the backup whole before it touches the ledger
(manifest, checksums, every table and column, every value's type, primary keys, every foreign
key resolvable), then builds the restored ledger beside the old one and swaps it in:

- SQLite: a new database file is built and checked (foreign keys, integrity), then copied over
  the old one by SQLite's backup API, which writes the destination in one transaction. A kill
  at any moment leaves the old ledger or the new one; connections other processes hold (the
  web app) see the new one, where a renamed file would leave them writing to the old inode.
- PostgreSQL: one transaction empties every table and loads the backup; a kill rolls it back.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import sqlite3
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import (
    Boolean, Date, DateTime, Engine, Float, Integer, LargeBinary, String, Table, create_engine,
    event, func, insert, inspect, select, text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ..errors import DamagedData, InputError, LedgerError, LedgerUnavailable
from . import _models as m
from ._db import (Database, MESSAGES, alembic_config, current_revision, faults, head_revision,
                  shown_url, upgrade)

FORMAT = "duban-backup"
Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class BackupResult:
    """Rows written per table, and the orphan rows left out (table -> primary keys)."""

    counts: dict[str, int]
    dropped: dict[str, list[str]] = field(default_factory=dict)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$b64" in value:
            return base64.b64decode(value["$b64"], validate=True)
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
        raise ValueError(f"未知的值 {json.dumps(value, ensure_ascii=False)[:60]}")
    return value


def _tables() -> list[Table]:
    """Every table, parents before children."""
    return [m.Base.metadata.tables[model.__tablename__] for model in m.TABLES_IN_ORDER]


def _key(table: Table, row: dict[str, Any]) -> str:
    return ",".join(str(row.get(c.name)) for c in table.primary_key.columns)


def find_orphans(rows: Rows) -> dict[str, list[str]]:
    """Rows whose foreign key names no row of its parent, and rows under those (a task's
    targets when the task is an orphan): table -> primary keys, in table order."""
    orphans: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        present: dict[tuple[str, str], set[Any]] = {}
        for table in _tables():
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if (parent, fk.column.name) not in present:
                    gone = orphans.get(parent, set())
                    present[(parent, fk.column.name)] = {
                        r[fk.column.name] for r in rows.get(parent, [])
                        if _key(fk.column.table, r) not in gone}
        for table in _tables():
            gone = orphans.setdefault(table.name, set())
            for row in rows.get(table.name, []):
                key = _key(table, row)
                if key in gone:
                    continue
                for fk in table.foreign_keys:
                    value = row.get(fk.parent.name)
                    if value is not None and value not in present[(fk.column.table.name,
                                                                   fk.column.name)]:
                        gone.add(key)
                        changed = True
                        break
    return {t.name: sorted(orphans[t.name], key=_sort_key) for t in _tables() if orphans.get(t.name)}


def _sort_key(key: str) -> tuple[int, str]:
    head = key.split(",")[0]
    return (int(head), key) if head.isdigit() else (0, key)


def _orphan_problems(orphans: dict[str, list[str]], rows: Rows) -> list[str]:
    problems = []
    for name, keys in orphans.items():
        table = m.Base.metadata.tables[name]
        shown = "、".join(keys[:5]) + ("…" if len(keys) > 5 else "")
        parents = "、".join(sorted({fk.column.table.name for fk in table.foreign_keys}))
        problems.append(f"表 {name} 有 {len(keys)} 行的上级记录（{parents}）已不存在（主键 {shown}）"
                        f"(orphan rows)")
    return problems


def _read_ledger(db: Database) -> Rows:
    rows: Rows = {}
    with db.session(readonly=True) as session:
        for table in _tables():
            rows[table.name] = [dict(row) for row in session.execute(
                select(table).order_by(*table.primary_key.columns)).mappings()]
    return rows


def backup(db: Database, path: Path, drop_orphans: bool = False) -> BackupResult:
    """Write every row of every table to ``path`` (a zip, replaced whole or not at all).

    A ledger with orphan rows raises DamagedData naming them; with ``drop_orphans`` they are
    left out of the backup (the ledger itself is not changed) and listed in the result and
    in the manifest."""
    revision = current_revision(db.engine)
    rows = _read_ledger(db)
    orphans = find_orphans(rows)
    if orphans and not drop_orphans:
        raise DamagedData(shown_url(db.url), _orphan_problems(orphans, rows) + [
            "可用 duban backup --drop-orphans 备份其余数据并列出略去的行 (or back up the rest with "
            "--drop-orphans)"])
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in _tables():
            gone = set(orphans.get(table.name, ()))
            lines = [json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False,
                                sort_keys=True)
                     for row in rows[table.name] if _key(table, row) not in gone]
            data = ("\n".join(lines) + ("\n" if lines else "")).encode()
            archive.writestr(f"tables/{table.name}.jsonl", data)
            counts[table.name] = len(lines)
            digests[table.name] = hashlib.sha256(data).hexdigest()
        manifest = {"format": FORMAT, "version": 1, "revision": revision,
                    "created": datetime.now(timezone.utc).isoformat(), "counts": counts,
                    "sha256": digests, "dropped_orphans": orphans}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "wb") as out:
            out.write(buffer.getvalue())
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    except OSError as exc:  # named by the backup's path (a full disk says no file itself)
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(counts, orphans)


# -- reading a backup whole --------------------------------------------------------------

_PYTHON_TYPES: list[tuple[type, tuple[type, ...], str]] = [
    (Boolean, (bool,), "布尔值"), (DateTime, (datetime,), "时间"), (Date, (date,), "日期"),
    (Integer, (int,), "整数"), (Float, (int, float), "数字"), (String, (str,), "文字"),
    (LargeBinary, (bytes,), "二进制"),
]


def _type_problem(table: Table, row: dict[str, Any]) -> str | None:
    for column in table.columns:
        value = row[column.name]
        if value is None:
            if not column.nullable:
                return f"{column.name} 不能为空 (null)"
            continue
        for sa_type, python, word in _PYTHON_TYPES:
            if isinstance(column.type, sa_type):
                ok = isinstance(value, python) and not (
                    isinstance(value, bool) and bool not in python) and not (
                    isinstance(value, datetime) and datetime not in python)
                if not ok:
                    return f"{column.name} 应为{word}，却是 {json.dumps(_encode(value), ensure_ascii=False)[:40]}"
                length = getattr(column.type, "length", None)
                if isinstance(value, str) and length and len(value) > length:
                    return f"{column.name} 超过 {length} 个字"
                break
    return None


def read_backup(path: Path) -> Rows:
    """Every row of a backup, checked whole: InputError when it is no duban backup of this
    version, DamagedData listing every problem when it is not whole. Nothing is touched."""
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
        manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError,
            EOFError) as exc:
        raise InputError(name, f"不是 duban 备份文件，或文件不完整 (not a duban backup): "
                               f"{type(exc).__name__}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(name, "不是 duban 备份文件 (not a duban backup)")
    revision = manifest.get("revision")
    if revision != head_revision() and revision not in _earlier_revisions():
        raise InputError(name, f"备份的数据库版本 {revision} 与本程序 "
                               f"{head_revision()} 不同，请先用对应版本恢复再升级")
    # a backup of an earlier revision lacks the columns added since: each gets its default
    added = _added_defaults() if revision != head_revision() else {}
    digests: dict[str, Any] = manifest["sha256"] if isinstance(manifest.get("sha256"), dict) else {}
    counts: dict[str, Any] = manifest["counts"] if isinstance(manifest.get("counts"), dict) else {}
    problems: list[str] = []
    rows: Rows = {}
    known = {f"tables/{t.name}.jsonl" for t in _tables()}
    for entry in archive.namelist():
        if entry.startswith("tables/") and entry not in known:
            problems.append(f"{entry}：未知的表 (unknown table)")
    for table in _tables():
        table_rows = rows.setdefault(table.name, [])
        try:
            data = archive.read(f"tables/{table.name}.jsonl")
        except KeyError:
            problems.append(f"缺少表 {table.name} (table missing)")
            continue
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            problems.append(f"表 {table.name} 无法解压，备份已损坏 (corrupt): {exc}")
            continue
        if digests.get(table.name) != hashlib.sha256(data).hexdigest():
            problems.append(f"表 {table.name} 校验和不符，备份已损坏 (checksum mismatch)")
            continue
        columns = {c.name for c in table.columns}
        keys: set[str] = set()
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if not line:
                continue
            where = f"表 {table.name} 第 {number} 行"
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict):
                    raise ValueError("不是一行记录")
                row = {k: _decode(v) for k, v in raw.items()}
            except (ValueError, binascii.Error) as exc:
                problems.append(f"{where} 无法读取 (unreadable row): {exc}")
                continue
            for column, value in added.get(table.name, {}).items():
                row.setdefault(column, value)  # only where the backup's row lacks it
            if set(row) != columns:
                missing, extra = columns - set(row), set(row) - columns
                problems.append(f"{where} 列不符：缺少 {sorted(missing)}，多出 {sorted(extra)} "
                                f"(columns differ)")
                continue
            wrong = _type_problem(table, row)
            if wrong:
                problems.append(f"{where} {wrong} (wrong value)")
                continue
            key = _key(table, row)
            if key in keys:
                problems.append(f"{where} 主键 {key} 重复 (duplicate key)")
                continue
            keys.add(key)
            table_rows.append(row)
        if counts.get(table.name) != len(table_rows) and not any(
                p.startswith(f"表 {table.name} ") for p in problems):
            problems.append(f"表 {table.name} 有 {len(table_rows)} 行，清单记为 "
                            f"{counts.get(table.name)} 行 (row count differs)")
    if not problems:
        orphans = find_orphans(rows)
        problems += _orphan_problems(orphans, rows)
    if problems:
        raise DamagedData(name, problems + ["未做任何修改 (nothing was changed)"])
    return rows


# -- restoring ----------------------------------------------------------------------------

def restore(db: Database, path: Path, force: bool = False) -> dict[str, int]:
    """Load a backup into the ledger, replacing what it holds only with ``force``: the backup
    is checked whole first, then the restored ledger is built beside the old one and swapped
    in at once (see the module's docstring). Returns the rows restored per table."""
    rows = read_backup(path)
    used, unreadable = _rows_in(db)
    if unreadable is not None and not force:
        raise unreadable
    if used and not force:
        raise LedgerError(shown_url(db.url), "目标数据库不是空的；确认覆盖请加 --force (database not empty)")
    if db.dialect == "sqlite":
        _restore_sqlite(db, rows, replace_damaged=unreadable is not None)
    else:
        if current_revision(db.engine) != head_revision():
            upgrade(db.engine)  # a migration keeps every row; the swap below is one transaction
        _restore_postgresql(db, rows)
    return {table.name: len(rows[table.name]) for table in _tables()}


def _rows_in(db: Database) -> tuple[int, LedgerUnavailable | None]:
    """Rows the ledger holds now, or the fault that stops it being read (a damaged file)."""
    try:
        with db.session(readonly=True) as session:
            existing = set(inspect(session.connection()).get_table_names())
            return sum(session.scalar(select(func.count()).select_from(table)) or 0
                       for table in _tables() if table.name in existing), None
    except LedgerUnavailable as exc:
        if exc.kind in ("damaged", "not_a_database"):
            return 0, exc
        raise


def _earlier_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {r.revision for r in script.walk_revisions()} - {head_revision()}


def _added_defaults() -> dict[str, dict[str, Any]]:
    """What a row of an earlier revision gets for a column it lacks: the column's server
    default (as the migration that added it filled old rows), else None when it may be null.
    Columns with neither are left missing, and such a backup is refused row by row."""
    out: dict[str, dict[str, Any]] = {}
    for table in _tables():
        for column in table.columns:
            default = column.server_default
            if default is not None and isinstance(getattr(default, "arg", None), str):
                out.setdefault(table.name, {})[column.name] = default.arg  # type: ignore[attr-defined]
            elif column.nullable and not column.primary_key:
                out.setdefault(table.name, {})[column.name] = None
    return out


def _parents_first(table: Table, table_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (a department's parent) ordered so that every
    row comes after the row it refers to: foreign keys are checked row by row."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not own:
        return table_rows
    key = own[0]
    by_id = {row["id"]: row for row in table_rows}
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []

    def place(row: dict[str, Any], seen: frozenset[Any]) -> None:
        if row["id"] in placed:
            return
        parent = by_id.get(row[key])
        if parent is not None and parent["id"] not in seen:
            place(parent, seen | {row["id"]})
        placed.add(row["id"])
        ordered.append(row)

    for row in table_rows:
        place(row, frozenset())
    return ordered


def _insert_all(connection: Any, rows: Rows) -> None:
    for table in _tables():
        table_rows = _parents_first(table, rows[table.name])
        for chunk in range(0, len(table_rows), 1000):
            connection.execute(insert(table), table_rows[chunk:chunk + 1000])


def _restore_postgresql(db: Database, rows: Rows) -> None:
    with db.session() as session:
        names = ", ".join(f'"{table.name}"' for table in _tables())
        # TRUNCATE fires no row triggers (the audit log's append-only rule is about rows)
        session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        _insert_all(session, rows)
        for table in _tables():
            if "id" not in table.c:
                continue
            session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _build_sqlite(target: Path, rows: Rows, page_size: int) -> None:
    """A new ledger file at ``target`` holding ``rows``, its foreign keys and pages checked."""
    engine: Engine = create_engine(f"sqlite:///{target}", poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA page_size={page_size}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    try:
        upgrade(engine)
        with faults(str(engine.url)), engine.begin() as connection:
            _insert_all(connection, rows)
            bad = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if bad:
                raise DamagedData(str(target), [f"外键不符 (foreign key): {tuple(r)}" for r in bad])
        with faults(str(engine.url)), engine.connect() as connection:
            check = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if check != "ok":
                raise DamagedData(str(target), [f"新建的台账未通过完整性检查: {check}"])
    finally:
        engine.dispose()


def _leftovers(folder: Path, stem: str) -> Iterator[Path]:
    """Files of restores killed before they cleaned up (their process is gone)."""
    for leftover in folder.glob(f".{stem}.restore-*"):
        pid = leftover.name.split(".restore-")[1].split(".")[0].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            yield leftover


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _restore_sqlite(db: Database, rows: Rows, replace_damaged: bool) -> None:
    target = _sqlite_file(db.url)
    folder = target.parent if target is not None else Path(os.environ.get("TMPDIR", "/tmp"))
    stem = target.name if target is not None else "memory"
    for leftover in _leftovers(folder, stem):
        leftover.unlink(missing_ok=True)
    built = folder / f".{stem}.restore-{os.getpid()}"
    page_size = 4096
    if not replace_damaged:
        with faults(db.url, db.timeout), db.engine.connect() as connection:
            page_size = int(connection.exec_driver_sql("PRAGMA page_size").scalar() or 4096)
    try:
        with faults(str(built)):
            _build_sqlite(built, rows, page_size)
        if replace_damaged and target is not None:
            _replace_damaged(target, built)
        else:
            _copy_over(db, built)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{built}{suffix}").unlink(missing_ok=True)


def _copy_over(db: Database, built: Path) -> None:
    """SQLite's backup API: the destination is written in one transaction, so a kill leaves
    the old ledger (its journal or WAL undoes the part written) or the new one."""
    started = time.monotonic()

    def waited(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and \
                time.monotonic() - started > db.timeout:
            raise LedgerUnavailable(shown_url(db.url), MESSAGES["locked"].format(
                timeout=db.timeout), kind="locked")

    source = sqlite3.connect(built)
    try:
        with faults(db.url, db.timeout):
            raw = db.engine.raw_connection()
            try:
                destination = raw.driver_connection
                assert isinstance(destination, sqlite3.Connection)
                source.backup(destination, progress=waited, sleep=0.05)
            finally:
                raw.close()
    finally:
        source.close()
    db.engine.dispose()  # pooled connections knew the old file's schema


def _replace_damaged(target: Path, built: Path) -> None:
    """A ledger file SQLite cannot read is kept beside (with its journal) as
    <name>.damaged-<time> and the new file renamed into its place in one step."""
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    for suffix in ("", "-wal", "-shm", "-journal"):
        old = Path(f"{target}{suffix}")
        if old.exists():
            os.link(old, f"{target}.damaged-{stamp}{suffix}")
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)  # they belong to the damaged file
    os.replace(built, target)


__all__ = ["BackupResult", "backup", "find_orphans", "read_backup", "restore"]
