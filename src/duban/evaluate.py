"""Run the pipeline over an annotated folder and score it with the shared scorers.

A folder holds ``<name>.gold.json`` (quantities, scored by ``eval/score.py``) and/or
``<name>.tasks.json`` (plan rows, scored by ``eval/score_tasks.py``); each names its document
relative to itself, or, with ``"corpus_env": "VAR"``, relative to the corpus folder that the
environment variable ``VAR`` names (a corpus that is never copied into the project). Documents
whose corpus is not on this machine are skipped and listed. Departments are suggested with the
catalogue of the level each report names (国务院 → ministries, 河南省 → 省…厅).
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import InputError
from .pipeline import analyse


def find_scorer(gold_dir: Path, name: str = "score.py") -> Path:
    """``eval/<name>`` in the nearest folder above ``gold_dir`` that has one, or the shared
    scorers beside the project (``../shared/eval``)."""
    bases = [gold_dir, *gold_dir.resolve().parents]
    here = Path(__file__).resolve()
    bases += [p / "shared" for p in here.parents]
    for base in bases:
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


def document_of(gold_path: Path, gold: dict[str, Any]) -> Path | None:
    """The document a gold file annotates; None when its corpus is not on this machine."""
    env = gold.get("corpus_env")
    if env:
        root = os.environ.get(env)
        if not root:
            return None
        path = Path(root) / str(gold["document"])
        return path if path.is_file() else None
    return gold_path.parent / str(gold["document"])


def _golds(gold_dir: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """name -> (gold file, gold) for every annotated document (quantities or tasks)."""
    docs: dict[str, tuple[Path, dict[str, Any]]] = {}
    for suffix in (".tasks.json", ".gold.json"):  # the quantities' gold wins a shared name
        for path in sorted(gold_dir.glob(f"*{suffix}")):
            docs[path.name[: -len(suffix)]] = (path, json.loads(path.read_text(encoding="utf-8")))
    return docs


def predict_folder(gold_dir: Path, out_dir: Path) -> tuple[list[str], list[str]]:
    """Write ``<name>.json`` predictions for every annotated document; (done, skipped)."""
    done, skipped = [], []
    for name, (path, gold) in _golds(gold_dir).items():
        document = document_of(path, gold)
        if document is None:
            skipped.append(name)
            continue
        result = analyse(document, level=None)
        (out_dir / f"{name}.json").write_text(
            json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
        done.append(name)
    return done, skipped


def evaluate(gold_dir: Path, keep: Path | None = None) -> dict[str, Any]:
    """Scores of ``eval/score.py`` (and ``score_tasks.py`` where task gold exists)."""
    scorer = _load(find_scorer(gold_dir))
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        done, skipped = predict_folder(gold_dir, out)
        total, per_doc = scorer.empty_counts(), {}
        for gold_path in sorted(gold_dir.glob("*.gold.json")):
            name = gold_path.name[: -len(".gold.json")]
            if name not in done:
                continue
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            document = document_of(gold_path, gold)
            assert document is not None
            doc = document.read_text(encoding="utf-8")
            pred = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
            counts = scorer.score_document(doc, gold, pred, name)
            per_doc[name] = scorer.summary(counts)
            for role in scorer.ROLES:
                for key in total[role]:
                    total[role][key] += counts[role][key]
        result: dict[str, Any] = {"documents": per_doc, "total": scorer.summary(total),
                                  "skipped": skipped}
        if any(gold_dir.glob("*.tasks.json")):
            result["tasks"] = _task_scores(gold_dir, out)
    return result


def _task_scores(gold_dir: Path, out: Path) -> dict[str, Any]:
    scorer = _load(find_scorer(gold_dir, "score_tasks.py"))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main([str(gold_dir), str(out), "--json"])
    scores: dict[str, Any] = json.loads(buffer.getvalue())
    return scores
