"""Benchmark: duban's suggested lead against the leads real governments chose for their own lists.

tests/gold/assignments/*.json hold items of corpus reports whose annexes name each item's unit
(（牵头单位：市住建局）, 牵头责任单位, 主办单位, （市教育局负责）). For every row duban is asked for a
lead from the row's own quote, with the catalogue of the row's level:
``suggest_departments(quote, load_catalogue(level)).lead``. The suggestion is right when it
names the same function as the gold lead, compared by ``function_of`` of
../shared/eval/score_tasks.py (市卫计委 = 市卫健委, 市城乡建设委 = 市住建局). Every quote is first
resolved in its document (successive str.find over the white-space-free text, as the scorers
do), so the gold cannot drift from the corpus unnoticed.

Usage: DUBAN_GOV_CORPUS=/path/to/gov .venv/bin/python bench/score_assignments.py [GOLD_DIR] [--json]

Printed per report and overall: rows, lead accuracy (over all rows; a row with no suggestion
counts as wrong), rows with no suggestion, and the 20 most frequent confusions
(gold function → suggested function). --json prints the same as JSON.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from duban.assign import Catalogue, load_catalogue, suggest_departments

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests/gold/assignments"
SCORE_TASKS = ROOT.parent / "shared/eval/score_tasks.py"
ENV = "DUBAN_GOV_CORPUS"
NONE = "(none)"
TOP = 20


class GoldError(Exception):
    """A gold file, its document or the scorer it needs cannot be used (message names which)."""


def load_function_of(path: Path = SCORE_TASKS) -> Callable[[str | None], str | None]:
    """``function_of`` of the shared task scorer, imported by path (it is no package)."""
    if not path.is_file():
        raise GoldError(f"{path}: 找不到评分脚本 (scorer not found; it must sit beside the project)")
    spec = importlib.util.spec_from_file_location("score_tasks", path)
    if spec is None or spec.loader is None:
        raise GoldError(f"{path}: 无法导入 (cannot be imported)")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.function_of  # type: ignore[no-any-return]


def corpus_root() -> Path:
    value = os.environ.get(ENV, "").strip()
    if not value:
        raise GoldError(f"环境变量 {ENV} 未设置 ({ENV} is not set): point it at the corpus root "
                        "(the folder that holds 政府工作报告-主要城市/ …)")
    root = Path(value).expanduser()
    if not root.is_dir():
        raise GoldError(f"{ENV}={value}: 目录不存在 (no such directory)")
    return root


def load_gold(path: Path, corpus: Path) -> dict[str, Any]:
    """One gold file, checked: its fields, its document, and every quote resolved in order."""
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path.name}: 无法读取 JSON (unreadable JSON: {exc})") from None
    if not isinstance(gold, dict):
        raise GoldError(f"{path.name}: 顶层应为对象 (the top level must be an object)")
    for key in ("document", "level", "tasks"):
        if key not in gold:
            raise GoldError(f"{path.name}: 缺少字段 {key} (missing field {key})")
    if not isinstance(gold["tasks"], list):
        raise GoldError(f"{path.name}: tasks 应为列表 (tasks must be a list)")
    doc_path = corpus / gold["document"]
    try:
        squeezed = "".join(doc_path.read_text(encoding="utf-8").split())
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path.name}: 文档 {doc_path} 无法读取 (document unreadable: {exc})") from None
    for n, task in enumerate(gold["tasks"], 1):
        if not isinstance(task, dict) or not task.get("quote") or not task.get("lead"):
            raise GoldError(f"{path.name}: 第 {n} 行缺少 quote 或 lead (row {n} lacks quote or lead)")
        if not isinstance(task.get("occurrence", 1), int) or task.get("occurrence", 1) < 1:
            raise GoldError(f"{path.name}: 第 {n} 行的 occurrence 应为正整数 (row {n}: occurrence "
                            "must be a positive integer)")
        quote, pos = "".join(str(task["quote"]).split()), -1
        for _ in range(task.get("occurrence", 1)):
            pos = squeezed.find(quote, pos + 1)
            if pos < 0:
                raise GoldError(f"{path.name}: 第 {n} 行的 quote 在 {gold['document']} 中找不到 "
                                f"(row {n}: quote not found): {quote[:40]}")
    return gold


def score(gold_dir: Path, corpus: Path, function_of: Callable[[str | None], str | None]) -> dict[str, Any]:
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: 没有金标准文件 (no gold files)")
    catalogues: dict[str, Catalogue] = {}
    reports: dict[str, dict[str, Any]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    missed: Counter[str] = Counter()
    total = {"rows": 0, "right": 0, "none": 0}
    for path in files:
        gold = load_gold(path, corpus)
        level = gold["level"]
        if level not in catalogues:
            catalogues[level] = load_catalogue(level)
        counts = {"rows": 0, "right": 0, "none": 0}
        for task in gold["tasks"]:
            quote = "".join(str(task["quote"]).split())
            lead = suggest_departments(quote, catalogues[level]).lead
            want = str(function_of(task["lead"]))
            counts["rows"] += 1
            if lead is None:
                counts["none"] += 1
                missed[want] += 1
                continue
            got = str(function_of(lead.display))
            if got == want:
                counts["right"] += 1
            else:
                confusions[(want, got)] += 1
        reports[path.stem] = _summary(counts) | {"level": level, "year": gold.get("year")}
        for key in total:
            total[key] += counts[key]
    return {"reports": reports, "total": _summary(total),
            "confusions": [{"gold": g, "suggested": s, "rows": n}
                           for (g, s), n in confusions.most_common(TOP)],
            "no_suggestion_by_gold": [{"gold": g, "rows": n} for g, n in missed.most_common(TOP)]}


def _summary(c: dict[str, int]) -> dict[str, Any]:
    suggested = c["rows"] - c["none"]
    return {"rows": c["rows"], "lead_acc": round(c["right"] / c["rows"], 4) if c["rows"] else 0.0,
            "lead_acc_suggested": round(c["right"] / suggested, 4) if suggested else 0.0,
            "no_suggestion": c["none"]}


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def render(result: dict[str, Any]) -> str:
    lines = [f"{_pad('report', 44)} {'level':8} {'rows':>5} {'lead':>6} {'lead*':>6} {'none':>5}"]
    for name, s in list(result["reports"].items()) + [("TOTAL", result["total"] | {"level": ""})]:
        lines.append(f"{_pad(name, 44)} {s['level']:8} {s['rows']:5} {s['lead_acc']:6.2f} "
                     f"{s['lead_acc_suggested']:6.2f} {s['no_suggestion']:5}")
    lines.append("lead = right leads / rows; lead* = right leads / rows with a suggestion")
    lines.append("")
    lines.append(f"most frequent confusions (gold function → suggested function), top {TOP}:")
    lines += [f"{c['rows']:5}  {c['gold']} → {c['suggested']}" for c in result["confusions"]]
    lines.append("")
    lines.append("rows with no suggestion, by gold function:")
    lines += [f"{c['rows']:5}  {c['gold']} → {NONE}" for c in result["no_suggestion_by_gold"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_dir = Path(args[0]) if args else GOLD
    try:
        result = score(gold_dir, corpus_root(), load_function_of())
    except GoldError as exc:
        print(f"score_assignments: {exc}", file=sys.stderr)
        return 2
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
