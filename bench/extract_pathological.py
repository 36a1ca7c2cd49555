"""Benchmark: extraction on pathological input, where a quadratic step shows (issue 9, issue 10 item 8).

One "sentence" of N figures and no 。 (指标0增长0.5%，指标1增长1.5%，…), opened by a quoted name
(a quote mark makes the quote check read the sentence), in three shapes: figures joined by ，
(one clause each), by 、 (one clause for all) and with no unit on the number (every number
reads its context for an implicit unit). Times, in CPU seconds of this process (not wall time:
the machine is shared):

- the candidate stage: find_candidates, then for each candidate the exclusions, the
  comparator and the duration check, i.e. everything from the number to a resolved figure;
- the whole of ``extract`` (outline, sentences, roles, indicators, tasks) at smaller N, to
  show how it grows (a ratio near 2 for N doubled is linear, near 4 quadratic).

Prints a table and records it in bench/results/extract_pathological.json under LABEL (default
"this-branch"; run it with another checkout's src on PYTHONPATH and --label main to record the
figures before a change). --quick: smaller whole-extract sizes, nothing written.
Usage: python bench/extract_pathological.py [--label LABEL] [--quick]
"""
from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duban
from duban.extract import extract, lexicon
from duban.extract._pipeline import _duration_ok, _exclusion, _formula_spans
from duban.extract._quantities import find_candidates, resolve_comparator
from duban.ingest import read_report

ROOT = Path(__file__).resolve().parents[1]


def sentence(n: int, shape: str) -> str:
    if shape == "comma":
        body = "，".join(f"指标{i}增长{i % 97}.5%" for i in range(n))
    elif shape == "list":
        body = "、".join(f"{i % 97}.5%" for i in range(n))
    else:  # bare: numbers with no unit, each reads its left context for one
        body = "，".join(f"收入{i}万" for i in range(n))
    return "“开局之年”，" + body


def candidate_stage(text: str) -> int:
    lex = lexicon()
    spans = _formula_spans(lex, text)
    starts = [f[0] for f in spans]
    kept = 0
    for cand in find_candidates(lex, text, 0, len(text)):
        if _exclusion(lex, text, cand, 0, len(text), spans, starts):
            continue
        resolve_comparator(lex, text, cand, 0, len(text))
        if cand.unit_info is not None and cand.unit_info.kind == "duration" \
                and not _duration_ok(text, cand, 0):
            continue
        kept += 1
    return kept


def cpu(fn: object, *args: object) -> tuple[float, object]:
    start = time.process_time()
    result = fn(*args)  # type: ignore[operator]
    return time.process_time() - start, result


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    lexicon()  # rule data loaded before the clock, as once per command
    results: dict[str, object] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()} {platform.python_version()}",
        # the checkout whose duban ran (PYTHONPATH may point at another one)
        "commit": subprocess.run(["git", "-C", str(Path(duban.__file__).parent), "rev-parse",
                                  "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "clock": "CPU seconds (time.process_time) of one process",
    }
    stage: dict[str, dict[str, float]] = {}
    for shape in ("comma", "list", "bare"):
        stage[shape] = {}
        for n in (5_000, 20_000):
            text = sentence(n, shape)
            seconds, kept = cpu(candidate_stage, text)
            stage[shape][str(n)] = round(seconds, 3)
            print(f"candidate stage  {shape:5}  N={n:6}  {seconds:7.3f} s  ({kept} figures)")
    results["candidate_stage"] = stage
    for shape in ("comma", "list"):
        whole: dict[str, float] = {}
        for n in ((1_000, 2_000) if quick else (1_000, 5_000, 20_000)):
            report = read_report(("一、今年的目标\n" + sentence(n, shape) + "\n").encode(), "p.txt", "txt")
            seconds, extraction = cpu(extract, report)
            whole[str(n)] = round(seconds, 3)
            print(f"whole extract    {shape:5}  N={n:6}  {seconds:7.3f} s  "
                  f"({len(extraction.quantities)} figures)")  # type: ignore[attr-defined]
        results[f"whole_extract_{shape}"] = whole
    out = ROOT / "bench/results/extract_pathological.json"
    if not quick:
        label = argv[argv.index("--label") + 1] if "--label" in argv else "this-branch"
        recorded = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        recorded[label] = results
        out.write_text(json.dumps(recorded, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written {out.relative_to(ROOT)} [{label}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
