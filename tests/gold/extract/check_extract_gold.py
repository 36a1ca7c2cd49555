#!/usr/bin/env python3
"""Check extraction gold files: every quote resolves, and the gold scores 1.000 against itself.

Usage:
    check_extract_gold.py [GOLD_FILE ...]     (default: every *.gold.json beside this script)

A gold file has the format of ../shared/gold/dev/*.gold.json ("document", "quantities").
Its "document" is a path relative to the gold file, or, when the file has a key
"corpus_env", relative to the folder named by that environment variable (the public
corpus, which is never copied into the project), e.g.
    {"document": "政府工作报告-其他地市/攀枝花市/2025.md", "corpus_env": "DUBAN_GOV_CORPUS", ...}

For each file the script checks the fields of every entry, that each quote/occurrence
is found in the white-space-free document, that no two entries overlap, that entries are
in document order, and then builds a prediction from the gold (raw character offsets)
and runs the scorer (DUBAN_SCORE_PY, default /work/shared/eval/score.py) on temporary
folders: every measure must be 1.000. Prints "ok <file>" or the problems; exit status 1
on any problem. Standard library only.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROLES = ("target", "achievement")
COMPARATORS = {">=", "<=", "~", "=", "range"}
FIELDS = ("quote", "occurrence", "role", "value", "unit", "comparator", "indicator")
MEASURES = ("detect_f1", "strict_f1", "comparator_acc", "indicator_acc")
DEFAULT_SCORER = "/work/shared/eval/score.py"


class GoldError(Exception):
    """A gold file that cannot be checked at all (unreadable, document missing)."""


def load_gold(path: Path) -> dict:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: 无法读取金标准 cannot read gold file: {exc}") from exc
    if not isinstance(gold, dict) or "document" not in gold or not isinstance(gold.get("quantities"), list):
        raise GoldError(f"{path}: 缺少 document 或 quantities (needs 'document' and a list 'quantities')")
    return gold


def document_path(path: Path, gold: dict) -> Path:
    env = gold.get("corpus_env")
    if env:
        root = os.environ.get(env)
        if not root:
            raise GoldError(f"{path}: 环境变量 {env} 未设置 (set {env} to the corpus root holding {gold['document']})")
        doc = Path(root) / gold["document"]
    else:
        doc = path.parent / gold["document"]
    if not doc.is_file():
        raise GoldError(f"{path}: 找不到文档 document not found: {doc}")
    return doc


def squeeze(text: str) -> tuple[str, list[int]]:
    """Text without white space, and the raw index of each kept character."""
    raw = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in raw), raw


def entry_problems(i: int, q: dict) -> list[str]:
    where = f"entry {i} ({q.get('quote')!r})"
    out = [f"{where}: missing {k}" for k in FIELDS if k not in q]
    if out:
        return out
    if not isinstance(q["quote"], str) or not q["quote"] or any(c.isspace() for c in q["quote"]):
        out.append(f"{where}: quote must be non-empty text without white space")
    if not isinstance(q["occurrence"], int) or q["occurrence"] < 1:
        out.append(f"{where}: occurrence must be an integer >= 1")
    if q["role"] not in ROLES:
        out.append(f"{where}: role {q['role']!r} not in {ROLES}")
    if q["comparator"] not in COMPARATORS:
        out.append(f"{where}: comparator {q['comparator']!r} not in {sorted(COMPARATORS)}")
    if isinstance(q["value"], bool) or not isinstance(q["value"], (int, float)):
        out.append(f"{where}: value must be a number")
    for k in ("unit", "indicator"):
        if not isinstance(q[k], str) or not q[k].strip():
            out.append(f"{where}: {k} must be non-empty text")
    return out


def locate(squeezed: str, quote: str, occurrence: int) -> int:
    """Start of the occurrence-th match (successive find from start+1, as score.py does); -1 if absent."""
    start = -1
    for _ in range(occurrence):
        start = squeezed.find(quote, start + 1)
        if start < 0:
            return -1
    return start


def check_spans(gold: dict, squeezed: str) -> tuple[list[str], list[tuple[int, int]]]:
    problems, spans = [], []
    for i, q in enumerate(gold["quantities"]):
        problems += entry_problems(i, q)
        if "quote" not in q or not isinstance(q.get("occurrence"), int):
            spans.append((-1, -1))
            continue
        s = locate(squeezed, q["quote"], q["occurrence"])
        if s < 0:
            problems.append(f"entry {i}: quote {q['quote']!r} occurrence {q['occurrence']} not in document")
        spans.append((s, s + len(q["quote"])) if s >= 0 else (-1, -1))
    found = sorted((s, e, i) for i, (s, e) in enumerate(spans) if s >= 0)
    for (_s1, e1, i1), (s2, _e2, i2) in zip(found, found[1:]):
        if s2 < e1:
            problems.append(f"entries {i1} and {i2} overlap ({gold['quantities'][i1]['quote']!r}, {gold['quantities'][i2]['quote']!r})")
    starts = [s for s, _ in spans if s >= 0]
    if starts != sorted(starts):
        problems.append("entries are not in document order")
    return problems, spans


def score_against_itself(path: Path, gold: dict, doc: Path, spans: list[tuple[int, int]], raw: list[int]) -> list[str]:
    """Run the scorer on a prediction built from the gold; every measure must be 1.0."""
    scorer = os.environ.get("DUBAN_SCORE_PY", DEFAULT_SCORER)
    name = path.name[: -len(".gold.json")]
    pred = {"quantities": [
        {"start": raw[s], "end": raw[e - 1] + 1, **{k: q[k] for k in FIELDS if k not in ("quote", "occurrence")}}
        for q, (s, e) in zip(gold["quantities"], spans)
    ]}
    with tempfile.TemporaryDirectory() as tmp:
        gold_dir, pred_dir = Path(tmp, "gold"), Path(tmp, "pred")
        pred_dir.mkdir(parents=True)
        gold_dir.mkdir(parents=True)
        # a link inside the temporary folder (the corpus is never copied), and the copy of the
        # gold names it: a "../" path must not climb out of the temporary folder
        placed = gold_dir / doc.name
        placed.symlink_to(doc.resolve())
        local = {**gold, "document": doc.name}
        local.pop("corpus_env", None)
        (gold_dir / path.name).write_text(json.dumps(local, ensure_ascii=False), encoding="utf-8")
        (pred_dir / f"{name}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
        run = subprocess.run([sys.executable, scorer, str(gold_dir), str(pred_dir), "--json"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            return [f"scorer failed: {run.stdout.strip()} {run.stderr.strip()}"]
        total = json.loads(run.stdout)["total"]
    problems = []
    for role in ROLES:
        if total[role]["gold"] == 0:
            continue
        for m in MEASURES:
            if total[role][m] != 1.0:
                problems.append(f"self-score {role} {m} = {total[role][m]} (expected 1.0)")
    return problems


def check(path: Path) -> list[str]:
    gold = load_gold(path)
    doc = document_path(path, gold)
    squeezed, raw = squeeze(doc.read_text(encoding="utf-8"))
    problems, spans = check_spans(gold, squeezed)
    if problems:
        return problems
    return score_against_itself(path, gold, doc, spans, raw)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("*.gold.json"))
    failed = False
    for path in paths:
        try:
            problems = check(path)
        except GoldError as exc:
            problems = [str(exc)]
        if problems:
            failed = True
            print(f"FAIL {path}")
            for p in problems:
                print(f"  - {p}")
        else:
            gold = json.loads(path.read_text(encoding="utf-8"))
            roles = {r: sum(q["role"] == r for q in gold["quantities"]) for r in ROLES}
            print(f"ok {path} ({len(gold['quantities'])} entries: {roles['target']} targets, {roles['achievement']} achievements)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
