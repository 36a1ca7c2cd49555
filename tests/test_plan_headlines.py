"""The headline targets of every report of ../shared/corpus/raw (66) become rows of its plan: the
list of main targets (…主要预期目标是：, found by a regex of its own, independent of the
extractor) gives one target row per indicator, and every target figure in it lies in one."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from duban import analyse
from duban.models import Quantity
from duban.track.taxonomy import standard_indicator

RAW = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw"
NAMES = sorted(p.name for p in RAW.glob("*.txt")) or ["(corpus absent)"]
# the year's list of main targets: the first 主要预期目标是… that states a percentage as a target
# (a review's list states achievements), else the first 主要目标/预期目标 list that does
_LISTS = [re.compile(r"主要预期目标\s*(?:是|为|：|:)[：:]?[^。]*?\d+(?:\.\d+)?\s*[%％][^。]*。"),
          re.compile(r"(?:主要目标|预期目标)\s*(?:是|为)[：:]?[^。]*?\d+(?:\.\d+)?\s*[%％][^。]*。")]


_HEADLINE = {"gdp_growth", "cpi", "urban_new_jobs", "unemployment_surveyed", "unemployment_registered"}


# known gaps, each failing today (strict: the day one is fixed, its entry must go)
KNOWN_GAPS = {
    "national-2026.txt": "城镇调查失业率5.5%左右 restated in the paragraph that explains the targets is no row",
}
# read by hand: these reports state no figure for the year's growth, prices or jobs
STATE_NONE = {"national-2000.txt", "national-2002.txt"}
CASES = [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True))
         if n in KNOWN_GAPS else n for n in NAMES]


@pytest.mark.parametrize("name", CASES)
def test_headline_targets_are_rows(corpus: Path, name: str) -> None:
    path = corpus / name
    if not path.is_file():
        pytest.skip("corpus absent")
    result = analyse(path, level=None)
    text = result.report.original
    lists = [m.span() for regex in _LISTS for m in regex.finditer(text)]
    figures: list[tuple[int, Quantity]] = []
    for start, end in lists:
        figures = [(i, q) for i, q in enumerate(result.quantities)
                   if start <= q.start < end and q.role == "target"]
        if figures:
            break
    if not figures:
        # no list worded 主要预期目标是… (national 2026 states them one by one, 广东 under a
        # heading): then every headline indicator's target (GDP, CPI, unemployment, new jobs …
        # by the standard taxonomy) is in a target row
        figures = [(i, q) for i, q in enumerate(result.quantities) if q.role == "target"
                   and q.period != "multi_year"
                   and standard_indicator(q.indicator, q.unit) in _HEADLINE]
        if name in STATE_NONE:
            assert not figures, f"{name} states no headline target, yet {figures[0][1].quote!r} is one"
            return
        assert figures, f"{name}: neither a list of main targets nor a headline target found"
        for _, q in figures:
            assert any(t.kind == "target" and t.start <= q.start and q.end <= t.end
                       for t in result.tasks), f"{name}: {q.quote!r} ({q.indicator}) in no target row"
        return
    rows = [t for t in result.tasks if t.start < end and t.end > start]
    for _, q in figures:
        holders = [t for t in rows if t.start <= q.start and q.end <= t.end]
        assert holders and holders[0].kind == "target", \
            f"{name}: the headline target {q.quote!r} is in no target row"
    # one row per indicator: a row holds one figure, or an indicator's rate and its level
    # (增长11%，达到282亿元); never the whole list
    assert len(rows) >= len(figures) / 2, f"{name}: {len(rows)} rows for {len(figures)} figures"
    assert all(len(t.quantities) <= 3 for t in rows if t.kind == "target"), \
        [t.quote for t in rows if len(t.quantities) > 3]
