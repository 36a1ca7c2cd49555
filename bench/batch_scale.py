"""Benchmark: `duban batch` over a whole corpus (the lawtext/gov layout, <folder>/<place>/<year>.md),
read from the folder the environment variable DUBAN_GOV_CORPUS names (never committed).

Each run is its own process, from an empty output folder unless it is a rerun; it includes
the promise check and the tables. Measured: wall time, CPU time, reports/s, peak memory of
the driver and of every worker process, output size against input size; the headline check
(agreement of the dataset's GDP growth target with a regex for the report's own target
sentence); identical output between engines.

    DUBAN_GOV_CORPUS=/work/gov .venv/bin/python bench/batch_scale.py                 # local 2 workers + rerun
    DUBAN_GOV_CORPUS=/work/gov .venv/bin/python bench/batch_scale.py --all           # + 1 worker, Ray 1/2, cluster
    ... --sample 400    # throughput runs (1 worker, Ray) on every Nth report, to save time

Results are written to bench/results/batch_scale.md and .json beside this file.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
_WIDE = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)} | {"％": "%", "．": "."})
# a report's list of main targets and its GDP growth target (as tests/test_corpus_headlines.py)
_LIST = re.compile(r"(?:预期目标|主要目标)(?:是|为|：|:|\s*\n)")
_GDP = re.compile(r"(?:^|[：:，,；;。\s]|今年|全年|全省|全市|全区|全州|全国)(?:国内生产总值|地区生产总值|生产总值|经济)"
                  r"(?:预期)?按?(?:增长|增速)(?:速度)?(?:的)?(?:预期目标|目标)?(?:为|是|定为)?\s*"
                  r"(\d+(?:\.\d+)?)(?:%|[－—~-]\d+(?:\.\d+)?%)")


def one(engine: str, workers: int, source: str, out: str, address: str | None) -> None:
    """Run one batch in this process and print its figures as JSON."""
    from duban.corpus import run_batch

    cpu = time.process_time()
    result = run_batch(source, Path(out), engine, workers, address)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "engine": engine, "workers": workers, "seconds": result.seconds, "done": result.done,
        "reused": result.reused, "failures": len(result.failures), "counts": result.counts,
        "phases": result.phases, "phase_cpu": result.phase_cpu, "engine_start": result.engine_start,
        "input_mb": result.input_megabytes, "output_mb": result.output_megabytes,
        "peak_driver_mb": result.peak_driver_mb, "peak_worker_mb": result.peak_worker_mb,
        "workers_seen": result.workers_seen, "chunks_built": result.chunks_built,
        "pairs_checked": result.pairs_checked, "skipped": result.skipped,
        "cpu_driver_s": time.process_time() - cpu, "cpu_workers_s": result.worker_cpu_s,
        "cpu_children_s": children.ru_utime + children.ru_stime}))


def run(engine: str, workers: int, source: str, out: Path, address: str | None = None,
        fresh: bool = True) -> dict:
    if fresh and out.exists():
        shutil.rmtree(out)
    load = os.getloadavg()[0]
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    command = [sys.executable, __file__, "--one", engine, str(workers), source, str(out)]
    if address:
        command.append(address)
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load_before"] = round(load, 2)
    figures["uptime_before"] = uptime
    # what contention does not change: CPU seconds per item of each phase
    # one local worker runs the tasks in the driver itself: its CPU is the driver's
    inline = engine == "local" and workers == 1
    cpu = figures["cpu_driver_s"] + (0.0 if inline else figures["cpu_workers_s"])
    figures["cpu_s_per_report"] = round(cpu / figures["done"], 4) if figures["done"] else None
    per = {"extract": figures["done"], "links": figures["pairs_checked"], "assemble": figures["chunks_built"]}
    figures["phase_cpu_per_item"] = {k: round(v / per[k], 4) for k, v in figures["phase_cpu"].items()
                                     if per.get(k)}
    rate = figures["done"] / figures["seconds"] if figures["seconds"] else 0.0
    print(f"{engine:7} workers={workers}: {figures['seconds']:6.1f} s wall "
          f"(extract {figures['phases'].get('extract', 0):.1f}, links {figures['phases'].get('links', 0):.1f}, "
          f"tables {figures['phases'].get('assemble', 0):.1f}; engine start {figures['engine_start']:.1f} s; "
          f"worker CPU by phase {', '.join(f'{k} {v:.0f}' for k, v in figures['phase_cpu'].items())} s), "
          f"{rate:5.1f} reports/s, cpu driver {figures['cpu_driver_s']:.0f} s + workers {figures['cpu_workers_s']:.0f} s, "
          f"peak driver {figures['peak_driver_mb']:.0f} MB / worker {figures['peak_worker_mb']:.0f} MB, "
          f"output {figures['output_mb']:.0f} MB for {figures['input_mb']:.0f} MB, "
          f"CPU s per report {figures['cpu_s_per_report']}, per item {figures['phase_cpu_per_item']} "
          f"({uptime})",
          flush=True)
    return figures


def sample_corpus(corpus: Path, every: int, into: Path) -> str:
    """Every report of every Nth government of the corpus, linked in the same layout (for
    throughput runs; whole governments, so that the promise check has its pairs)."""
    files = sorted(p for p in corpus.rglob("*.md") if not p.name.lower().startswith("readme"))
    places = sorted({p.parent for p in files})[::every]
    for p in (f for f in files if f.parent in places):
        target = into / p.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(p)
    return str(into)


def headline_agreement(out: Path) -> dict:
    """Of the reports whose list of main targets states a GDP growth target (by a regex of
    its own), how many give that figure as their gdp_growth target in the dataset (the one
    in the list of main targets, else the first)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    scheme = ds.partitioning(pa.schema([("level", pa.string()), ("year", pa.int64())]), flavor="hive")
    quantities = ds.dataset(out / "quantities", partitioning=scheme).to_table(
        columns=["report_id", "index", "value", "role", "standard", "period", "in_target_list"],
        filter=(ds.field("standard") == "gdp_growth") & (ds.field("role") == "target")).to_pylist()
    reports = ds.dataset(out / "reports", partitioning=scheme).to_table(
        columns=["report_id", "path", "level", "flags"]).to_pylist()
    return _agreement(quantities, reports)


