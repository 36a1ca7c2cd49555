"""Headline series over the 66 reports of ../shared/corpus/raw: wherever a report's list of
main targets states a GDP growth, CPI or unemployment target (found by a regex of its own,
independent of the extractor), the dataset gives that figure as a target under the standard
indicator."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from duban import analyse
from duban.corpus._records import _period
from duban.ingest import load_report
from duban.track.taxonomy import indicators, standard_indicator

RAW = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "raw"
NAMES = sorted(p.name for p in RAW.glob("*.txt")) or ["(corpus absent)"]
_WIDE = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)} | {"％": "%", "．": "."})
_NUM = r"(\d+(?:\.\d+)?)%"
_AT = r"(?:^|[：:，,；;。\s]|今年|全年|全省|全市|全区|全国)"  # a clause's start, not 县域经济 or 人均…
# a list of main targets opens with …主要预期目标是： (the first such list that states a figure
# is the year's; a five-year plan's list before it states none)
_LIST = re.compile(r"(?:预期目标|主要目标)(?:是|为|：|:|\s*\n)")
STATED = {
    "gdp_growth": re.compile(_AT + r"(?:国内生产总值|地区生产总值|生产总值|经济)(?:预期)?按?(?:增长|增速)(?:速度)?"
                             r"(?:的)?(?:预期目标|目标)?(?:为|是|定为)?\s*(\d+(?:\.\d+)?)(?:%|[－—~-]\d+(?:\.\d+)?%)"
                             + r"(?![\d.])"),
    "cpi": re.compile(r"居民消费价格(?:总水平)?(?:涨幅|上涨|上涨幅度)(?:控制在|为|在)?\s*" + _NUM + r"(?:左右|以内)"),
    "unemployment_surveyed": re.compile(r"城镇调查失业率(?:控制在|为|在)?\s*" + _NUM + r"(?:左右|以内)"),
    "unemployment_registered": re.compile(r"城镇登记失业率(?:控制在|为|在)?\s*" + _NUM + r"(?:左右|以内)"),
}


def _stated(text: str) -> dict[str, float]:
    """The headline targets the report's list of main targets states, by code."""
    text = text.translate(_WIDE)
    for start in _LIST.finditer(text):
        window = text[max(0, start.start() - 80):start.start() + 1000]
        found = {}
        for code, pattern in STATED.items():
            match = pattern.search(window)
            if match:
                found[code] = float(match.group(1))
        if found:
            return found
    return {}


@pytest.mark.parametrize("name", NAMES)
def test_stated_headline_targets_are_under_their_standard_indicator(corpus: Path, name: str) -> None:
    report = load_report(corpus / name)
    stated = _stated(report.original)
    result = analyse(report, assign=False)
    coded: dict[str, set[float | None]] = {}
    for q in result.quantities:
        if q.role == "target":
            coded.setdefault(standard_indicator(q.indicator, q.unit), set()).add(q.value)
    for code, value in stated.items():
        assert value in coded.get(code, set()), (code, value, sorted(coded.get(code, set()), key=str))
    # the year right: the report's own year, and the figure a one-year target
    assert result.year == int(re.search(r"(\d{4})", name).group(1))
    if "gdp_growth" in stated:
        periods = {_period(q, report.original, result.year) for q in result.quantities
                   if q.role == "target" and q.value == stated["gdp_growth"]
                   and standard_indicator(q.indicator, q.unit) == "gdp_growth"}
        assert "year" in periods, periods


