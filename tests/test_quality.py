"""Quality on every annotated set we have, scored by the shared scorers in ../shared/eval.

Sets: ``dev`` — ../shared/gold/dev (quantities of 7 reports; plan rows of the 青羊 excerpt and
海拉尔区 2018); ``extra`` — tests/gold/extract and tests/gold/tasks, annotated in this project
(national 2008; the national 2025 and 河南省 2026 plans; documents of the lawtext corpus are
scored only where DUBAN_GOV_CORPUS names it); ``links`` — every promise-check pair in
../shared/gold/links, tests/gold/links and tests/promise.

The issue floors (strict F1 >= 0.95, comparator >= 0.95, indicator >= 0.90) apply to the dev
extraction; everywhere RATCHET holds the best figure measured so far. Raise it with every gain,
never lower it: a change that loses quality fails here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban import analyse
from duban.evaluate import evaluate
from duban.track.promise import check_promises

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"strict_f1": 0.95, "comparator_acc": 0.95, "indicator_acc": 0.90}
# (set, role, metric) -> best measured (2026-12-03: duban eval …)
RATCHET: dict[tuple[str, str, str], float] = {
    ("dev", "target", "strict_f1"): 0.994,
    ("dev", "target", "comparator_acc"): 0.994,
    ("dev", "target", "indicator_acc"): 0.9574,
    ("dev", "achievement", "strict_f1"): 0.9879,
    ("dev", "achievement", "comparator_acc"): 0.9939,
    ("dev", "achievement", "indicator_acc"): 0.9473,
    ("extra", "target", "strict_f1"): 0.9836,
    ("extra", "target", "comparator_acc"): 1.0,
    ("extra", "target", "indicator_acc"): 1.0,
    ("extra", "achievement", "strict_f1"): 0.9948,
    ("extra", "achievement", "comparator_acc"): 1.0,
    ("extra", "achievement", "indicator_acc"): 0.9677,
}
# plan rows: (set, metric) -> best measured
TASK_RATCHET: dict[tuple[str, str], float] = {
    ("dev", "f1"): 0.771, ("dev", "kind_acc"): 0.9157, ("dev", "lead_acc"): 0.8161,
    ("extra", "f1"): 0.8224, ("extra", "kind_acc"): 0.94, ("extra", "lead_acc"): 0.7627,
}
# promise check: folder -> (share of gold links right, precision of the links naming an outcome)
LINK_RATCHET: dict[str, tuple[float, float]] = {
    "shared": (89 / 104, 37 / 37), "project": (103 / 122, 33 / 33), "promise": (24 / 25, 22 / 22),
}


@pytest.fixture(scope="module")
def extraction(shared: Path) -> dict[str, dict]:
    return {"dev": evaluate(shared / "gold" / "dev"),
            "extra": evaluate(ROOT / "tests" / "gold" / "extract"),
            "extra-tasks": evaluate(ROOT / "tests" / "gold" / "tasks")}


@pytest.mark.parametrize("role", ["target", "achievement"])
@pytest.mark.parametrize("metric", sorted(FLOORS))
@pytest.mark.parametrize("name", ["dev", "extra"])
def test_extraction_floor_or_ratchet(extraction: dict[str, dict], name: str, role: str,
                                     metric: str) -> None:
    got = extraction[name]["total"][role][metric]
    best = RATCHET[(name, role, metric)]
    floor = min(FLOORS[metric], best) if name == "dev" else best
    assert got >= floor, f"{name} {role} {metric} {got} < {floor}"


@pytest.mark.parametrize("metric", ["f1", "kind_acc", "lead_acc"])
@pytest.mark.parametrize("name", ["dev", "extra"])
def test_plan_rows_ratchet(extraction: dict[str, dict], name: str, metric: str) -> None:
    scores = extraction["dev" if name == "dev" else "extra-tasks"]["tasks"]["total"]
    assert scores[metric] >= TASK_RATCHET[(name, metric)], scores


def test_clearly_better_than_a_bare_regex(extraction: dict[str, dict]) -> None:
    # a bare number+unit regex scores about 0.90 strict F1 and 0.5 indicator accuracy
    for role in ("target", "achievement"):
        assert extraction["dev"]["total"][role]["indicator_acc"] > 0.6


def _link_folders(shared: Path) -> dict[str, Path]:
    return {"shared": shared / "gold" / "links", "project": ROOT / "tests" / "gold" / "links",
            "promise": ROOT / "tests" / "promise"}


@pytest.mark.parametrize("folder", sorted(LINK_RATCHET))
def test_promise_check_ratchet(shared: Path, folder: str, tmp_path: Path) -> None:
    right = gold = linked = linked_right = 0
    for path in sorted(_link_folders(shared)[folder].glob("*.links.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        first = analyse(path.parent / spec["target_document"], assign=False)
        second = analyse(path.parent / spec["outcome_document"], assign=False)
        pred = tmp_path / f"{path.stem}.json"
        pred.write_text(json.dumps({"links": [link.to_json()
                                              for link in check_promises(first, second)]},
                                   ensure_ascii=False), encoding="utf-8")
        out = subprocess.run([sys.executable, str(shared / "eval" / "score_links.py"), str(path),
                              str(pred), "--json"], capture_output=True, text=True, check=True)
        score = json.loads(out.stdout)
        right += score["right"]
        gold += score["gold_links"]
        linked += score["linked"]
        linked_right += score["linked_right"]
    accuracy, precision = right / gold, (linked_right / linked if linked else 1.0)
    best_accuracy, best_precision = LINK_RATCHET[folder]
    assert accuracy >= best_accuracy and precision >= best_precision, (
        f"{folder}: {right}/{gold} = {accuracy:.3f} right, {linked_right}/{linked} = "
        f"{precision:.3f} of the links naming an outcome")