def headline_agreement_of_parts(out: Path) -> dict:
    """The same from the finished parts of an output folder (``.parts/``) alone, each
    quantity coded again with today's taxonomy (for a run stopped before its tables)."""
    from duban.corpus._records import decode_part
    from duban.track.taxonomy import standard_indicator

    quantities, reports = [], []
    for path in sorted((out / ".parts").glob("*.json.gz")):
        part = decode_part(path.read_bytes())
        reports.append(part["report"])
        quantities += [q for q in part["quantities"] if q["role"] == "target"
                       and standard_indicator(q["indicator"], q["unit"]) == "gdp_growth"]
    return _agreement(quantities, reports)


def _agreement(quantities: list[dict], reports: list[dict]) -> dict:
    first: dict[str, float] = {}
    for q in sorted(quantities, key=lambda q: (q["report_id"], not q["in_target_list"], q["index"])):
        if q["period"] != "multi_year":
            first.setdefault(q["report_id"], q["value"])
    by_level: dict[str, list[int]] = {}
    misses = []
    for r in reports:
        text = Path(r["path"]).read_text(encoding="utf-8").translate(_WIDE)
        stated = None
        for start in _LIST.finditer(text):
            match = _GDP.search(text[max(0, start.start() - 80):start.start() + 1000])
            if match:
                stated = float(match.group(1))
                break
        if stated is None:
            continue
        counts = by_level.setdefault(r["level"], [0, 0])
        counts[1] += 1
        if first.get(r["report_id"]) == stated:
            counts[0] += 1
        else:
            misses.append((r["path"], stated, first.get(r["report_id"])))
    agree = sum(c[0] for c in by_level.values())
    stated_n = sum(c[1] for c in by_level.values())
    return {"agree": agree, "stated": stated_n, "share": agree / stated_n if stated_n else 0.0,
            "by_level": by_level, "misses": misses[:40]}


