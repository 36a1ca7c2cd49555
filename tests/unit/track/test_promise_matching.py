"""The promise check on short reports: what it links, what it refuses, how it says why."""
from __future__ import annotations

import json

import pytest

from duban import read_report
from duban.extract import extract, quantity_period
from duban.track.promise import Link, check_promises, human


def _report(body: str, part: str):  # type: ignore[no-untyped-def]
    return extract(read_report(f"各位代表：\n{part}\n{body}\n".encode(), "r.txt", "txt"))


def _check(plan: str, review: str) -> dict[str, Link]:
    links = check_promises(_report(plan, "二、2023年工作安排"), _report(review, "一、2023年工作回顾"))
    return {link.target.quote: link for link in links}


def _outcome(link: Link) -> str | None:
    return link.outcome.quote if link.outcome else None


def test_an_equal_figure_of_another_object_is_no_outcome() -> None:
    links = _check("年内建成社区公厕15座，新增停车泊位1200个。",
                   "新建改造农贸市场15座，新增公共充电桩1200个。")
    assert links["15座"].verdict == "not_mentioned"
    assert links["1200个"].verdict == "not_mentioned"


def test_an_equal_figure_counts_once_the_objects_agree() -> None:
    links = _check("年内完成335座保暖房装修，全部达到入住标准。", "建成335户绿色保暖房。")
    assert (links["335座"].verdict, _outcome(links["335座"])) == ("met", "335户")


def test_a_budget_line_is_named_by_what_it_is_for() -> None:
    links = _check("中央财政赤字8500亿元。中央财政拟投入433亿元用于促进就业。",
                   "中央财政科技投入6197亿元。财政投入306亿元资助困难学生。")
    assert links["8500亿元"].verdict == "not_mentioned"
    assert links["433亿元"].verdict == "not_mentioned"


def test_qualifiers_that_differ_keep_two_networks_apart() -> None:
    links = _check("新建10公里供水管网。", "完成雨水管网改造12公里。")
    assert links["10公里"].verdict == "not_mentioned"


def test_starts_are_not_completions_and_increments_not_totals() -> None:
    links = _check("保障性安居工程新安排740万套。农村危房改造366万户，比上年增加100万户。",
                   "城镇保障性安居工程住房基本建成772万套，农村危房改造432万户。")
    assert links["740万套"].verdict == "not_mentioned"
    assert links["100万户"].verdict == "not_mentioned"
    assert (links["366万户"].verdict, _outcome(links["366万户"])) == ("exceeded", "432万户")


def test_compatible_units_jobs_in_places_and_people_money_in_any_magnitude() -> None:
    links = _check("力争年内新增就业岗位5000个。投资4800万元实施成吉思汗广场改造提升工程。",
                   "实现城镇新增就业5487人。投资0.6462亿元完成成吉思汗广场改造提升工程。")
    assert (links["5000个"].verdict, _outcome(links["5000个"])) == ("exceeded", "5487人")
    assert _outcome(links["4800万元"]) == "0.6462亿元"


def test_each_figure_of_a_list_speaks_of_its_own_series() -> None:
    links = _check("城镇和农村居民人均可支配收入分别增长8%和7.5%。",
                   "城镇和农村居民人均可支配收入分别增长7.8%、8.2%。")
    assert (links["8%"].verdict, _outcome(links["8%"])) == ("partly", "7.8%")
    assert (links["7.5%"].verdict, _outcome(links["7.5%"])) == ("exceeded", "8.2%")


def test_one_figure_for_two_series_is_judged_by_the_one_behind() -> None:
    links = _check("城乡居民人均可支配收入分别增长7.5%。",
                   "城乡常住居民人均可支配收入同比分别增长6.5%、9.4%。")
    assert (links["7.5%"].verdict, _outcome(links["7.5%"])) == ("partly", "6.5%")


def test_one_review_figure_for_two_targets() -> None:
    links = _check("城镇常住居民人均可支配收入增长8%；农村牧区常住居民人均可支配收入增长7.5%。",
                   "城镇和农村居民人均可支配收入分别同比增长7.8%。")
    assert (links["8%"].verdict, _outcome(links["8%"])) == ("partly", "7.8%")
    assert (links["7.5%"].verdict, _outcome(links["7.5%"])) == ("met", "7.8%")


def test_outcomes_in_words() -> None:
    links = _check("投资6.6亿元，实施两河圣山文化旅游景区的基础设施建设。启动投资2亿元的智慧城市项目。"
                   "居民消费价格涨幅3%左右。",
                   "两河圣山旅游文化景区基础设施建设工程进展顺利。下大力气启动智慧城市一期项目。"
                   "居民消费价格涨幅保持较低水平。")
    assert links["6.6亿元"].verdict == "partly" and "进展顺利" in _outcome(links["6.6亿元"])
    assert links["2亿元"].verdict == "met"  # the target was to start it
    assert links["3%"].verdict == "met" and links["3%"].evidence == "words"
    assert "进展顺利" in links["6.6亿元"].reason


