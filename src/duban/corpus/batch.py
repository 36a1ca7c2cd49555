"""Whole corpora as a dataset: every report extracted (local processes or Ray tasks), resumable,
assembled into Parquet and CSV tables of reports, tasks, quantities and promise-check links.

Layout of an output folder (``duban batch SRC -o corpus.parquet``)::

    corpus.parquet/reports.parquet  tasks.parquet  quantities.parquet  links.parquet
                   reports.csv      tasks.csv      quantities.csv      links.csv
                   failures.csv     dataset.json   .parts/<file key>.json  (one per report)
"""
from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import DubanError, InputError
from ..ingest import FORMATS
from ..models import Quantity
from ..track.promise import link_quantities
from ._records import PART_VERSION, file_key, original_text, report_rows, sanitize_cell
from ._sources import is_remote, list_remote, parent_join, read_text, remote_key

TABLES = ("reports", "tasks", "quantities", "links")


@dataclass(frozen=True)
class Job:
    path: str  # a local path or an s3:// URL
    key: str
    given: dict[str, Any]
    size: int = 0


@dataclass
class BatchResult:
    out: Path
    done: int = 0
    reused: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    megabytes: float = 0.0


def discover(source: str) -> list[Job]:
    """Reports of a folder, a glob, a single file, or a manifest CSV (path, government,
    level, year; paths relative to the manifest); local, or under an s3:// prefix."""
    rows: list[tuple[str, dict[str, Any]]] = []
    if source.lower().endswith(".csv") and (is_remote(source) or Path(source).is_file()):
        rows = _manifest(source)
    elif is_remote(source):
        rows = [(url, {"_listed": (size, version)})
                for url, size, version in list_remote(source, set(FORMATS))]
    elif Path(source).is_dir():
        rows = [(str(p), {}) for p in sorted(Path(source).rglob("*"))
                if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith(".")]
    elif Path(source).is_file():
        rows = [(source, {})]
    else:
        rows = [(p, {}) for p in sorted(glob.glob(source, recursive=True))
                if Path(p).suffix.lower() in FORMATS]
    if not rows:
        raise InputError(source, "没有找到报告文件 (no reports found)")
    return [_job(path, given) for path, given in rows]