def same_output(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*.parquet"))
    return files == sorted(p.relative_to(b) for p in b.rglob("*.parquet")) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--agreement-of-parts"]:  # DIR: a stopped run's parts
        print(json.dumps(headline_agreement_of_parts(Path(argv[1])), ensure_ascii=False, indent=1))
        return 0
    if argv[:1] == ["--one"]:
        one(argv[1], int(argv[2]), argv[3], argv[4], argv[5] if len(argv) > 5 else None)
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="also 1 worker, Ray at 1 and 2, a cluster address")
    parser.add_argument("--sample", type=int, default=0, help="throughput runs on every Nth government")
    parser.add_argument("--sample-only", action="store_true",
                        help="every run on the sample (a busy machine: the whole corpus takes too long)")
    args = parser.parse_args(argv)
    corpus = os.environ.get("DUBAN_GOV_CORPUS")
    if not corpus or not Path(corpus).is_dir():
        raise SystemExit("set DUBAN_GOV_CORPUS to the corpus folder (e.g. /work/gov)")
    scratch = Path(tempfile.mkdtemp(prefix="duban-bench-"))
    figures: dict[str, object] = {"corpus": corpus, "cores": os.cpu_count(),
                                  "date": time.strftime("%Y-%m-%d %H:%M")}
    try:
        main_out = scratch / "local2"
        whole = corpus
        if args.sample and args.sample_only:
            corpus = sample_corpus(Path(corpus), args.sample, scratch / "sample")
            figures["sample"] = args.sample
        figures["local_2"] = run("local", 2, corpus, main_out)
        figures["rerun"] = run("local", 2, corpus, main_out, fresh=False)
        figures["headline"] = headline_agreement(main_out)
        h = figures["headline"]
        print(f"headline check: {h['agree']}/{h['stated']} GDP growth targets agree ({h['share']:.1%}) "
              f"{h['by_level']}", flush=True)
        if args.all:
            source = corpus
            if args.sample and not args.sample_only:
                source = sample_corpus(Path(corpus), args.sample, scratch / "sample")
                figures["sample"] = args.sample
                figures["sample_local_2"] = run("local", 2, source, scratch / "s-local2")
            figures["local_1"] = run("local", 1, source, scratch / "local1")
            figures["ray_1"] = run("ray", 1, source, scratch / "ray1")
            figures["ray_2"] = run("ray", 2, source, scratch / "ray2")
            figures["cluster"] = _cluster(source, scratch / "cluster")
            reference = scratch / ("s-local2" if args.sample and not args.sample_only else "local2")
            figures["identical"] = {name: same_output(reference, scratch / name)
                                    for name in ("local1", "ray1", "ray2", "cluster")
                                    if (scratch / name).exists()}
            print("identical output:", figures["identical"], flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    name = "batch_scale_sample.json" if args.sample_only else "batch_scale.json"
    figures["whole_corpus"] = whole
    (RESULTS / name).write_text(json.dumps(figures, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    print(f"written: {RESULTS / name}")
    return 0


def _cluster(source: str, out: Path) -> dict | None:
    """A Ray head started on its own (as a cluster would be) and the batch sent to its
    address: the same tasks as on a local instance. The head keeps its files in a folder of
    its own (RAY_TMPDIR), so no other program on the machine finds it and joins it; it is
    stopped by its process group, never by name."""
    import signal
    import socket

    ray = shutil.which("ray") or str(Path(sys.executable).with_name("ray"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ.copy()
    env["RAY_TMPDIR"] = tempfile.mkdtemp(prefix="duban-ray-")
    head = subprocess.Popen([ray, "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
                             "--include-dashboard=false", "--disable-usage-stats"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    try:
        time.sleep(8)  # the head's services come up
        os.environ["RAY_TMPDIR"] = env["RAY_TMPDIR"]
        return run("ray", 2, source, out, address=f"127.0.0.1:{port}")
    finally:
        os.environ.pop("RAY_TMPDIR", None)
        os.killpg(head.pid, signal.SIGTERM)
        try:
            head.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
        shutil.rmtree(env["RAY_TMPDIR"], ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
