#!/usr/bin/env python3
"""Check the promise-check gold in this folder: every quote resolves, and a perfect prediction scores 1.000.

Usage: check_gold.py [GOLD.links.json ...] [--scorer PATH]

For each gold file (default: every *.links.json next to this script) it checks that
both documents exist; that every target and outcome quote is found at its occurrence
(white space removed, occurrences counted by successive str.find, as GUIDE.md says);
that targets come in order of appearance; that verdicts are known and an outcome is
null exactly when the verdict is not_mentioned. It then builds a prediction from the
gold with offsets into the documents as Path.read_text(encoding="utf-8") returns them,
runs the shared scorer (score_links.py --json) on it and requires accuracy 1.0 and,
when links name an outcome, linked precision 1.0. It prints a table of counts per file
and exits 1 on the first kind of failure it reports. Standard library only.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SCORER = HERE / "../../../../shared/eval/score_links.py"
VERDICTS = ("exceeded", "met", "partly", "missed", "not_mentioned")


def squeezed_positions(text: str) -> list[int]:
    """Original index of each non-space character, in order."""
    return [i for i, ch in enumerate(text) if not ch.isspace()]


def find_squeezed(squeezed: str, quote: str, occurrence: int) -> int:
    quote = "".join(quote.split())
    pos = -1
    for _ in range(occurrence):
        pos = squeezed.find(quote, pos + 1)
        if pos < 0:
            return -1
    return pos


def original_span(positions: list[int], start: int, length: int) -> tuple[int, int]:
    return positions[start], positions[start + length - 1] + 1


def check_file(gold_path: Path, scorer: Path) -> tuple[list[str], Counter]:
    problems: list[str] = []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    docs = {}
    for key in ("target_document", "outcome_document"):
        path = gold_path.parent / gold[key]
        if not path.is_file():
            return [f"{gold_path.name}: {key} {gold[key]} not found"], Counter()
        text = path.read_text(encoding="utf-8")
        docs[key] = (text, "".join(text.split()), squeezed_positions(text))
    pred_links = []
    last_target = -1
    verdicts: Counter = Counter()
    for i, link in enumerate(gold["links"], 1):
        verdict = link.get("verdict")
        verdicts[verdict] += 1
        if verdict not in VERDICTS:
            problems.append(f"{gold_path.name} link {i}: unknown verdict {verdict!r}")
        if (link.get("outcome") is None) != (verdict == "not_mentioned"):
            problems.append(f"{gold_path.name} link {i}: outcome must be null exactly when not_mentioned")
        spans = {}
        for side, key in (("target", "target_document"), ("outcome", "outcome_document")):
            item = link.get(side)
            if item is None:
                spans[side] = None
                continue
            _, squeezed, positions = docs[key]
            quote = "".join(item["quote"].split())
            at = find_squeezed(squeezed, quote, item.get("occurrence", 1))
            if at < 0:
                problems.append(f"{gold_path.name} link {i}: {side} {item['quote']!r} "
                                f"occurrence {item.get('occurrence', 1)} not found")
                spans[side] = None
                continue
            if side == "target":
                if at <= last_target:
                    problems.append(f"{gold_path.name} link {i}: target {item['quote']!r} out of order")
                last_target = at
            start, end = original_span(positions, at, len(quote))
            spans[side] = {"start": start, "end": end}
        if spans["target"] is not None:
            pred_links.append({"target": spans["target"], "outcome": spans["outcome"],
                               "verdict": verdict})
    if problems:
        return problems, verdicts
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump({"links": pred_links}, fh, ensure_ascii=False)
        pred_path = Path(fh.name)
    try:
        run = subprocess.run([sys.executable, str(scorer), str(gold_path), str(pred_path), "--json"],
                             capture_output=True, text=True, encoding="utf-8")
    finally:
        pred_path.unlink()
    if run.returncode != 0:
        return [f"{gold_path.name}: scorer failed: {run.stdout.strip()} {run.stderr.strip()}"], verdicts
    result = json.loads(run.stdout)
    if result["accuracy"] != 1.0 or (result["linked"] and result["linked_precision"] != 1.0):
        problems.append(f"{gold_path.name}: prediction built from the gold scores {result}")
    else:
        print(f"{gold_path.name}: score_links {result['right']}/{result['gold_links']} "
              f"({result['accuracy']:.3f}); linked precision {result['linked_right']}/{result['linked']}")
    return problems, verdicts


def main(argv: list[str]) -> int:
    scorer = DEFAULT_SCORER
    files: list[Path] = []
    args = iter(argv)
    for arg in args:
        if arg == "--scorer":
            scorer = Path(next(args, ""))
        else:
            files.append(Path(arg))
    if not scorer.is_file():
        print(f"scorer not found: {scorer}")
        return 2
    files = files or sorted(HERE.glob("*.links.json"))
    if not files:
        print(f"no *.links.json in {HERE}")
        return 2
    failed = False
    rows = []
    for path in files:
        problems, verdicts = check_file(path, scorer)
        for p in problems:
            print("FAIL", p)
        failed |= bool(problems)
        rows.append((path.name, sum(verdicts.values()), *(verdicts.get(v, 0) for v in VERDICTS)))
    print("| file | links | " + " | ".join(VERDICTS) + " |")
    print("|---|" + "---|" * (len(VERDICTS) + 1))
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    print("FAILED" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