def _manifest(source: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        text = read_text(source)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, f"无法读取清单 (cannot read the manifest): {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "path" not in reader.fieldnames:
        raise InputError(source, "清单需要 path 列（可选 government、level、year）")
    rows = []
    for line, row in enumerate(reader, 2):
        if not row.get("path"):
            raise InputError(source, f"第{line}行缺少 path")
        given = {k: (row.get(k) or "").strip() for k in ("government", "level", "year")}
        if given["year"] and not given["year"].isdigit():
            raise InputError(source, f"第{line}行 year “{given['year']}” 不是年份")
        rows.append((parent_join(source, row["path"].strip()), given))
    return rows


def _job(path: str, given: dict[str, Any]) -> Job:
    given = dict(given)
    listed = given.pop("_listed", None)
    size = 0
    try:
        if is_remote(path):
            if listed is None:  # a manifest row: ask the store what the object is
                found = list_remote(path, set(FORMATS))
                if not found:
                    raise FileNotFoundError(path)
                _, *listed = found[0]
            size, version = listed
            key = remote_key(path, size, version, PART_VERSION)
        else:
            key = file_key(Path(path))
            size = Path(path).stat().st_size
    except (OSError, InputError) as exc:
        key = f"unreadable-{hashlib.sha256(path.encode()).hexdigest()[:16]}"
        reason = getattr(exc, "strerror", None) or str(exc)
        given["_error"] = f"{path}: 无法读取 (cannot read): {reason}"
    return Job(path, key, given, size)


def _work(job: Job) -> tuple[str, dict[str, Any] | None, str]:
    """(key, rows, error) of one report; never raises, so one bad file cannot stop a batch."""
    if job.given.get("_error"):
        return job.key, None, job.given["_error"]
    try:
        return job.key, report_rows(job.path, job.given), ""
    except DubanError as exc:
        return job.key, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a worker reports every failure as data
        return job.key, None, f"{job.path}: {type(exc).__name__}: {exc}"


def _write_part(parts: Path, key: str, rows: dict[str, Any]) -> None:
    partial = parts / f".{key}.json.partial"
    partial.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    partial.replace(parts / f"{key}.json")


def run_batch(source: str, out: Path, engine: str = "local", workers: int | None = None,
              address: str | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> BatchResult:
    """Extract every report of ``source`` into ``out``; finished reports are not redone."""
    started = time.perf_counter()
    jobs = discover(source)
    out.mkdir(parents=True, exist_ok=True)
    parts = out / ".parts"
    parts.mkdir(exist_ok=True)
    todo = [j for j in jobs if not (parts / f"{j.key}.json").exists()]
    result = BatchResult(out, reused=len(jobs) - len(todo))
    result.megabytes = sum(j.size for j in todo) / 1e6
    errors: dict[str, tuple[str, str]] = {}
    total = len(jobs)
    finished = result.reused
    if progress:
        progress(finished, total, "")

    def collect(key: str, rows: dict[str, Any] | None, error: str, path: str) -> None:
        nonlocal finished
        finished += 1
        if rows is None:
            errors[key] = (path, error)
        else:
            _write_part(parts, key, rows)
            result.done += 1
        if progress:
            progress(finished, total, path)

    by_key = {j.key: j for j in todo}
    if engine == "ray":
        _run_ray(todo, workers, address, collect, by_key)
    elif engine == "local":
        _run_local(todo, workers, collect, by_key)
    else:
        raise ValueError(f"未知引擎 {engine}（local 或 ray）")
    result.failures = sorted(errors.values())
    result.counts = assemble(out, jobs, result.failures)
    result.seconds = time.perf_counter() - started
    return result


def _run_local(todo: list[Job], workers: int | None, collect: Callable[..., None],
               by_key: dict[str, Job]) -> None:
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(todo) <= 1:
        for job in todo:
            collect(*_work(job), job.path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = {pool.submit(_work, job) for job in todo}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                key, rows, error = future.result()
                collect(key, rows, error, by_key[key].path)


def _run_ray(todo: list[Job], workers: int | None, address: str | None,
             collect: Callable[..., None], by_key: dict[str, Job]) -> None:
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "ignore_reinit_error": True}
        if address:
            options["address"] = address
        elif workers:
            options["num_cpus"] = workers
        ray.init(**options)
    try:
        remote = ray.remote(_work)
        pending = [remote.remote(job) for job in todo]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                key, rows, error = ray.get(ref)
                collect(key, rows, error, by_key[key].path)
    finally:
        if started_here:
            ray.shutdown()


def _load_parts(out: Path, jobs: list[Job]) -> list[dict[str, Any]]:
    rows = []
    for job in jobs:
        part = out / ".parts" / f"{job.key}.json"
        if part.exists():
            rows.append(json.loads(part.read_text(encoding="utf-8")))
    # the same order whatever the engine and whatever finished first
    rows.sort(key=lambda r: (r["report"]["government"], r["report"]["year"] or 0, r["report"]["path"]))
    return rows


def _quantity(row: dict[str, Any]) -> Quantity:
    return Quantity(start=row["start"], end=row["end"], quote=row["quote"], value=row["value"],
                    unit=row["unit"], comparator=row["comparator"], role=row["role"],
                    indicator=row["indicator"], upper=row["upper"])


def promise_links(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Links for every pair of consecutive years of one government."""
    by_year = {(p["report"]["government"], p["report"]["year"]): p for p in parts
               if p["report"]["government"] and p["report"]["year"]}
    links = []
    for (government, year), first in sorted(by_year.items()):
        second = by_year.get((government, year + 1))
        if second is None:
            continue
        targets = [_quantity(q) for q in first["quantities"] if q["role"] == "target"]
        outcomes = [_quantity(q) for q in second["quantities"] if q["role"] == "achievement"]
        text = original_text(second["report"]["path"])
        for i, link in enumerate(link_quantities(targets, outcomes, text)):
            t, o = link.target, link.outcome
            links.append({
                "government": government, "year": year, "index": i,
                "target_report_id": first["report"]["report_id"],
                "outcome_report_id": second["report"]["report_id"],
                "target_start": t.start, "target_end": t.end, "target_quote": t.quote,
                "indicator": t.indicator, "target_value": t.value, "target_unit": t.unit,
                "comparator": t.comparator,
                "outcome_start": o.start if o else None, "outcome_end": o.end if o else None,
                "outcome_quote": o.quote if o else "", "outcome_indicator": o.indicator if o else "",
                "outcome_value": o.value if o else None, "verdict": link.verdict,
                "reason": link.reason})
    return links


def assemble(out: Path, jobs: list[Job], failures: list[tuple[str, str]]) -> dict[str, int]:
    """The dataset's tables from the finished parts: Parquet, CSV, and a summary."""
    parts = _load_parts(out, jobs)
    tables: dict[str, list[dict[str, Any]]] = {
        "reports": [p["report"] for p in parts],
        "tasks": [t for p in parts for t in p["tasks"]],
        "quantities": [q for p in parts for q in p["quantities"]],
        "links": promise_links(parts),
    }
    for name, rows in tables.items():
        _write_table(out, name, rows)
    with (out / "failures.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "error"])
        writer.writerows(failures)
    counts = {name: len(rows) for name, rows in tables.items()}
    (out / "dataset.json").write_text(json.dumps(
        {"tables": counts, "failures": len(failures), "reports": len(jobs)},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return counts


_SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "reports": [("report_id", "str"), ("path", "str"), ("file", "str"), ("government", "str"),
                ("level", "str"), ("year", "int"), ("format", "str"), ("chars", "int"),
                ("parts", "int"), ("review_parts", "int"), ("targets", "int"),
                ("achievements", "int"), ("tasks", "int"), ("terms", "int"), ("warnings", "str")],
    "tasks": [("report_id", "str"), ("index", "int"), ("start", "int"), ("end", "int"),
              ("quote", "str"), ("kind", "str"), ("section", "str"), ("lead", "str"),
              ("co", "str"), ("confidence", "float"), ("quantities", "int")],
    "quantities": [("report_id", "str"), ("index", "int"), ("start", "int"), ("end", "int"),
                   ("quote", "str"), ("role", "str"), ("value", "float"), ("upper", "float"),
                   ("unit", "str"), ("comparator", "str"), ("indicator", "str"),
                   ("modality", "str"), ("rule", "str"), ("role_rule", "str")],
    "links": [("government", "str"), ("year", "int"), ("index", "int"),
              ("target_report_id", "str"), ("outcome_report_id", "str"),
              ("target_start", "int"), ("target_end", "int"), ("target_quote", "str"),
              ("indicator", "str"), ("target_value", "float"), ("target_unit", "str"),
              ("comparator", "str"), ("outcome_start", "int"), ("outcome_end", "int"),
              ("outcome_quote", "str"), ("outcome_indicator", "str"), ("outcome_value", "float"),
              ("verdict", "str"), ("reason", "str")],
}


def _write_table(out: Path, name: str, rows: Iterable[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    schema = pa.schema([(column, kinds[kind]) for column, kind in _SCHEMAS[name]])
    columns = {column: [row.get(column) for row in rows] for column, _ in _SCHEMAS[name]}
    table = pa.table(columns, schema=schema)
    partial = out / f".{name}.parquet.partial"
    pq.write_table(table, partial)
    partial.replace(out / f"{name}.parquet")
    partial_csv = out / f".{name}.csv.partial"
    with partial_csv.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column for column, _ in _SCHEMAS[name]])
        for row in rows:
            writer.writerow([sanitize_cell(v) if isinstance(v, str) else ("" if v is None else v)
                             for v in (row.get(c) for c, _ in _SCHEMAS[name])])
    partial_csv.replace(out / f"{name}.csv")
