"""Every quantity carries its period (extract.quantity_period) and the naming step behind its
indicator, and both are written in its JSON."""
from __future__ import annotations

from duban.extract import extract
from duban.ingest import report_from_text

_REVIEW = ("一、2025年工作回顾\n五年来，累计新增城镇就业50万人，地区生产总值年均增长6%。"
           "过去一年，新增城镇就业11万人，森林覆盖率达到45%。\n"
           "二、2026年工作安排\n今年新增城镇就业12万人。今后五年，新建学校30所。\n")


def _periods() -> dict[str, tuple[str, str]]:
    result = extract(report_from_text(_REVIEW, "periods.txt", "txt"))
    return {q.quote: (q.role or "", q.period) for q in result.quantities}


def test_review_figures_are_the_years_several_years_or_a_level() -> None:
    periods = _periods()
    assert periods["50万人"] == ("achievement", "multi_year")  # 五年来，累计…
    assert periods["6%"] == ("achievement", "multi_year")  # 年均增长
    assert periods["11万人"] == ("achievement", "year")  # 过去一年
    assert periods["45%"] == ("achievement", "level")  # 森林覆盖率达到


def test_targets_are_the_years_or_several_years() -> None:
    periods = _periods()
    assert periods["12万人"] == ("target", "year")
    assert periods["30所"] == ("target", "multi_year")  # 今后五年


def test_the_json_says_period_and_indicator_rule() -> None:
    result = extract(report_from_text(_REVIEW, "periods.txt", "txt"))
    row = result.quantities[0].to_json()
    assert row["period"] == "multi_year"
    assert row["indicator_rule"] == "indicator.own"
    assert all(q.indicator_rule.startswith("indicator.") for q in result.quantities)
