"""Whole corpora as a dataset: every report extracted (local processes or Ray tasks), resumable
and incremental, assembled into Parquet tables partitioned by level and year.

Layout of an output folder (``duban batch SRC -o corpus.parquet``)::

    corpus.parquet/reports/level=city/year=2020/part-000.parquet   (and tasks/, quantities/,
                                                                     links/ alike)
                   reports.csv  failures.csv  dataset.json  README.md (codebook, examples)
                   .parts/<key>.json.gz   one per report: its rows, review spans and text
                   .links/<pair>.json.gz  one per pair of consecutive years of a government
                   .index.json  .state.json  what is finished, and what each chunk was made of

Three phases, each run by the same engine: extract every new report (a part each); the
promise check of every new pair; the tables of every chunk whose reports or links changed.
A rerun with nothing new reads the files' hashes and stops. A report's key is the hash of its
bytes, its path below the corpus folder and what a manifest says of it, so a corrected
manifest or a moved file is read again.
"""
from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import DubanError, InputError
from ..ingest import FORMATS
from ._assemble import CHUNK, SCHEMAS, TABLES, Chunk, build_chunk, partition
from ._engine import Engine, Interrupted, interruptible, make_engine
from ._links import link_pair, pair_key
from ._records import PART_VERSION, decode_part, encode_part, report_rows, sanitize_cell
from ._sources import is_remote, list_remote, parent_join, read_text, remote_key

__all__ = ["PHASES", "TABLES", "BatchResult", "Interrupted", "Job", "discover", "run_batch", "scan"]

# what the progress callback is told in the phases after extraction (it is told file paths before)
PHASES = ("兑现检查 promise check", "汇总 tables")

_MANIFEST_FIELDS = ("government", "level", "year")
# flags that make a report a weaker choice among two of one government-year
_DOUBT = {"year_unsure", "year_from_delivery", "government_conflict", "short_text", "no_outline",
          "not_a_work_report"}


@dataclass(frozen=True)
class Job:
    path: str  # a local path or an s3:// URL
    key: str
    given: dict[str, Any]
    size: int = 0
    relative: str = ""  # the path below the corpus folder (what it says of the report)


@dataclass
class BatchResult:
    out: Path
    done: int = 0
    reused: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    megabytes: float = 0.0  # read this run
    input_megabytes: float = 0.0  # the whole corpus
    output_megabytes: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds of each phase
    phase_cpu: dict[str, float] = field(default_factory=dict)  # worker CPU seconds of each phase
    peak_driver_mb: float = 0.0
    peak_worker_mb: float = 0.0
    worker_cpu_s: float = 0.0  # CPU seconds of the worker processes (of the driver with one worker)
    workers_seen: int = 0
    engine_start: float = 0.0
    chunks_built: int = 0
    pairs_checked: int = 0


# ------------------------------------------------------------------ discovery -------------

def discover(source: str) -> list[Job]:
    """Reports of a folder, a glob, a single file, or a manifest CSV (path, government,
    level, year; paths relative to the manifest); local, or under an s3:// prefix."""
    return scan(source)[0]


def scan(source: str) -> tuple[list[Job], dict[str, int]]:
    """(the reports of ``source``, what was passed over and why: files of other types by
    suffix, and files that are no reports such as README.md)."""
    skipped: Counter[str] = Counter()
    rows: list[tuple[str, dict[str, Any], str]] = []
    if source.lower().endswith(".csv") and (is_remote(source) or Path(source).is_file()):
        rows = _manifest(source)
    elif is_remote(source):
        root = source.split("://", 1)[1].rstrip("/")
        for url, size, version in list_remote(source, set(FORMATS)):
            relative = url.split("://", 1)[1][len(root):].lstrip("/") or url.rsplit("/", 1)[-1]
            if _ignored(relative):
                skipped["not a report (README …)"] += 1
                continue
            rows.append((url, {"_listed": (size, version)}, relative))
    elif Path(source).is_dir():
        root_path = Path(source)
        for p in sorted(root_path.rglob("*")):
            if not p.is_file() or any(part.startswith(".") for part in p.relative_to(root_path).parts):
                continue
            relative = p.relative_to(root_path).as_posix()
            if p.suffix.lower() not in FORMATS:
                skipped[p.suffix.lower() or "(no suffix)"] += 1
            elif _ignored(relative):
                skipped["not a report (README …)"] += 1
            else:
                rows.append((str(p), {}, relative))
    elif Path(source).is_file():
        rows = [(source, {}, Path(source).name)]
    else:
        for name in sorted(glob.glob(source, recursive=True)):
            if Path(name).suffix.lower() in FORMATS:
                rows.append((name, {}, name))
            elif Path(name).is_file():
                skipped[Path(name).suffix.lower() or "(no suffix)"] += 1
    if not rows:
        detail = "；跳过 " + "，".join(f"{k} {v} 个" for k, v in skipped.most_common()) if skipped else ""
        raise InputError(source, f"没有找到报告文件 (no reports found){detail}")
    return [_job(path, given, relative) for path, given, relative in rows], dict(skipped)


