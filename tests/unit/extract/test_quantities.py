"""Sentences in, quantities out: the hard cases of the brief, one behaviour each."""
from __future__ import annotations

import pytest

from duban import read_report
from duban.extract import extract
from duban.extract import lexicon

PLAN = "各位代表：\n一、2022年工作回顾\n全年新增就业1.7万人。\n二、2023年工作安排\n{}\n"


def _plan(sentence: str):
    report = read_report(PLAN.format(sentence).encode(), "t.txt", "txt")
    return [q for q in extract(report).quantities if q.role == "target"]


@pytest.mark.parametrize("sentence,value,unit,comparator", [
    ("力争新增就业1.6万人。", 16000, "人", "="),
    ("建成绿色建筑109.4万平米。", 1094000, "平方米", "="),
    ("确保城乡居民养老保险参保率在95%以上。", 95, "%", ">="),
    ("城镇调查失业率控制在5.5%以内。", 5.5, "%", "<="),
    ("地区生产总值增长6%左右。", 6, "%", "~"),
    ("地区生产总值增长6%—6.5%。", 6, "%", "range"),
    ("新建学校5至6所。", 5, "所", "range"),
    ("新建和改扩建中小学、幼儿园八所。", 8, "所", "="),
    ("举办活动3万余场次。", 30000, "场次", ">="),
    ("新增装机120万千瓦。", 1200000, "千瓦", "="),
    ("社会消费品零售总额突破5000亿元。", 5e11, "元", ">="),
    ("全年提高两个百分点。", 2, "百分点", "="),
    ("惠及上亿群众。", 1e8, "人", ">="),
    ("新增十万户。", 100000, "户", "="),
    ("人均预期寿命提高到80岁以上。", 80, "岁", ">="),
    ("城乡居民收入比从2.50:1缩小至2.1∶1左右。", 2.1, "倍", "~"),
])
def test_values_units_comparators(sentence, value, unit, comparator) -> None:
    [q] = _plan(sentence)
    assert (q.value, q.unit, q.comparator) == (pytest.approx(value), unit, comparator)


@pytest.mark.parametrize("sentence", [
    "加快后子门220KV输变电工程建设。",
    "加快5G网络建设。",
    "加快建设“K-15”航空新城学区。",
    "落实稳增长“21条”。",
    "高质量建成“15分钟健身圈”。",
    "严格落实“三区三线”。",
    "忠诚拥护“两个确立”，严守党的“六大纪律”。",
    "依法开展第五次全国经济普查。",
    "推动区疾控中心创建三级乙等疾控机构。",
    "持续推进幸福美好生活十大工程。",
    "实施学校安防建设三年行动。",
    "为60岁以上老人提供服务。",
    "到2025年底完成改造。",
    "落实第8.6代线项目。",
    "对年收入50万元以上的行政村给予奖励。",
])
def test_non_quantities_are_left_out(sentence: str) -> None:
    assert _plan(sentence) == []


def test_start_value_is_left_out_level_reached_kept() -> None:
    qs = _plan("城乡居民基础养老金由每人每月70元提高到88元。")
    assert [q.value for q in qs] == [88]


def test_role_from_part_and_sentence_cues() -> None:
    report = read_report(PLAN.format("去年新增就业1.5万人。今年力争新增就业1.6万人。").encode(),
                         "t.txt", "txt")
    roles = [(q.value, q.role) for q in extract(report).quantities]
    assert roles == [(17000, "achievement"), (15000, "achievement"), (16000, "target")]


def _plan_roles(paragraph: str) -> list[tuple[float, str]]:
    report = read_report(PLAN.format(paragraph).encode(), "t.txt", "txt")
    return [(q.value, q.role) for q in extract(report).quantities if q.sentence > 3]


def test_a_paragraph_that_looks_back_is_past_throughout() -> None:
    assert _plan_roles("五年来，成绩来之不易。五年间，城镇新增就业1200万人。") == [
        (12_000_000, "achievement")]
    # a clause that looks ahead still sets a target
    assert _plan_roles("五年来，成绩来之不易。今后五年，力争城镇新增就业1300万人。") == [
        (13_000_000, "target")]


def test_a_plan_period_looks_back_only_when_it_has_ended() -> None:
    assert _plan_roles("“十三五”时期，发展成就显著。城镇新增就业1200万人。") == [
        (12_000_000, "achievement")]
    assert _plan_roles("“十五五”时期，要接续奋斗。城镇新增就业1200万人。") == [
        (12_000_000, "target")]


