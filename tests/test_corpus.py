"""Every report of ../shared/corpus/raw reads, has an outline and its year, and yields items."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from duban import load_report
from duban.extract import extract

NAMES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw")
               .glob("*.txt")) or ["(corpus absent)"]


@pytest.mark.parametrize("name", NAMES)
def test_report_structure(corpus: Path, name: str) -> None:
    result = extract(load_report(corpus / name))
    kinds = {s.kind for s in result.outline if s.level == 1}
    assert "review" in kinds or name.startswith("national-2002"), kinds
    assert kinds & {"plan", "targets"}
    assert result.year == int(re.search(r"(\d{4})", name).group(1))
    roles = {q.role for q in result.quantities}
    assert roles == {"target", "achievement"}
    assert len(result.tasks) > 20
    for q in result.quantities:
        quote = result.report.original[q.start:q.end]
        assert quote == q.quote and quote.strip()