def _ignored(relative: str) -> bool:
    from ._metadata import ignored_name

    return ignored_name(relative)


def _manifest(source: str) -> list[tuple[str, dict[str, Any], str]]:
    try:
        text = read_text(source)
    except (OSError, UnicodeDecodeError, DubanError) as exc:
        raise InputError(source, f"无法读取清单 (cannot read the manifest): {exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "path" not in reader.fieldnames:
        raise InputError(source, "清单需要 path 列（可选 government、level、year）")
    rows = []
    for line, row in enumerate(reader, 2):
        if not (row.get("path") or "").strip():
            raise InputError(source, f"第{line}行缺少 path")
        given = {k: (row.get(k) or "").strip() for k in _MANIFEST_FIELDS}
        if given["year"] and not given["year"].isdigit():
            raise InputError(source, f"第{line}行 year “{given['year']}” 不是年份")
        relative = row["path"].strip()
        rows.append((parent_join(source, relative), {k: v for k, v in given.items() if v},
                     relative))
    return rows


def _job(path: str, given: dict[str, Any], relative: str) -> Job:
    given = dict(given)
    listed = given.pop("_listed", None)
    size = 0
    said = json.dumps([relative, sorted(given.items())], ensure_ascii=False)
    try:
        if is_remote(path):
            if listed is None:  # a manifest row: ask the store what the object is
                found = list_remote(path, set(FORMATS))
                if not found:
                    raise FileNotFoundError(path)
                _, *listed = found[0]
            size, version = listed
            content = remote_key(path, size, version, PART_VERSION)
        else:
            data = Path(path).read_bytes()
            size = len(data)
            content = hashlib.sha256(data).hexdigest()
        key = hashlib.sha256(f"{content}\n{said}\nv{PART_VERSION}".encode()).hexdigest()[:32]
    except (OSError, InputError) as exc:
        key = f"unreadable-{hashlib.sha256(path.encode()).hexdigest()[:16]}"
        reason = getattr(exc, "strerror", None) or str(exc)
        given["_error"] = f"{path}: 无法读取 (cannot read): {reason}"
    return Job(path, key, given, size, relative)


# ------------------------------------------------------------------ the tasks -------------

def extract_job(job: Job) -> tuple[str, bytes | None, str, dict[str, Any] | None]:
    """(key, the report's part, error, its row) of one report; never raises, so one bad
    file cannot stop a batch."""
    if job.given.get("_error"):
        return job.key, None, job.given["_error"], None
    try:
        part = report_rows(job.path, job.given, job.relative)
    except DubanError as exc:
        return job.key, None, str(exc), None
    except Exception as exc:  # noqa: BLE001 - a worker reports every failure as data
        return job.key, None, f"{job.path}: {type(exc).__name__}: {exc}", None
    return job.key, encode_part(part), "", part["report"]


# ------------------------------------------------------------------ the run ---------------

def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    except (OSError, ValueError):
        return {}


def run_batch(source: str, out: Path, engine: str = "local", workers: int | None = None,
              address: str | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> BatchResult:
    """Extract every report of ``source`` into ``out``; finished reports, pairs and chunks
    are not redone. Ctrl-C or SIGTERM raises Interrupted once the workers are stopped;
    what finished is kept."""
    started = time.perf_counter()
    jobs, skipped = scan(source)
    out.mkdir(parents=True, exist_ok=True)
    for folder in (".parts", ".links"):
        (out / folder).mkdir(exist_ok=True)
        for stale in (out / folder).glob(".*.partial"):  # left by a run that was killed
            stale.unlink()
    index: dict[str, dict[str, Any]] = _load_json(out / ".index.json")
    todo = [j for j in jobs if not (out / ".parts" / f"{j.key}.json.gz").exists()]
    result = BatchResult(out, reused=len(jobs) - len(todo), skipped=skipped)
    result.megabytes = sum(j.size for j in todo) / 1e6
    result.input_megabytes = sum(j.size for j in jobs) / 1e6
    errors: dict[str, tuple[str, str]] = {}
    tell = progress or (lambda done, total, label: None)
    runner: Engine | None = None
    try:
        with interruptible():
            if todo:
                runner = make_engine(engine, workers, address)
                result.engine_start = runner.started
            _extract(runner, jobs, todo, out, index, errors, result, tell)
            _phase(result, "extract", runner, started)
            plan = _plan(jobs, index)
            mark = time.perf_counter()
            runner = _links(runner, engine, workers, address, plan, out, result, tell)
            _phase(result, "links", runner, mark)
            mark = time.perf_counter()
            runner = _chunks(runner, engine, workers, address, plan, out, result, tell)
            _phase(result, "assemble", runner, mark)
    except Interrupted:
        if runner is not None:
            runner.stop()
        _save_index(out, index)
        raise
    finally:
        if runner is not None:
            _close(runner)
    _save_index(out, index)
    result.failures = sorted(errors.values())
    _finish(out, jobs, index, plan, result)
    if runner is not None:
        result.peak_worker_mb = max(runner.peaks.workers.values(), default=0.0)
        result.worker_cpu_s = sum(runner.peaks.cpu.values())
        result.workers_seen = len(runner.peaks.workers)
    result.peak_driver_mb = runner.peaks.driver() if runner is not None else 0.0
    result.seconds = time.perf_counter() - started
    result.output_megabytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    return result


def _phase(result: BatchResult, name: str, runner: Engine | None, began: float) -> None:
    result.phases[name] = time.perf_counter() - began
    spent = sum(runner.peaks.cpu.values()) if runner is not None else 0.0
    result.phase_cpu[name] = spent - sum(result.phase_cpu.values())


def _close(runner: Engine) -> None:
    close = getattr(runner, "close", None)
    if close is not None:
        close()


def _engine_for(runner: Engine | None, engine: str, workers: int | None,
                address: str | None, result: BatchResult) -> Engine:
    if runner is None:
        runner = make_engine(engine, workers, address)
        result.engine_start = runner.started
    return runner


def _extract(runner: Engine | None, jobs: list[Job], todo: list[Job], out: Path,
             index: dict[str, dict[str, Any]], errors: dict[str, tuple[str, str]],
             result: BatchResult, tell: Callable[[int, int, str], None]) -> None:
    by_key = {j.key: j for j in todo}
    finished = result.reused
    tell(finished, len(jobs), "")
    if runner is not None:
        for key, payload, error, row in runner.run((extract_job, (job,)) for job in todo):
            finished += 1
            if payload is None:
                errors[key] = (by_key[key].path, error)
            else:
                _write(out / ".parts" / f"{key}.json.gz", payload)
                index[key] = row or {}
                result.done += 1
            tell(finished, len(jobs), by_key[key].path)
    for job in jobs:  # a part finished by a run that was stopped before it saved the index
        part = out / ".parts" / f"{job.key}.json.gz"
        if job.key not in index and part.exists():
            index[job.key] = decode_part(part.read_bytes())["report"]


def _save_index(out: Path, index: dict[str, dict[str, Any]]) -> None:
    _write(out / ".index.json", json.dumps(index, ensure_ascii=False).encode())


@dataclass
class _Plan:
    rows: dict[str, dict[str, Any]]  # part key -> report row (with what the others say)
    extra: dict[str, dict[str, Any]]
    pairs: dict[str, tuple[str, str]]  # pair key -> (key of year N, key of year N+1)
    chunks: list[Chunk]


def _plan(jobs: list[Job], index: dict[str, dict[str, Any]]) -> _Plan:
    """Duplicates of one government-year (flagged, one preferred), the pairs of consecutive
    years, and the chunks of every partition."""
    keys = list(dict.fromkeys(j.key for j in jobs if j.key in index))
    rows = {k: index[k] for k in keys}
    extra: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for key in keys:
        row = rows[key]
        if row.get("government") and row.get("year") and "not_a_work_report" not in row["flags"]:
            groups[(row["government"], row["year"])].append(key)
    primaries: dict[tuple[str, int], str] = {}
    for group, members in groups.items():
        members.sort(key=lambda k: (len(_DOUBT & set(rows[k]["flags"].split())),
                                    -rows[k]["chars"], rows[k]["path"], k))
        primaries[group] = members[0]
        if len(members) > 1:
            first = rows[members[0]]
            for k in members:
                flags = " ".join(dict.fromkeys(rows[k]["flags"].split() + ["duplicate"]))
                extra[k] = {"flags": flags, "preferred": k == members[0],
                            "duplicate_of": "" if k == members[0] else first["report_id"]}
    pairs = {}
    for (government, year), key in primaries.items():
        later = primaries.get((government, year + 1))
        if later is not None:
            pairs[pair_key(key, later)] = (key, later)
    pairs_of = defaultdict(list)
    for pkey, (first_key, _) in pairs.items():
        pairs_of[first_key].append(pkey)
    by_partition: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_partition[partition(rows[key]["level"], rows[key]["year"])].append(key)
    chunks = []
    for name in sorted(by_partition):
        members = sorted(by_partition[name], key=lambda k: (rows[k]["government"], rows[k]["path"], k))
        for i in range(0, len(members), CHUNK):
            part = members[i:i + CHUNK]
            chunks.append(Chunk(f"{name}/part-{i // CHUNK:03d}", part,
                                {k: extra[k] for k in part if k in extra},
                                sorted(p for k in part for p in pairs_of[k])))
    merged = {k: {**rows[k], **extra.get(k, {})} for k in keys}
    return _Plan(merged, extra, pairs, chunks)


def _links(runner: Engine | None, engine: str, workers: int | None, address: str | None,
           plan: _Plan, out: Path, result: BatchResult,
           tell: Callable[[int, int, str], None]) -> Engine | None:
    folder = out / ".links"
    todo = [k for k in sorted(plan.pairs) if not (folder / f"{k}.json.gz").exists()]
    if not todo:
        return runner
    runner = _engine_for(runner, engine, workers, address, result)

    def tasks() -> Iterator[tuple[Callable[..., Any], tuple[Any, ...]]]:
        for k in todo:
            first, second = plan.pairs[k]
            yield link_pair, (k, (out / ".parts" / f"{first}.json.gz").read_bytes(),
                              (out / ".parts" / f"{second}.json.gz").read_bytes())

    for done, (k, payload) in enumerate(runner.run(tasks()), 1):
        _write(folder / f"{k}.json.gz", payload)
        result.pairs_checked += 1
        tell(done, len(todo), PHASES[0])
    return runner


def _chunks(runner: Engine | None, engine: str, workers: int | None, address: str | None,
            plan: _Plan, out: Path, result: BatchResult,
            tell: Callable[[int, int, str], None]) -> Engine | None:
    state = _load_json(out / ".state.json")
    wanted = {c.name: c for c in plan.chunks}
    todo = [c for c in plan.chunks
            if state.get(c.name, {}).get("signature") != c.signature()
            or not all((out / t / c.name).with_suffix(".parquet").exists() for t in TABLES)]
    for name in [n for n in state if n not in wanted]:  # chunks that are no more
        for table in TABLES:
            (out / table / name).with_suffix(".parquet").unlink(missing_ok=True)
        del state[name]
    if todo:
        runner = _engine_for(runner, engine, workers, address, result)

        def tasks() -> Iterator[tuple[Callable[..., Any], tuple[Any, ...]]]:
            for c in todo:
                parts = [(k, (out / ".parts" / f"{k}.json.gz").read_bytes()) for k in c.keys]
                links = [(out / ".links" / f"{p}.json.gz").read_bytes() for p in c.pairs]
                yield build_chunk, (c.name, c.extra, parts, links)

        try:
            for done, (name, tables, counts) in enumerate(runner.run(tasks()), 1):
                for table, data in tables.items():
                    target = (out / table / name).with_suffix(".parquet")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _write(target, data)
                state[name] = {"signature": wanted[name].signature(), "counts": counts}
                result.chunks_built += 1
                tell(done, len(todo), PHASES[1])
        finally:
            _write(out / ".state.json", json.dumps(state, indent=0, sort_keys=True).encode())
    _remove_empty_folders(out)
    result.counts = {t: sum(s.get("counts", {}).get(t, 0) for s in state.values()) for t in TABLES}
    return runner


def _remove_empty_folders(out: Path) -> None:
    for table in TABLES:
        root = out / table
        if not root.exists():
            continue
        for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()


def _finish(out: Path, jobs: list[Job], index: dict[str, dict[str, Any]], plan: _Plan,
            result: BatchResult) -> None:
    """reports.csv (every report, its level and year, its flags), failures.csv, the summary
    dataset.json and the dataset's README.md."""
    from ._codebook import dataset_readme

    columns = ["level", "year"] + [c for c, _, _ in SCHEMAS["reports"]]
    rows = sorted(plan.rows.values(), key=lambda r: (r["level"], r["year"] or 0,
                                                      r["government"], r["path"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([sanitize_cell(v) if isinstance(v, str) else ("" if v is None else v)
                         for v in (row.get(c) for c in columns)])
    _write(out / "reports.csv", ("\ufeff" + buffer.getvalue()).encode())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["path", "error"])
    writer.writerows((sanitize_cell(p), sanitize_cell(e)) for p, e in result.failures)
    _write(out / "failures.csv", ("\ufeff" + buffer.getvalue()).encode())
    flags = Counter(f for r in rows for f in r["flags"].split())
    summary = {
        "reports": len(rows), "tables": result.counts, "failures": len(result.failures),
        "files": len(jobs), "skipped": result.skipped, "flags": dict(sorted(flags.items())),
        "duplicates": sum(1 for r in rows if r.get("duplicate_of")),
        "pairs": len(plan.pairs), "chunks": len(plan.chunks),
        "versions": {"part": PART_VERSION}, "layout": "<table>/level=<level>/year=<year>/part-NNN.parquet",
    }
    _write(out / "dataset.json", json.dumps(summary, ensure_ascii=False, indent=1).encode())
    _write(out / "README.md", dataset_readme(summary).encode())
