"""Run the extractor over an annotated folder and score it with the shared scorer."""
from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from .assign import load_catalogue
from .errors import InputError
from .pipeline import analyse


def find_scorer(gold_dir: Path, name: str = "score.py") -> Path:
    """../shared/eval/score.py next to a ../shared/gold/<set> folder, or beside the gold."""
    for base in (gold_dir, *gold_dir.resolve().parents):
        candidate = base / "eval" / name
        if candidate.is_file():
            return candidate
    raise InputError(str(gold_dir), f"找不到评分脚本 eval/{name} (scorer not found)")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict_folder(gold_dir: Path, out_dir: Path) -> list[str]:
    """Write ``<name>.json`` predictions for every ``<name>.gold.json`` document."""
    names = []
    catalogue = load_catalogue()
    docs = {p.name[: -len(".gold.json")]: p for p in gold_dir.glob("*.gold.json")}
    docs.update({p.name[: -len(".tasks.json")]: p for p in gold_dir.glob("*.tasks.json")
                 if p.name[: -len(".tasks.json")] not in docs})
    for name, path in sorted(docs.items()):
        gold = json.loads(path.read_text(encoding="utf-8"))
        result = analyse(gold_dir / gold["document"], catalogue=catalogue)
        (out_dir / f"{name}.json").write_text(
            json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
        names.append(name)
    return names


def evaluate(gold_dir: Path, keep: Path | None = None) -> dict[str, Any]:
    """Scores of ``eval/score.py`` (and ``score_tasks.py`` where task gold exists)."""
    scorer = _load(find_scorer(gold_dir))
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        predict_folder(gold_dir, out)
        total, per_doc = scorer.empty_counts(), {}
        for gold_path in sorted(gold_dir.glob("*.gold.json")):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            name = gold_path.name[: -len(".gold.json")]
            doc = (gold_dir / gold["document"]).read_text(encoding="utf-8")
            pred = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            counts = scorer.score_document(doc, gold, pred, name)
            per_doc[name] = scorer.summary(counts)
            for role in scorer.ROLES:
                for key in total[role]:
                    total[role][key] += counts[role][key]
        result: dict[str, Any] = {"documents": per_doc, "total": scorer.summary(total)}
        if any(gold_dir.glob("*.tasks.json")):
            result["tasks"] = _task_scores(gold_dir, out)
    return result


def _task_scores(gold_dir: Path, out: Path) -> dict[str, Any]:
    import contextlib
    import io

    scorer = _load(find_scorer(gold_dir, "score_tasks.py"))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main([str(gold_dir), str(out), "--json"])
    scores: dict[str, Any] = json.loads(buffer.getvalue())
    return scores
