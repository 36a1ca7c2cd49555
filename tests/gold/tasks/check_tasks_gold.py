#!/usr/bin/env python3
"""Check task-plan gold files (<name>.tasks.json) and score them against themselves.

Usage: check_tasks_gold.py [GOLD.tasks.json ...] [--scorer PATH]

Without files, every *.tasks.json next to this script is checked. For each file:

- every quote (white space removed) resolves in the document ("document" is a
  path relative to the gold file) at its occurrence, counted with successive
  str.find(quote, pos + 1) over the white-space-free document;
- the rows are in document order and no two quotes overlap;
- kind is target | project | honour | policy, lead is a non-empty string, co is
  a list of strings, note is a string;
- a prediction built from the gold itself (start/end offsets into the text as
  Path.read_text(encoding="utf-8") returns it) scores row F1, kind accuracy and
  lead accuracy 1.0 with score_tasks.py (default: ../shared/eval/score_tasks.py
  beside the project checkout).

Exit status 0 when every file passes, 1 otherwise. Standard library only.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# tests/gold/tasks -> the checkout -> its parent, where shared/ lives
DEFAULT_SCORER = (HERE / ".." / ".." / ".." / ".." / "shared" / "eval" / "score_tasks.py").resolve()
KINDS = {"target", "project", "honour", "policy"}


def resolve(gold_path: Path) -> tuple[str, list[tuple[int, int, dict]], list[str]]:
    """Return the raw document, the rows as (squeezed start, end, row) and the problems."""
    problems: list[str] = []
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc_path = gold_path.parent / gold["document"]
    doc = doc_path.read_text(encoding="utf-8")
    squeezed = "".join(doc.split())
    rows: list[tuple[int, int, dict]] = []
    prev_end, prev_quote = 0, None
    for n, row in enumerate(gold["tasks"], 1):
        quote = "".join(str(row.get("quote", "")).split())
        occurrence = row.get("occurrence", 1)
        where = f"row {n} {quote[:30]!r}"
        if not quote:
            problems.append(f"{where}: empty quote")
            continue
        pos = -1
        for _ in range(occurrence):
            pos = squeezed.find(quote, pos + 1)
            if pos < 0:
                break
        if pos < 0:
            problems.append(f"{where}: occurrence {occurrence} not found")
            continue
        if pos < prev_end:
            problems.append(f"{where}: starts before the end of the previous row {prev_quote!r} "
                            "(out of order or overlapping)")
        if row.get("kind") not in KINDS:
            problems.append(f"{where}: kind {row.get('kind')!r} is not one of {sorted(KINDS)}")
        if not isinstance(row.get("lead"), str) or not row["lead"].strip():
            problems.append(f"{where}: lead missing")
        co = row.get("co", [])
        if not isinstance(co, list) or not all(isinstance(c, str) and c.strip() for c in co):
            problems.append(f"{where}: co must be a list of names")
        if not isinstance(row.get("note", ""), str):
            problems.append(f"{where}: note must be a string")
        rows.append((pos, pos + len(quote), row))
        prev_end, prev_quote = pos + len(quote), quote
    return doc, rows, problems


def raw_offsets(doc: str) -> list[int]:
    """Position in the raw text of each non-space character."""
    return [i for i, ch in enumerate(doc) if not ch.isspace()]


def self_score(gold_paths: list[Path], scorer: Path) -> dict:
    """Score predictions built from the gold rows with score_tasks.py; return its JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        gold_dir, pred_dir = Path(tmp) / "gold", Path(tmp) / "pred"
        gold_dir.mkdir()
        pred_dir.mkdir()
        for gp in gold_paths:
            gold = json.loads(gp.read_text(encoding="utf-8"))
            doc_path = (gp.parent / gold["document"]).resolve()
            name = gp.name[: -len(".tasks.json")]
            gold["document"] = str(doc_path)
            (gold_dir / gp.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
            doc, rows, _ = resolve(gp)
            where = raw_offsets(doc)
            tasks = [{"start": where[s], "end": where[e - 1] + 1, "kind": r.get("kind"),
                      "lead": r.get("lead"), "co": r.get("co", [])} for s, e, r in rows]
            (pred_dir / f"{name}.json").write_text(json.dumps({"tasks": tasks}, ensure_ascii=False),
                                                   encoding="utf-8")
        out = subprocess.run([sys.executable, str(scorer), str(gold_dir), str(pred_dir), "--json"],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise SystemExit(f"score_tasks.py failed: {out.stderr.strip() or out.stdout.strip()}")
        return json.loads(out.stdout)


def main(argv: list[str]) -> int:
    scorer = DEFAULT_SCORER
    files: list[Path] = []
    args = iter(argv)
    for a in args:
        if a == "--scorer":
            scorer = Path(next(args))
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            files.append(Path(a))
    if not files:
        files = sorted(HERE.glob("*.tasks.json"))
    if not files:
        print(f"no *.tasks.json in {HERE}")
        return 1
    if not scorer.exists():
        print(f"scorer not found: {scorer} (give --scorer PATH)")
        return 1
    failed = False
    clean: list[Path] = []
    for gp in files:
        try:
            _, rows, problems = resolve(gp)
        except (OSError, ValueError, KeyError) as exc:
            print(f"{gp.name}: cannot read ({exc})")
            failed = True
            continue
        for p in problems:
            print(f"{gp.name}: {p}")
        kinds: dict[str, int] = {}
        for _, _, r in rows:
            kinds[r.get("kind")] = kinds.get(r.get("kind"), 0) + 1
        print(f"{gp.name}: {len(rows)} rows " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
              + ("" if not problems else f" — {len(problems)} problem(s)"))
        if problems:
            failed = True
        else:
            clean.append(gp)
    if clean:
        result = self_score(clean, scorer)
        for name, s in result["documents"].items():
            ok = s["f1"] == 1.0 and s["kind_acc"] == 1.0 and s["lead_acc"] == 1.0 and s["gold"] == s["pred"]
            print(f"{name}: self-score rows {s['gold']}/{s['pred']} F1 {s['f1']} kind {s['kind_acc']} "
                  f"lead {s['lead_acc']} {'ok' if ok else 'FAIL'}")
            failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
