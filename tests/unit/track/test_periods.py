"""The period of a review's figure: the past year's, several years', or a level."""
from __future__ import annotations

import pytest

from duban.extract import PERIODS, quantity_period
from duban.rules import load_table


def _period(text: str, figure: str, year: int | None = 2015, occurrence: int = 1) -> str:
    """The period of ``figure`` (``words|figure``: the figure that ends those words)."""
    words, _, figure = figure.rpartition("|")
    at = -1
    for _ in range(occurrence):
        at = text.index(words + figure, at + 1)
    at += len(words)
    return quantity_period(text, at, at + len(figure), year)


FIVE_YEAR_REPORT = (
    "一、2015年工作回顾\n"
    "过去一年，经济运行保持在合理区间。国内生产总值增长6.9%，城镇新增就业1312万人。\n"
    "一年来，我们主要做了以下工作：\n"
    "一是稳增长。棚户区住房改造开工601万套。近三年淘汰落后炼钢炼铁产能9000多万吨。\n"
    "2015年是“十二五”收官之年。过去五年，我国发展成就举世瞩目。国内生产总值年均增长7.8%。\n"
    "城镇新增就业人数超过6400万人。铁路营业里程达到12.1万公里。\n"
    "二、2016年重点工作\n"
    "过去一年，我们的各项工作取得了很大成绩。国内生产总值增长6.9%。\n"
)


@pytest.mark.parametrize("figure, occurrence, period", [
    ("6.9%", 1, "year"),         # 过去一年 opens the paragraph
    ("1312万人", 1, "year"),
    ("601万套", 1, "year"),      # 一年来，我们主要做了以下工作 sets the scope below it
    ("9000多万吨", 1, "multi_year"),  # 近三年, in the sentence
    ("7.8%", 1, "multi_year"),   # 过去五年 opens the paragraph (after 2015年是…收官之年)
    ("6400万人", 1, "multi_year"),  # the five-year scope goes on in the next paragraph
    ("12.1万公里", 1, "multi_year"),
    ("6.9%", 2, "year"),         # a new part: 过去一年 in the plan part is the year's again
])
def test_five_year_review(figure: str, occurrence: int, period: str) -> None:
    assert _period(FIVE_YEAR_REPORT, figure, occurrence=occurrence) == period


def test_the_reviewed_year_named_in_a_five_year_paragraph_is_the_year() -> None:
    text = ("——产业结构不断优化。五年来，我区着力促转型。\n"
            "旅游业持续发展。五年来，我区旅游产业取得长足发展。2015年旅游收入达到69亿元，"
            "是2010年的2.6倍，旅游接待人数达到607万人次，是2010年的2.4倍。五年新增商业营业面积50万平方米。\n")
    assert _period(text, "69亿元") == "year"
    assert _period(text, "607万人次") == "year"  # 2010年 in between is no cue
    assert _period(text, "50万平方米") == "multi_year"
    # without the year reviewed, no explicit year is a cue: the paragraph's 五年来 decides
    assert _period(text, "69亿元", year=None) == "multi_year"


@pytest.mark.parametrize("sentence, figure, period", [
    ("去年末居民储蓄存款余额增长8.5%。", "8.5%", "year"),      # the growth of a stock
    ("服务业在国内生产总值中的比重上升到50.5%。", "50.5%", "level"),
    ("海拉尔东山机场年吞吐量突破222万人次。", "222万人次", "year"),
    ("国内生产总值年均增长11.2%。", "11.2%", "multi_year"),
    ("累计完成投资485.36亿元。", "485.36亿元", "multi_year"),
    ("2016年以来累计减税降费8.8万亿元。", "8.8万亿元", "multi_year"),
    ("全年投资90.07亿元，完成1.8万户棚改任务。", "1.8万户", "year"),
])
def test_cues_in_the_sentence(sentence: str, figure: str, period: str) -> None:
    assert _period(sentence, figure) == period


def test_a_part_heading_decides_when_nothing_else_does() -> None:
    text = "一、“十一五”时期国民经济和社会发展的回顾\n国内生产总值达到39.8万亿元。\n"
    assert _period(text, "39.8万亿元", year=2010) == "multi_year"
    mixed = "一、“十二五”时期和2015年工作回顾\n地区生产总值达到287.9亿元。\n"
    assert _period(mixed, "287.9亿元") == "year"  # a heading naming both decides nothing


def test_every_cue_has_examples_and_a_known_kind() -> None:
    for cue in load_table("periods.toml")["cue"]:
        assert cue["kind"] in PERIODS, cue["id"]
        assert cue["examples"], cue["id"]


def test_real_reports_that_open_a_five_year_period(corpus) -> None:  # type: ignore[no-untyped-def]
    text = (corpus / "national-2016.txt").read_text(encoding="utf-8")
    assert _period(text, "增长|6.9%") == "year"
    assert _period(text, "年均增长|7.8%") == "multi_year"
    assert _period(text, "城镇保障性安居工程住房建设|4013万套") == "multi_year"
    assert _period(text, "城镇保障性安居工程住房基本建成|772万套") == "year"
    text = (corpus / "national-2011.txt").read_text(encoding="utf-8")
    assert _period(text, "城镇新增就业|5771万人", year=2010) == "multi_year"
    assert _period(text, "国内生产总值增长|10.3%", year=2010) == "year"  # 过去一年, in part 三
    assert _period(text, "去年对外贸易总额达到|2.97万亿美元", year=2010) == "year"


def test_an_average_after_the_figure_makes_it_a_total() -> None:
    text = "五年来，制定并实施科技规划纲要。中央财政科技投入6197亿元，年均增长22.7%。\n"
    assert _period(text, "6197亿元", year=2010) == "multi_year"
    assert _period("国内生产总值达到67.7万亿元，增长6.9%。", "67.7万亿元") == "year"


def test_a_cue_inside_a_sentence_sets_no_scope() -> None:
    text = ("一、2020年工作回顾\n2020年是极不平凡的一年。全市地区生产总值增长5.7%。\n"
            "“岛内大提升”全面推进。策划生成未来三年亿元以上项目1224个。\n"
            "社会保障力度加大。城镇新增就业35.6万人。\n")
    assert _period(text, "35.6万人", year=2020) == "year"


def test_a_running_total_reached_is_a_level() -> None:
    text = "一、2020年工作回顾\n新增国家高新技术企业789户、累计突破3300户。累计完成投资485亿元。\n"
    assert _period(text, "3300户", year=2020) == "level"
    assert _period(text, "789户", year=2020) == "year"
    assert _period(text, "485亿元", year=2020) == "multi_year"
