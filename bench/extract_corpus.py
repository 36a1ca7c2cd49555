"""Benchmark: the whole extraction pipeline over ../shared/corpus/raw in one process.

Reports MB/s (UTF-8 bytes of input per second of wall time, one core) and peak memory,
with a plain regex scan of the same texts (number + unit) timed in the same run as the
yardstick. The pipeline is `duban.extract(load_report(path))`: read, repair, outline,
quantities, tasks; the second figure adds the suggested departments of every task, which
is everything the `duban extract` command computes. Usage: .venv/bin/python bench/extract_corpus.py [CORPUS_DIR] [--repeat N]
"""
from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path

from duban import load_report
from duban.extract import extract
from duban.assign import assign_tasks, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
_BARE = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:%|元|人|个|所|公里|平方米|亩|吨|户|家|项|条)")


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    corpus = Path(args[0]) if args and not args[0].isdigit() else ROOT.parent / "shared/corpus/raw"
    files = sorted(corpus.glob("*.txt"))
    size = sum(p.stat().st_size for p in files)
    texts = [p.read_text(encoding="utf-8") for p in files]
    extract(load_report(files[0]))  # load the rule data once, as a long-running process would
    catalogue = load_catalogue("district")
    best = drafted_best = regex_best = float("inf")
    items = 0
    for _ in range(repeat):
        start = time.perf_counter()
        items = 0
        for path in files:
            result = extract(load_report(path))
            items += len(result.quantities) + len(result.tasks)
        best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        for path in files:
            assign_tasks(extract(load_report(path)), catalogue)
        drafted_best = min(drafted_best, time.perf_counter() - start)
        start = time.perf_counter()
        hits = sum(len(_BARE.findall(t)) for t in texts)
        regex_best = min(regex_best, time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = size / 1e6
    print(f"corpus: {len(files)} reports, {mb:.2f} MB; {items} quantities+tasks")
    print(f"duban pipeline : {best:.3f} s  {mb / best:.2f} MB/s (best of {repeat})")
    print(f"+ departments  : {drafted_best:.3f} s  {mb / drafted_best:.2f} MB/s (best of {repeat})")
    print(f"bare regex scan: {regex_best:.3f} s  {mb / regex_best:.1f} MB/s ({hits} hits)")
    print(f"peak RSS       : {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