def test_activity_and_figures_in_words_are_no_outcome() -> None:
    links = _check("推进钢铁行业去产能3000万吨。社会消费品零售总额增长10%。",
                   "推进钢铁行业市场化去产能。完成社会消费品零售总额5846亿元。")
    assert links["3000万吨"].verdict == "not_mentioned"
    assert links["10%"].verdict == "not_mentioned"


def test_an_outcome_the_other_way_counts_against_the_target() -> None:
    links = _check("社会消费品零售总额增长7%左右。", "社会消费品零售总额下降3%左右。")
    assert links["7%"].verdict == "missed"
    assert "反向" in links["7%"].reason


def test_five_year_figures_are_no_outcome_of_the_year() -> None:
    plan = "国内生产总值增长7%左右，城镇新增就业1000万人以上。"
    review = ("过去一年，国内生产总值增长6.9%，城镇新增就业1312万人。\n"
              "过去五年，国内生产总值年均增长7.8%，城镇新增就业人数超过6400万人。")
    links = _check(plan, review)
    assert _outcome(links["7%"]) == "6.9%"
    assert _outcome(links["1000万人"]) == "1312万人"


def test_a_target_for_five_years_is_not_judged_on_one() -> None:
    plan = "今后五年，城镇新增就业5000万人以上。今年城镇新增就业1000万人以上。"
    links = _check(plan, "全年城镇新增就业1314万人。")
    assert links["5000万人"].verdict == "not_mentioned" and "多年" in links["5000万人"].reason
    assert links["1000万人"].verdict == "exceeded"


def test_reasons_in_chinese_with_figures_as_reports_write_them() -> None:
    links = _check("地区生产总值增长8%以上，达到164.1亿元。",
                   "地区生产总值完成170.3亿元，增长10.3%。")
    assert links["8%"].reason == "目标8%（≥），实际10.3%，超额完成"
    assert "164.1亿元" in links["164.1亿元"].reason and "e+" not in links["164.1亿元"].reason
    data = links["8%"].to_json()
    assert 0 < data["confidence"] <= 1 and data["evidence"] == "number"
    assert json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("value, unit, shown", [
    (1.641e10, "元", "164.1亿元"), (4.7e8, "元", "4.7亿元"), (35578.0, "元", "35578元"),
    (16000.0, "人", "1.6万人"), (8.0, "%", "8%"), (0.4, "百分点", "0.4个百分点"),
    (2.744e10, "元", "274.4亿元"), (3.8e12, "元", "3.8万亿元"), (1.3e12, "斤", "1.3万亿斤"),
    (None, "元", "—"),
])
def test_human_figures(value: float | None, unit: str, shown: str) -> None:
    assert human(value, unit) == shown


@pytest.mark.parametrize("earlier, later", [("national-2010", "national-2011"),
                                            ("national-2015", "national-2016"),
                                            ("district-hailaer-2015", "district-hailaer-2016")])
def test_no_outcome_is_a_five_year_figure_in_real_reports(corpus, earlier: str,  # type: ignore[no-untyped-def]
                                                          later: str) -> None:
    first = extract(read_report((corpus / f"{earlier}.txt").read_bytes(), "a.txt", "txt"))
    second = extract(read_report((corpus / f"{later}.txt").read_bytes(), "b.txt", "txt"))
    text = second.report.original
    for link in check_promises(first, second):
        if link.outcome is not None and link.evidence == "number":
            period = quantity_period(text, link.outcome.start, link.outcome.end, first.year)
            assert period != "multi_year", (link.target.quote, link.outcome.quote)


def test_a_handful_may_grow_more_than_fivefold_but_a_figure_may_not() -> None:
    links = _check("岛外四区各开工建设一所区属普通高中。年内新开通国际航线30条。",
                   "岛外四区开工建设7所区属普通高中。国际航线达到340条。")
    assert (links["一所"].verdict, _outcome(links["一所"])) == ("exceeded", "7所")
    assert links["30条"].verdict == "not_mentioned"  # 340条 is all routes, not the new ones


def test_a_total_reached_is_not_the_year_s_additions() -> None:
    links = _check("国家高新技术企业突破3000家。",
                   "新增国家高新技术企业789户、累计突破3300户。")
    assert (links["3000家"].verdict, _outcome(links["3000家"])) == ("exceeded", "3300户")


def test_words_after_a_figure_say_how_far_its_work_got() -> None:
    links = _check("续建52中、64中等9所学校。", "16所新续建学校、12所改扩建医院进展顺利。")
    assert (links["9所"].verdict, _outcome(links["9所"])) == ("partly", "16所")
    assert "进展顺利" in links["9所"].reason


def test_the_verdict_vocabulary_is_valid_data() -> None:
    from duban.rules import load_table
    from duban.track.promise import VERDICTS

    table = load_table("verdicts.toml")  # examples and counter-examples checked on load
    assert table["version"] >= 1
    for rule in table["words"]:
        assert rule["verdict"] in VERDICTS and isinstance(rule["stage"], int), rule["id"]
        assert rule["examples"], rule["id"]
    assert {rule["verdict"] for rule in table["words"]} == {"met", "partly", "missed"}
