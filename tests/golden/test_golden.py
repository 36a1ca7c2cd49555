"""Golden tests: short real excerpts with the expected quantities, terms and tasks.

``pytest --update-golden`` rewrites (or writes) the expected JSON for review (git diff shows
what changed); without it a case with no expectation fails: nothing passes by writing its own
answer.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from duban import load_report
from duban.extract import extract

CASES = sorted((Path(__file__).parent / "extract").glob("*.txt"))


def _summary(path: Path) -> dict:
    result = extract(load_report(path))
    return {
        "quantities": [
            {"quote": q.quote, "role": q.role, "value": q.value, "unit": q.unit,
             "comparator": q.comparator, "indicator": q.indicator}
            for q in result.quantities],
        "terms": sorted({t.text for t in result.terms}),
        "tasks": [{"quote": t.quote, "kind": t.kind} for t in result.tasks],
    }


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    expected_path = case.with_suffix(".json")
    got = _summary(case)
    if request.config.getoption("--update-golden"):
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    if not expected_path.exists():
        pytest.fail(f"{expected_path.name} is missing: run pytest --update-golden and review it")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got["quantities"] == expected["quantities"]
    assert got["terms"] == expected["terms"]
    assert got["tasks"] == expected["tasks"]
