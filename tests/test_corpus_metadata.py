"""Government, level and year of a corpus file from its path, front matter and text, with a
manifest overriding; every disagreement a flag."""
from __future__ import annotations

import pytest

from duban.corpus import read_metadata, same_government
from duban.corpus._metadata import core_name, delivery, parts_year, path_facts, region_of
from duban.structure import identify_government, level_of

OPENING = "——{date}在{place}第十六届人民代表大会第三次会议上\n\n各位代表：\n\n现在，我代表{place}人民政府向大会报告工作。\n"


@pytest.mark.parametrize(("path", "government", "level", "year"), [
    ("政府工作报告-主要城市/宁波市/2024.md", "宁波市", "city", 2024),
    ("政府工作报告-主要城市/北京市/2020.md", "北京市", "province", 2020),
    ("政府工作报告-省自治区/新疆维吾尔自治区/2005.md", "新疆维吾尔自治区", "province", 2005),
    ("政府工作报告-其他地市/黔东南苗族侗族自治州/2023.md", "黔东南苗族侗族自治州", "city", 2023),
    ("政府工作报告-国务院/1964-part.md", "国务院", "national", 1964),
    ("政府工作报告-主要城市/西宁市/2016-11.md", "西宁市", "city", 2016),
    ("national-2023.txt", "国务院", "national", 2023),
    ("province-gansu-2026.txt", "", "province", 2026),
    ("宁波市/海曙区/2021.md", "海曙区", "district", 2021),
    ("reports/2019/some-file.txt", "", "", 2019),
])
def test_what_a_path_says(path: str, government: str, level: str, year: int) -> None:
    facts = path_facts(path)
    assert (facts.government, facts.level, facts.year) == (government, level, year)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("伊犁哈萨克自治州", "伊犁州", True),
    ("黔东南苗族侗族自治州", "黔东南州", True),
    ("海西蒙古族藏族自治州", "海西州", True),
    ("呼伦贝尔市海拉尔区", "海拉尔区", True),
    ("大理白族自治州", "大理市", False),  # the prefecture and the city in it
    ("宿迁市", "宿州市", False),
    ("沧州市", "池州市", False),
])
def test_the_same_government_in_short_and_in_full(a: str, b: str, same: bool) -> None:
    assert same_government(a, b) is same


def test_core_names_and_regions() -> None:
    assert core_name("新疆维吾尔自治区") == "新疆" and core_name("宁波市") == "宁波"
    assert region_of("浙江省", "province") == "华东"
    assert region_of("宁波市", "city") == "浙江省"
    assert region_of("黔东南州", "city") == "贵州省"  # a short name finds its full one
    assert region_of("海拉尔区", "district") == ""


@pytest.mark.parametrize(("text", "government"), [
    ("各位代表：\n现在，我代表宁波市人民政府向大会报告工作，请予审议。", "宁波市"),
    ("2002年12月28日在哈尔滨市十二届人大一次会议上\n市长　石忠信", "哈尔滨市"),
    ("——2018年1月10日在市十六届人大二次会议上\n\n厦门市市长洪永世\n", "厦门市"),
    ("现在，我代表市人民政府向大会报告工作。\n", ""),  # names no place
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李强", "国务院"),
    ("1989年1月在浙江省第七届人民代表大会上\n学习贯彻李鹏总理在第七届全国人民代表大会第二次会议上的政府工作报告", "浙江省"),
])
def test_the_government_a_report_names(text: str, government: str) -> None:
    assert identify_government(text)[0] == government


def test_levels_of_names() -> None:
    assert [level_of(n) for n in ("北京市", "广西壮族自治区", "延边朝鲜族自治州", "阿里地区", "锡林郭勒盟",
                                  "海拉尔区", "长兴县")] == ["province", "province", "city", "city", "city",
                                                             "district", "county"]


@pytest.mark.parametrize(("text", "year", "date"), [
    ("——2015年12月28日在白城市第七届人民代表大会", 2016, "2015-12"),
    ("——二〇二一年一月十八日在厦门市", 2021, "2021-01"),
    ("2021年10月26日在南昌市第十六届人民代表大会第一次会议上", 2021, "2021-10"),
    ("各位代表：", None, ""),
])
def test_a_report_delivered_in_november_or_december_is_next_years(text: str, year: int | None,
                                                                   date: str) -> None:
    assert delivery(text) == (year, date)


