"""Backup and restore: every table as JSON lines in one zip, restored row for row."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from ..errors import InputError, LedgerError
from . import _models as m
from ._db import Database, current_revision, downgrade, head_revision, upgrade

FORMAT = "duban-backup"


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
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def _tables() -> list[Table]:
    """Every table, parents before children."""
    return [m.Base.metadata.tables[model.__tablename__] for model in m.TABLES_IN_ORDER]


def backup(db: Database, path: Path) -> dict[str, int]:
    """Write every row of every table to ``path`` (a zip); returns the row counts."""
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    buffer = io.BytesIO()
    revision = current_revision(db.engine)
    with db.session(readonly=True) as session, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in _tables():
            lines = []
            for row in session.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                lines.append(json.dumps({k: _encode(v) for k, v in row.items()},
                                        ensure_ascii=False, sort_keys=True))
            data = ("\n".join(lines) + ("\n" if lines else "")).encode()
            archive.writestr(f"tables/{table.name}.jsonl", data)
            counts[table.name] = len(lines)
            digests[table.name] = hashlib.sha256(data).hexdigest()
        manifest = {"format": FORMAT, "version": 1, "revision": revision,
                    "created": datetime.now(timezone.utc).isoformat(), "counts": counts,
                    "sha256": digests}
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(path)
    return counts


def restore(db: Database, path: Path, force: bool = False) -> dict[str, int]:
    """Load a backup into an empty database (``force`` empties it first); all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
        manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"不是 duban 备份文件 (not a duban backup): {exc}") from None
    if manifest.get("format") != FORMAT:
        raise InputError(str(path), "不是 duban 备份文件 (not a duban backup)")
    if manifest.get("revision") != head_revision():
        raise InputError(str(path), f"备份的数据库版本 {manifest.get('revision')} 与本程序 "
                                    f"{head_revision()} 不同，请先用对应版本恢复再升级")
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        name = table.name
        try:
            data = archive.read(f"tables/{name}.jsonl")
            expected = manifest["sha256"][name]
        except (KeyError, TypeError):
            raise InputError(str(path), f"备份缺少表 {name} (incomplete backup)") from None
        if hashlib.sha256(data).hexdigest() != expected:
            raise InputError(str(path), f"表 {name} 校验和不符，备份已损坏 (corrupt backup)")
        tables[name] = [json.loads(line) for line in data.decode().splitlines() if line]
    if current_revision(db.engine) is None:
        upgrade(db.engine)
    with db.session(readonly=True) as session:
        used = sum(session.scalar(select(func.count()).select_from(table)) or 0
                   for table in _tables())
    if used and not force:
        raise LedgerError(db.url, "目标数据库不是空的；确认覆盖请加 --force (database not empty)")
    if used:
        downgrade(db.engine, "base")
        upgrade(db.engine)
    counts = {}
    with db.session() as session:
        for table in _tables():
            rows = [{k: _decode(v) for k, v in row.items()}
                    for row in tables[table.name]]
            for chunk in range(0, len(rows), 1000):
                session.execute(insert(table), rows[chunk:chunk + 1000])
            counts[table.name] = len(rows)
        if db.engine.dialect.name == "postgresql":
            for table in _tables():
                name = table.name
                if "id" not in table.c:
                    continue
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))
    return counts


__all__ = ["backup", "restore"]
