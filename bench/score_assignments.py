"""Benchmark: duban's suggested lead against the leads real governments chose, old engine and new.

tests/gold/assignments/*.json hold items of corpus reports whose annexes name each item's unit
(（牵头单位：市住建局）, 牵头责任单位, 主办单位, （市教育局负责）). Every quote is first resolved in its
document (successive str.find over the white-space-free text, as the scorers do), so the gold
cannot drift from the corpus unnoticed. The task golds of TASK_GOLDS (score_tasks.py format:
青羊 2023 and 海拉尔 2018 districts, 河南 2026 province, national 2025 with ministries) are scored
the same way, row by row on their gold quotes.

Each row is asked twice, with the context a plan row has (the heading it stands under and the
lead sentence of its paragraph, read from the document):
- old: ``suggest_departments(quote, load_catalogue(level))``, the heading's words where the
  quote's give nothing (as assign_tasks does);
- new: ``suggest(quote, context, catalogue_for(level, year, government=place))``.
A suggestion is right when ``function_of`` of ../shared/eval/score_tasks.py gives the same
function for it and for the gold lead (市卫计委 = 市卫健委); "unit" also counts it right when the
gold name is one of the suggested unit's names (自治区残疾人联合会 = 自治区残联), which function_of
compares by spelling. Places are split into a dev half (DEV_PLACES, used while building the
catalogue) and a held-out half (not read while tuning); figures are given per report, per half
and level, with the new engine's confusions per half.

Usage: DUBAN_GOV_CORPUS=/path/to/gov .venv/bin/python bench/score_assignments.py [GOLD_DIR]
       [--json] [--no-tasks]
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from duban.assign import Catalogue, load_catalogue, suggest_departments
from duban.assign._catalogues import Catalogue as Catalogue2
from duban.assign._catalogues import catalogue_for
from duban.assign._suggest import Suggestion, suggest

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


# Places used while building the catalogue and the suggestion (dev); the others are held out:
# their rows were not read while tuning, and their figures say how the engine does on reports
# it has not seen. Split by place, not by row, so a city's habits cannot leak across.
DEV_PLACES = frozenset({"济南市", "昆明市", "呼伦贝尔市", "普洱市", "汕头市", "内蒙古自治区"})
# task golds (score_tasks.py format): name -> (path, level, year, government, dev?)
TASK_GOLDS = {
    "qingyang-2023": (ROOT.parent / "shared/gold/dev/qingyang-2023-excerpt.tasks.json",
                      "district", 2023, "青羊区", True),
    "hailaer-2018": (ROOT.parent / "shared/gold/dev/district-hailaer-2018.tasks.json",
                     "district", 2018, "海拉尔区", True),
    "henan-2026": (ROOT / "tests/gold/tasks/province-henan-2026.tasks.json",
                   "province", 2026, "河南省", True),
    "national-2025": (ROOT / "tests/gold/tasks/national-2025.tasks.json",
                      "national", 2025, None, False),
}


_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])")


class Document:
    """A document's paragraphs, to give a quote the context a plan row has: the heading it
    stands under and the lead sentence of its paragraph (what the pipeline passes as section)."""

    def __init__(self, text: str) -> None:
        self.paragraphs = ["".join(line.split()) for line in text.splitlines() if line.strip()]
        self.starts, pos = [], 0
        for para in self.paragraphs:
            self.starts.append(pos)
            pos += len(para)
        self.squeezed = "".join(self.paragraphs)
        self.cursor: dict[str, int] = {}

    def context(self, quote: str, occurrence: int = 1) -> tuple[str, ...]:
        pos = -1
        for _ in range(occurrence):
            pos = self.squeezed.find(quote, pos + 1)
        if pos < 0:
            return ()
        n = max(i for i, start in enumerate(self.starts) if start <= pos)
        heading = next((p for p in reversed(self.paragraphs[:n]) if _HEADING.match(p) and
                        len(p) <= 40), "")
        para = self.paragraphs[n]
        lead = re.split(r"(?<=[。；！？])", para, maxsplit=1)[0]
        own = pos - self.starts[n] < len(lead)  # the quote is the lead sentence itself
        return tuple(c for c in (heading, "" if own else lead) if c)


def _new_lead(quote: str, context: tuple[str, ...], level: str, year: int | None,
              government: str | None) -> Suggestion:
    return suggest(quote, context, catalogue_for(level, year, government=government))


def _old_lead(quote: str, context: tuple[str, ...], catalogue: Catalogue) -> str | None:
    """The old engine as assign_tasks runs it: the task's words, else the heading's."""
    lead = suggest_departments(quote, catalogue).lead
    for heading in reversed(context):
        if lead is None:
            lead = suggest_departments(heading, catalogue).lead
    return lead.display if lead else None


def _blank() -> dict[str, int]:
    return {"rows": 0, "right": 0, "none": 0, "new_right": 0, "new_none": 0, "sure": 0,
            "sure_right": 0, "unit_right": 0}


def _count(counts: dict[str, int], gold_lead: str, old: str | None, new: Suggestion,
           function_of: Callable[[str | None], str | None],
           confusions: Counter[tuple[str, str]], catalogue: Catalogue2) -> None:
    """Count one row. Right = the same function by score_tasks' function_of; "by unit" also
    counts a row right when the gold name is a name of the suggested unit in the catalogue
    (自治区残疾人联合会 = 自治区残联), which function_of, knowing no 残联, compares by spelling."""
    want = str(function_of(gold_lead))
    counts["rows"] += 1
    gold_unit = catalogue.find(gold_lead)
    if new.lead is not None and (str(function_of(new.lead.display)) == want or
                                 (gold_unit is not None and gold_unit.id == new.lead.id)):
        counts["unit_right"] += 1
    if old is None:
        counts["none"] += 1
    elif str(function_of(old)) == want:
        counts["right"] += 1
    if new.lead is None:
        counts["new_none"] += 1
        confusions[(want, NONE)] += 1
        return
    got = str(function_of(new.lead.display))
    right = got == want
    counts["new_right"] += right
    if not new.pending:
        counts["sure"] += 1
        counts["sure_right"] += right
    if not right:
        confusions[(want, got)] += 1


def score(gold_dir: Path, corpus: Path, function_of: Callable[[str | None], str | None],
          tasks: bool = True) -> dict[str, Any]:
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: 没有金标准文件 (no gold files)")
    catalogues: dict[str, Catalogue] = {}
    reports: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, int]] = {}
    confusions = {"dev": Counter[tuple[str, str]](), "held-out": Counter[tuple[str, str]]()}
    for path in files:
        gold = load_gold(path, corpus)
        level, year, place = gold["level"], gold.get("year"), gold.get("government")
        half = "dev" if place in DEV_PLACES else "held-out"
        if level not in catalogues:
            catalogues[level] = load_catalogue(level)
        counts = _blank()
        document = Document((corpus / gold["document"]).read_text(encoding="utf-8"))
        standard = catalogue_for(level, year, government=place)
        for task in gold["tasks"]:
            quote = "".join(str(task["quote"]).split())
            context = document.context(quote, task.get("occurrence", 1))
            new = _new_lead(quote, context, level, year, place)
            _count(counts, str(task["lead"]), _old_lead(quote, context, catalogues[level]), new,
                   function_of, confusions[half], standard)
        reports[path.stem] = _summary(counts) | {"level": level, "year": year, "half": half}
        for key in (f"assignments {half}", f"assignments {half} {level}", "assignments all"):
            group = groups.setdefault(key, _blank())
            for k in group:
                group[k] += counts[k]
    if tasks:
        for name, (path, level, year, place, dev) in TASK_GOLDS.items():
            if not path.is_file():
                raise GoldError(f"{path}: 找不到任务金标准 (task gold not found)")
            gold = json.loads(path.read_text(encoding="utf-8"))
            old_catalogue = load_catalogue(level)
            standard = catalogue_for(level, year, government=place)
            document = Document((path.parent / gold["document"]).read_text(encoding="utf-8"))
            counts = _blank()
            half = "dev" if dev else "held-out"
            for task in gold["tasks"]:
                if not task.get("lead"):
                    continue
                quote = "".join(str(task["quote"]).split())
                context = document.context(quote, task.get("occurrence", 1))
                new = _new_lead(quote, context, level, year, place)
                _count(counts, str(task["lead"]), _old_lead(quote, context, old_catalogue), new,
                       function_of, confusions[half], standard)
            reports[f"tasks {name}"] = _summary(counts) | {"level": level, "year": year,
                                                          "half": half}
            group = groups.setdefault(f"tasks {half}", _blank())
            for k in group:
                group[k] += counts[k]
    return {"reports": reports, "groups": {k: _summary(v) for k, v in sorted(groups.items())},
            "confusions": {half: [{"gold": g, "suggested": s, "rows": n}
                                  for (g, s), n in c.most_common(TOP)]
                           for half, c in confusions.items()}}


def _summary(c: dict[str, int]) -> dict[str, Any]:
    def share(a: int, b: int) -> float:
        return round(a / b, 4) if b else 0.0
    return {"rows": c["rows"], "old_lead": share(c["right"], c["rows"]),
            "old_none": c["none"], "new_lead": share(c["new_right"], c["rows"]),
            "new_none": c["new_none"], "by_unit": share(c["unit_right"], c["rows"]),
            "sure": c["sure"],
            "sure_lead": share(c["sure_right"], c["sure"]),
            "pending_lead": share(c["new_right"] - c["sure_right"], c["rows"] - c["sure"])}


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def render(result: dict[str, Any]) -> str:
    head = (f"{'rows':>5} {'old':>5} {'none':>4} {'new':>5} {'none':>4} {'unit':>5} "
            f"{'sure':>5} {'sure%':>5} {'pend%':>5}")

    def line(name: str, s: dict[str, Any], extra: str = "") -> str:
        return (f"{_pad(name, 46)} {extra}{s['rows']:5} {s['old_lead']:5.2f} {s['old_none']:4} "
                f"{s['new_lead']:5.2f} {s['new_none']:4} {s['by_unit']:5.2f} {s['sure']:5} "
                f"{s['sure_lead']:5.2f} "
                f"{s['pending_lead']:5.2f}")
    lines = [f"{_pad('report', 46)} {'half':8} {'level':8} {head}"]
    for name, s in result["reports"].items():
        lines.append(line(name, s, f"{s['half']:8} {s['level']:8} "))
    lines += ["", f"{_pad('set', 46)} {head}"]
    lines += [line(name, s) for name, s in result["groups"].items()]
    lines.append("old/new = lead accuracy over all rows by score_tasks.function_of (no suggestion "
                 "counts wrong); none = rows without one; unit = new, also right when the gold "
                 "name is a name of the suggested unit; sure = rows the new engine does not mark "
                 "待定, sure% its accuracy there, pend% its accuracy on the 待定 rows")
    for half, rows in result["confusions"].items():
        lines += ["", f"new engine, most frequent confusions on {half} (gold → suggested), "
                      f"top {TOP}:"]
        lines += [f"{c['rows']:5}  {c['gold']} → {c['suggested']}" for c in rows]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_dir = Path(args[0]) if args else GOLD
    try:
        result = score(gold_dir, corpus_root(), load_function_of(), "--no-tasks" not in argv)
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
