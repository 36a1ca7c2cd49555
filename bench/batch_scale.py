"""Benchmark: `duban batch` over the whole corpus at 1, 2 and all workers, for both engines.

Each run starts from an empty output folder (nothing reused) and includes assembling the
Parquet/CSV tables and the promise-check links; Ray's start-up is inside its timings.
Usage: .venv/bin/python bench/batch_scale.py [CORPUS_DIR]
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from duban.corpus import run_batch

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "corpus" / "raw"
    files = [p for p in corpus.iterdir() if p.suffix == ".txt"]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    cores = os.cpu_count() or 1
    counts = sorted({1, 2, cores})
    print(f"corpus: {len(files)} reports, {megabytes:.2f} MB; {cores} cores")
    outputs = {}
    for engine in ("local", "ray"):
        for workers in counts:
            out = Path(tempfile.mkdtemp()) / "corpus.parquet"
            start = time.perf_counter()
            result = run_batch(str(corpus), out, engine, workers)
            seconds = time.perf_counter() - start
            print(f"{engine:5} workers={workers}: {seconds:5.1f} s  {megabytes / seconds:5.2f} MB/s  "
                  f"{len(files) / seconds:5.1f} reports/s  ({result.counts})")
            outputs[(engine, workers)] = {name: (out / f"{name}.csv").read_bytes()
                                          for name in ("reports", "tasks", "quantities", "links")}
            shutil.rmtree(out.parent)
    first = next(iter(outputs.values()))
    print("identical output across engines and worker counts:",
          all(o == first for o in outputs.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
