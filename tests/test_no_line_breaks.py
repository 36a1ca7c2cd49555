"""Every corpus report with its line breaks removed extracts what the report as given does.

Several public datasets keep a report on one line, its paragraphs joined by runs of spaces (or
by nothing at all). The repair finds the paragraphs again (ingest/_repair.run_on_breaks), so
the outline, and with it every role, is the same. A quantity is compared by its figure (white
space removed), value, unit, comparator and role; offsets differ between the copies.

Tolerances, measured on the 66 reports (bench/no_line_breaks.py prints every difference):
- joined by spaces: 3 of 9,552 differ, all in 海拉尔区 2012, whose copy breaks a figure over
  two lines (3.6 / %): joined by a space it is no longer one figure. Allowed: 0.1 %.
- joined by nothing: 183 of 9,552 (1.9 %) differ. Where nothing parts a title from its
  paragraph and the title is a phrase of its own with a comma (一、扩大和培育内需，促进经济
  较快增长…) or a bare title line (“十四五”时期发展成就…), no rule can tell where the title
  ends, so its part's kind is judged by its wording. Allowed: 2.5 %.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from duban.extract import extract
from duban.ingest import report_from_text

Key = tuple[str, float | None, str, str, str]


def _keys(text: str, name: str) -> Counter[Key]:
    result = extract(report_from_text(text, name, "txt"))
    return Counter(("".join(q.quote.split()), q.value, q.unit, q.comparator, q.role)
                   for q in result.quantities)


@pytest.fixture(scope="module")
def differences(corpus: Path) -> dict[str, tuple[int, int]]:
    """(quantities as given, quantities that differ) per way of joining, over the corpus."""
    totals = {"spaces": [0, 0], "nothing": [0, 0]}
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        given = _keys(text, path.name)
        paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
        for way, sep in (("spaces", "  "), ("nothing", "")):
            joined = _keys(sep.join(paragraphs), path.name)
            totals[way][0] += sum(given.values())
            totals[way][1] += max(sum((given - joined).values()), sum((joined - given).values()))
    return {way: (n, d) for way, (n, d) in totals.items()}


@pytest.mark.parametrize("way, tolerance", [("spaces", 0.001), ("nothing", 0.025)])
def test_a_report_without_line_breaks_extracts_the_same(differences: dict[str, tuple[int, int]],
                                                         way: str, tolerance: float) -> None:
    total, differ = differences[way]
    assert total > 9000
    assert differ <= tolerance * total, f"{way}: {differ} of {total} quantities differ"