def test_a_comparator_after_a_respectively_list_bounds_every_figure() -> None:
    assert [q.comparator for q in _plan("水果、蔬菜、茶叶产量分别达2050万吨、4200万吨、19万吨以上。")] \
        == [">=", ">=", ">="]
    assert [q.comparator for q in _plan("城乡居民收入分别增长7%和8%左右。")] == ["~", "~"]
    # without 分别 each figure keeps its own
    assert [q.comparator for q in _plan("新建学校3所、医院2所以上。")] == ["=", ">="]


def test_indicator_in_the_reports_words() -> None:
    [q] = _plan("确保城乡居民养老保险参保率在95%以上。")
    assert q.indicator == "城乡居民养老保险参保率"
    a, b = _plan("新建学校3所、医院2所。")
    assert (a.indicator, b.indicator) == ("新建学校", "医院")


@pytest.mark.parametrize("sentence,indicators", [
    # the i-th of 分别 figures names the i-th item, whether joined by 、 or 和
    ("汽车、家电、手机销量分别增长8%、31%和32%。", ["汽车销量增长", "家电销量增长", "手机销量增长"]),
    # a baseline year or a from-to start value is not part of the name
    ("有效发明专利比2020年增长58%。", ["有效发明专利增长"]),
    ("研发经费由2020年的509亿元增加到2025年的1161亿元。", ["研发经费"]),
    ("粮食产量继续保持500亿斤以上。", ["粮食产量"]),
    # the comparator left by the figure before is not a name either
    ("城乡居民收入分别增长7%左右和8%左右。", ["城乡居民收入分别增长", "城乡居民收入分别"]),
    # nor a joining word at the end
    ("建成标准化菜市场2家和社区食堂5个。", ["建成标准化菜市场", "社区食堂"]),
])
def test_indicator_leaves_out_dates_joins_and_neighbours(sentence, indicators) -> None:
    assert [q.indicator for q in _plan(sentence)] == indicators


def test_every_exclusion_rule_example_holds() -> None:
    for rule in lexicon().exclusions:
        for example in rule.examples:
            sentence, _, banned = example.partition("｜")
            found = [q.quote for q in _plan(sentence) if not banned or q.quote == banned]
            assert not found, f"{rule.id}: {sentence} -> {found}"


def test_formulas_are_listed_as_terms() -> None:
    report = read_report(PLAN.format("严格落实“三区三线”，忠诚拥护“两个确立”。").encode(), "t.txt", "txt")
    terms = {t.text for t in extract(report).terms}
    assert {"三区三线", "两个确立"} <= terms


def test_scene_setting_and_principles_are_not_tasks() -> None:
    report = read_report(PLAN.format("2023年是全面贯彻二十大精神的开局之年，任务艰巨。"
                                     "坚持房住不炒，多渠道筹集保障性住房。").encode(), "t.txt", "txt")
    tasks = [t.quote for t in extract(report).tasks]
    assert tasks == ["多渠道筹集保障性住房"]


# issue 10: which numbers are quantities, and how they read (one behaviour each)

@pytest.mark.parametrize("sentence,quote,value,unit,comparator", [
    # shares spelled out, as older reports write them
    ("粮食产量增长百分之二十八点八。", "百分之二十八点八", 28.8, "%", "="),
    ("利润提高百分之十三至百分之十五。", "百分之十三至百分之十五", 13, "%", "range"),
    ("工业总产值增长百分之八·五左右。", "百分之八·五", 8.5, "%", "~"),
    ("人口自然增长率控制在千分之十以内。", "千分之十", 10, "‰", "<="),
    # bare 万/亿 counts with modifiers before the counted noun
    ("今年要完成1000万以上农村贫困人口脱贫。", "1000万", 1e7, "人", ">="),
    ("实现1亿左右农业转移人口落户城镇。", "1亿", 1e8, "人", "~"),
    ("增加500万农村沼气用户。", "500万", 5e6, "户", "="),
    ("为中西部地区2400多万贫困家庭学生免费提供教科书。", "2400多万", 2.4e7, "人", ">="),
    ("为80万重点群体提供就业帮扶。", "80万", 8e5, "人", "="),
    ("完成裁减军队员额20万。", "20万", 2e5, "人", "="),
    # (the modifier list decides: 建设 is none, so no students are counted; 元 is understood)
    ("投资5000万建设学生宿舍。", "5000万", 5e7, "元", "="),
    # magnitudes without digits, with their cue
    ("川南经济区经济总量迈上万亿元台阶。", "万亿元", 1e12, "元", ">="),
    ("原子核和电子温度均破亿度。", "亿度", 1e8, "度", ">="),
    ("一般公共预算收入稳在百亿以上。", "百亿", 1e10, "元", ">="),
    ("获得债券资金首超百亿台阶。", "百亿", 1e10, "元", ">="),
    ("建设千座以上充电站。", "千座", 1000, "座", ">="),
    # rate units read whole, so that their bound holds
    ("亿元生产总值生产安全事故死亡人数控制在0.02人/亿元以内。", "0.02人/亿元", 0.02, "人/亿元", "<="),
    ("单位地区生产总值能耗下降到0.5吨标准煤/万元以下。", "0.5吨标准煤/万元", 0.5, "吨标准煤/万元", "<="),
    ("全员劳动生产率达到30万元/人左右。", "30万元/人", 3e5, "元/人", "~"),
    ("低保标准提高到190元/人·月。", "190元/人·月", 190, "元/人·月", "="),
    # 分 of a price is money
    ("稻谷最低收购价每公斤提高5分。", "5分", 0.05, "元", "="),
    ("工商业平均电价下降5分/千瓦时。", "5分/千瓦时", 0.05, "元/千瓦时", "="),
    # levels and time limits that are durations
    ("空气优良天数达到300天。", "300天", 300, "天", "="),
    ("不动产登记办理时限压缩至3个工作日。", "3个工作日", 3, "工作日", "<="),
    ("抵押登记24个工作小时内办结。", "24个工作小时", 24, "小时", "<="),
    ("报警后15分钟内到达现场。", "15分钟", 15, "分钟", "<="),
    # a new measure word
    ("年产20亿剂疫苗。", "20亿剂", 2e9, "剂", "="),
])
def test_issue_10_readings(sentence, quote, value, unit, comparator) -> None:
    [q] = _plan(sentence)
    assert (q.quote, q.value, q.unit, q.comparator) == (quote, pytest.approx(value), unit, comparator)


