"""Benchmark: the user's path, ``duban extract --format json -o OUT`` over a whole corpus.

In one process on one core, start-up excluded (the rule data is loaded before the clock
starts, as it is once per command): per report, the file is read, ``duban.analyse`` runs
(repair, outline, quantities, tasks, suggested departments of the district catalogue) and
``export.write`` writes its JSON file. Each repeat times, side by side:

- user path: all of the above, the figure the goal (>= 10 MB/s) is about, and within it the
  time spent writing the JSON files (to_json, encoding, the file written);
- extraction alone (``analyse(path, assign=False)``), run right after; the departments are
  the rest of the user path;
- the yardstick: a bare number+unit regex scan of the same texts, already in memory.

Prints the date, the machine and the commit, then the median (and range) of N repeats in
MB/s (UTF-8 bytes of input per second of wall time, one core) and the peak RSS.
``--profile`` instead runs the user path once under cProfile and prints the costliest
functions.

Usage: python bench/extract_user_path.py [CORPUS_DIR] [--repeat N] [--profile]
"""
from __future__ import annotations

import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import subprocess
import time
from datetime import datetime
from pathlib import Path

from duban.assign import load_catalogue
from duban.export import write
from duban.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
_BARE = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:%|元|人|个|所|公里|平方米|亩|吨|户|家|项|条)")


def user_path(files: list[Path], out: Path, spent: list[float] | None = None) -> int:
    """What the command does after start-up: one catalogue, then read, analyse, write.
    ``spent`` collects the seconds spent writing the JSON files (to_json, encode, write)."""
    catalogue = load_catalogue("district")
    items = 0
    clock = time.perf_counter
    for path in files:
        result = analyse(path, catalogue=catalogue)
        start = clock()
        write(result, out, path.stem, "json")
        if spent is not None:
            spent.append(clock() - start)
        items += len(result.quantities) + len(result.tasks)
    return items


def extraction_only(files: list[Path]) -> None:
    for path in files:
        analyse(path, assign=False)


def main(argv: list[str]) -> int:
    args = [a for i, a in enumerate(argv)
            if not a.startswith("--") and (i == 0 or argv[i - 1] != "--repeat")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 7
    corpus = Path(args[0]) if args else ROOT.parent / "shared/corpus/raw"
    files = sorted(corpus.glob("*.txt"))
    if not files:
        print(f"no *.txt reports in {corpus}")
        return 2
    size = sum(p.stat().st_size for p in files)
    texts = [p.read_text(encoding="utf-8") for p in files]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        user_path(files[:1], out)  # load the rule data once, as the command does at start-up
        if "--profile" in argv:
            return _profile(files, out)
        times: dict[str, list[float]] = {k: [] for k in
                                         ("user", "extract", "departments", "json", "regex")}
        items = hits = 0
        for _ in range(repeat):
            writing: list[float] = []
            start = time.perf_counter()
            items = user_path(files, out, writing)
            times["user"].append(time.perf_counter() - start)
            times["json"].append(sum(writing))
            start = time.perf_counter()
            extraction_only(files)
            times["extract"].append(time.perf_counter() - start)
            # what the user path spent neither extracting nor writing: the departments
            times["departments"].append(max(times["user"][-1] - times["json"][-1]
                                            - times["extract"][-1], 1e-9))
            start = time.perf_counter()
            hits = sum(len(_BARE.findall(t)) for t in texts)
            times["regex"].append(time.perf_counter() - start)
        written = sum(f.stat().st_size for f in out.glob("*.json"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = size / 1e6
    print(_context())
    print(f"corpus: {len(files)} reports, {mb:.2f} MB; {items} quantities+tasks; "
          f"{written / 1e6:.1f} MB of JSON written; median (min-max) of {repeat} repeats")
    labels = {
        "user": "user path (read, analyse, departments, JSON files)",
        "extract": "  extraction (read, repair, outline, quantities, tasks)*",
        "departments": "  departments (user path - extraction - JSON files)",
        "json": "  JSON files (to_json, encoding, writing), in the user path",
        "regex": "bare regex scan of the same texts (yardstick)",
    }
    for key, label in labels.items():
        median, low, high = statistics.median(times[key]), min(times[key]), max(times[key])
        extra = f" ({hits} hits)" if key == "regex" else ""
        print(f"{label:<62} {median:7.3f} s  {mb / median:7.1f} MB/s"
              f"  ({mb / high:.1f}-{mb / low:.1f}){extra}")
    print(f"{'peak RSS':<62} {peak_mb:7.0f} MB")
    print("* timed on its own, right after the user path (analyse(path, assign=False))")
    return 0


def _context() -> str:
    """The date, the machine and the commit a figure belongs to."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"{datetime.now():%Y-%m-%d %H:%M}, {cpu}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, commit {commit}")


def _profile(files: list[Path], out: Path) -> int:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(user_path, files, out)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