def test_the_years_the_parts_speak_of() -> None:
    assert parts_year([("2015年主要工作和“十二五”发展成就", "review"), ("“十三五”发展主要目标任务", "targets"),
                       ("2016年主要工作", "plan")]) == 2016
    assert parts_year([("一、2014年工作简要回顾", "review"), ("二、2015年工作安排", "plan")]) == 2015
    # one part misread as a plan is outvoted
    assert parts_year([("2009年的主要工作", "plan"), ("2010年工作的总体要求和主要目标", "targets"),
                       ("2010年主要工作任务", "plan")]) == 2010
    assert parts_year([("过去五年工作回顾", "review")]) is None


def test_path_front_matter_and_text_agree() -> None:
    text = OPENING.format(date="2024年1月20日", place="宁波市")
    meta = read_metadata("政府工作报告-主要城市/宁波市/2024.md", {"title": "2024年政府工作报告"}, text,
                         [("一、2023年工作回顾", "review")], {})
    assert (meta.government, meta.level, meta.year, meta.region) == ("宁波市", "city", 2024, "浙江省")
    assert meta.flags == () and meta.year_source == "path" and meta.delivered == "2024-01"


def test_a_report_filed_under_another_place_is_the_one_it_names() -> None:
    text = OPENING.format(date="2016年1月6日", place="池州市")
    meta = read_metadata("政府工作报告-其他地市/沧州市/2016.md",
                         {"title": "池州市政府工作报告 （2016年1月6日 雍成瀚）"}, text, [], {})
    assert (meta.government, meta.government_source) == ("池州市", "text")
    assert "government_conflict" in meta.flags
    # only one source names another place: the path stands, flagged
    meta = read_metadata("政府工作报告-其他地市/宿迁市/2015.md", {"title": "宿州市政府工作报告"},
                         OPENING.format(date="2015年1月19日", place="苏州市"), [], {})
    assert meta.government == "宿迁市" and "government_conflict" in meta.flags


def test_the_path_year_against_the_text() -> None:
    # delivered in December of the year the file is named after: next year's report
    meta = read_metadata("兰州市/2021.md", {"title": "兰州市人民政府工作报告（2022）"},
                         OPENING.format(date="2021年12月21日", place="兰州市"), [("一、2021年工作回顾", "review")], {})
    assert (meta.year, meta.year_source) == (2022, "date") and "year_from_delivery" in meta.flags
    # the date and the parts agree on another year than the path: the text wins, flagged
    meta = read_metadata("牡丹江市/2016.md", {}, OPENING.format(date="2015年2月3日", place="牡丹江市"),
                         [("一、2014年工作简要回顾", "review")], {})
    assert (meta.year, meta.year_source) == (2015, "text") and "year_unsure" in meta.flags
    # a date that is a slip (2010 for 2003) against the path and the parts: the path stands
    meta = read_metadata("江苏省/2003.md", {}, OPENING.format(date="2010年2月20日", place="江苏省"),
                         [("二、2003年工作安排", "plan")], {})
    assert (meta.year, meta.year_source) == (2003, "path") and "year_unsure" in meta.flags


def test_without_a_path_the_text_decides() -> None:
    meta = read_metadata("report.md", {}, OPENING.format(date="2019年1月15日", place="宁波市"),
                         [("一、2018年工作回顾", "review")], {})
    assert (meta.government, meta.level, meta.year, meta.year_source) == ("宁波市", "city", 2019, "text")
    assert meta.flags == ()
    meta = read_metadata("report.md", {}, "各位代表：\n今年要稳增长。\n", [], {})
    assert set(meta.flags) == {"government_unknown", "level_guessed", "year_unsure", "year_unknown"}
    assert (meta.level, meta.year) == ("district", None)


def test_a_manifest_overrides_everything() -> None:
    meta = read_metadata("牡丹江市/2016.md", {}, OPENING.format(date="2015年2月3日", place="牡丹江市"),
                         [("一、2014年工作简要回顾", "review")],
                         {"government": "牡丹江市", "level": "city", "year": "2016"})
    assert (meta.year, meta.year_source, meta.government_source) == (2016, "manifest", "manifest")
    assert "year_unsure" not in meta.flags and "manifest=" in meta.sources