@pytest.mark.parametrize("sentence", [
    "力争6个月内完成。",  # a deadline phrase, not a time limit
    "打造千亿级产业集群和百亿级企业。",  # classes by size
    "经济总量超千亿元的县域不断增加。",
    "实现20万以上人口县特殊教育学校全覆盖。",  # a class of counties by size
    "我国有2.9亿在校学生。",  # the country's stock
    "2023成都大运会成功举办。",
    "增速居全省第6（上升8位）。",
    "四川省人民政府工作报告2026年02月10日07时41分来源:四川日报",
    "相当于5年前1.5个百分点的增量。",
    "突出抓好三件事：一是大力发展粮食生产。",
    "全力支持香港、澳门两个特别行政区政府依法施政。",
    "一条跑道、一条小径、一片绿地，都能让群众生活更方便。",
    "推动美利林30万吨高端钒钛耐磨材料等项目竣工投产。",
])
def test_issue_10_non_quantities(sentence: str) -> None:
    assert [q.quote for q in _plan(sentence)] == []


@pytest.mark.parametrize("sentence,quotes", [
    # built things named then counted stay; the named set of places goes
    ("建成华汇、地壹街两个地下商城。", ["两个"]),
    ("改造提升四个城市出入口。", ["四个"]),
    ("新开工建设港区校区、二中经开区校区等4所普通高中，消除大班额。", ["4所"]),
    ("办好我市10件民生实事：一是完成农村改厕。", ["10件"]),
    ("建成投用5万吨/年危险废物处置项目。", ["5万吨/年"]),
    # the scale of works and new capacity stay; a plant named by its size goes
    ("实施黑羊站水厂3万吨扩建项目。", ["3万吨"]),
    ("布局建设700万千瓦新型储能项目。", ["700万千瓦"]),
    ("新增产能30万吨。", ["30万吨"]),
    ("税款所占的比重从百分之二十九点六降低到百分之十三。", ["百分之十三"]),
])
def test_issue_10_what_stays(sentence, quotes) -> None:
    assert [q.quote for q in _plan(sentence)] == quotes


def test_candidate_stage_is_linear_in_the_figures_of_a_sentence() -> None:
    """20,000 figures in one sentence with no 。 (issue 9): finding, screening and bounding
    them took 10 s, quadratic (a quote mark opening the sentence made every figure count
    the marks before it; every bare number copied the sentence before it). Linear, it takes
    under 1 s (bench/extract_pathological.py); the bound here is loose for a loaded machine
    and still fails on a return to quadratic."""
    import time

    from duban.extract._pipeline import _exclusion, _formula_spans
    from duban.extract._quantities import find_candidates, resolve_comparator

    lex = lexicon()
    text = "“开局之年”，" + "，".join(f"指标{i}增长{i % 97}.5%，收入{i}万" for i in range(10_000))
    spans = _formula_spans(lex, text)
    starts = [f[0] for f in spans]
    clock = time.process_time()
    kept = 0
    for cand in find_candidates(lex, text, 0, len(text)):
        if not _exclusion(lex, text, cand, 0, len(text), spans, starts):
            resolve_comparator(lex, text, cand, 0, len(text))
            kept += 1
    assert kept == 20_000
    assert time.process_time() - clock < 4.0