def test_the_national_gdp_series_of_the_dataset(corpus: Path, tmp_path: Path) -> None:
    """Over a batch of the national reports 2000–2026: the corpus report's series gives each
    year's stated GDP growth target at that year, and no actual of the next report is a
    multi-year figure or outside the plausible range."""
    import shutil

    from duban.corpus import run_batch
    from duban.corpus.report import report_data

    folder = tmp_path / "national"
    folder.mkdir()
    for year in range(2000, 2027):
        shutil.copy(corpus / f"national-{year}.txt", folder / f"national-{year}.txt")
    run_batch(str(folder), tmp_path / "out", workers=2)
    data = report_data(tmp_path / "out")
    points = {p[0]: p for p in data["series"]["国务院"]["gdp_growth"]}
    for year in range(2000, 2027):
        stated = _stated((corpus / f"national-{year}.txt").read_text(encoding="utf-8")).get("gdp_growth")
        if stated is not None:
            assert points[year][1] == stated, (year, points.get(year))
    actuals = {y: p[4] for y, p in points.items() if p[4] is not None}
    assert len(actuals) >= 15 and all(0 < v < 15 for v in actuals.values()), actuals


def test_every_national_report_2000_2026_that_states_a_gdp_target_is_checked(corpus: Path) -> None:
    stated = [y for y in range(2000, 2027)
              if "gdp_growth" in _stated((corpus / f"national-{y}.txt").read_text(encoding="utf-8"))]
    # 2000 and 2002 state none, 2001 only the five-year average of “十五”, 2020 none (the
    # pandemic), 2026 leaves it to its appendix
    assert set(range(2000, 2027)) - set(stated) == {2000, 2001, 2002, 2020, 2026}
    provinces = [n for n in NAMES if n.startswith("province-")
                 and "gdp_growth" in _stated((corpus / n).read_text(encoding="utf-8"))]
    assert len(provinces) == 31


def test_every_example_of_the_taxonomy_gets_its_own_code() -> None:
    from duban.rules import load_table

    table = load_table("taxonomy.toml")
    assert len(table["indicator"]) >= 40
    for entry in table["indicator"]:
        for example in entry.get("examples", []):
            assert standard_indicator(example, entry["units"][0]) == entry["id"], (entry["id"], example)
        for example in entry.get("counter_examples", []):
            assert standard_indicator(example, entry["units"][0]) != entry["id"], (entry["id"], example)


@pytest.mark.parametrize(("words", "unit", "code"), [
    ("全年地区生产总值增长", "%", "gdp_growth"),
    ("中央提出今年经济增长预期目标", "%", "gdp_growth"),  # national 2004
    ("城镇登记失业率控制在", "%", "unemployment_registered"),
    ("居民消费价格指数（CPI）涨幅", "%", "cpi"),
    ("地区生产总值年均增长", "%", "gdp_growth"),  # a five-year average: its period says so
    ("人均地区生产总值增长", "%", "gdp_per_capita_growth"),
    ("单位地区生产总值能耗下降", "%", "energy_intensity"),
    ("地区生产总值", "元", "gdp_level"),
    ("地区生产总值增长", "元", ""),  # a growth is no amount of money
    ("城镇化率提高", "百分点", ""),  # a change in points is not the rate
    ("海洋生产总值增长", "%", ""),
    ("城乡居民人均可支配收入分别增长", "%", ""),  # two figures: neither is the one code
])
def test_words_and_unit_give_the_code(words: str, unit: str, code: str) -> None:
    assert standard_indicator(words, unit) == code


def test_codes_are_unique_and_headlines_have_a_plausible_range() -> None:
    codes = [i.code for i in indicators()]
    assert len(codes) == len(set(codes))
    for i in indicators():
        if i.headline and "%" in i.units:
            assert i.low is not None and i.high is not None and i.low < i.high, i.code


def test_a_target_in_the_years_list_of_main_targets() -> None:
    from duban.track.taxonomy import in_target_list

    text = ("“十四五”时期，地区生产总值年均增长6%。今年经济社会发展的主要预期目标是：\n\n地区生产总值增长7%左右，"
            "财政收入增长2%，“十四五”期末年均增长6.5%。预计全年完成生产总值765亿元，增长4.5%。")
    assert [in_target_list(text, text.index(f)) for f in ("6%", "7%", "2%", "6.5%", "4.5%")] == [
        False, True, True, False, False]
