"""assign_tasks on whole reports: the catalogue by the report's level, year and government, the
leads the text states, an office's own list, 待定 with its candidates, deadlines and 指标要求."""
from __future__ import annotations

import pytest

from duban import analyse, read_report
from duban.assign import (Catalogue, Department, OfficeUnit, catalogue_from_rows, load_catalogue,
                          stated_units)
from duban.errors import ValidationFailed

NATIONAL = """政府工作报告
——2026年3月5日在第十四届全国人民代表大会第四次会议上
国务院总理

一、2025年工作回顾
过去一年，国内生产总值增长5%。

二、2026年政府工作任务
今年发展主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右，城镇新增就业1200万人以上；居民消费价格涨幅2%左右；国际收支保持基本平衡。
（一）实施更加积极的财政政策。
今年赤字率拟按4%左右安排。拟安排地方政府专项债券4.4万亿元。加大货币政策调控力度，适时降准降息，保持流动性充裕。
（二）保障和改善民生。
完善生育支持政策。制定促进生育政策，发放育儿补贴。年底前完成城中村改造100万户。
"""

DISTRICT = """海拉尔区人民政府工作报告
——2018年1月10日在海拉尔区第十五届人民代表大会第三次会议上

一、2017年工作回顾
过去一年，地区生产总值增长6%。

二、2018年工作安排
主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长6%。
（一）办好民生实事。
1.新建公立幼儿园2所，6月底前投入使用（牵头单位：区教育局；责任单位：区财政局、区住建局）。
2.实施老旧小区改造4000户，由区住建局牵头。
3.开展职业技能培训5000人次。
"""


def _report(text: str, name: str = "report.txt") -> object:
    return read_report(text.encode("utf-8"), name)


def test_a_national_report_gets_ministries_and_headline_rows() -> None:
    result = analyse(_report(NATIONAL), level=None)
    quotes = [t.quote for t in result.tasks]
    # one row per headline indicator, even the one without a figure
    for indicator in ("国内生产总值增长5%左右", "城镇调查失业率5.5%左右", "居民消费价格涨幅2%左右",
                      "国际收支保持基本平衡"):
        row = next(t for t in result.tasks if t.quote == indicator)
        assert row.kind == "target"
    # clauses that open with their subject or with 安排/制定/发放 are rows
    assert any(q.startswith("今年赤字率拟按4%左右安排") for q in quotes)
    assert any(q.startswith("制定促进生育政策") for q in quotes)
    leads = {t.quote[:8]: t.lead for t in result.tasks}
    assert leads["国内生产总值增长"] == "国家发展改革委"
    assert leads["城镇调查失业率5"] == "人力资源社会保障部"
    assert any(t.lead == "人民银行" for t in result.tasks if "降准降息" in t.quote)
    assert all(not (t.lead or "").startswith(("区", "市", "省")) for t in result.tasks)
    row = next(t for t in result.tasks if "城中村改造" in t.quote)
    assert (row.deadline, row.due) == ("年底前", "2026-12-31")
    assert "100万户" in row.targets


def test_stated_leads_win_and_a_2018_district_gets_its_own_names() -> None:
    result = analyse(_report(DISTRICT), level=None)
    school = next(t for t in result.tasks if "幼儿园" in t.quote)
    assert school.lead == "区教育局" and school.co == ("区财政局", "区住建局")
    assert school.assign_rules == ("task.stated",) and not school.pending
    assert (school.deadline, school.due) == ("6月底前", "2018-06-30")
    housing = next(t for t in result.tasks if "老旧小区" in t.quote)
    assert housing.lead == "区住建局"
    assert housing.kind == "target" and "4000户" in housing.targets
    training = next(t for t in result.tasks if "职业技能培训" in t.quote)
    assert training.lead == "区人社局"
    assert training.deadline == "" and training.due == ""
    revenue = next(t for t in result.tasks if t.quote.startswith("一般公共预算收入"))
    assert revenue.kind == "target" and revenue.lead == "区财政局"


def test_stated_units_read_the_forms_annexes_use() -> None:
    text = "建成社区食堂10个（牵头单位：市民政局；配合单位：市商务局、市市场监管局）\n下一行"
    assert stated_units(text, 0, 10) == ("市民政局", "市商务局", "市市场监管局")
    assert stated_units("由市住建局牵头，完成改造", 0, 10) == ("市住建局",)
    assert stated_units("完成改造。\n（牵头单位：市住建局）", 0, 5) == ()  # another line's


def test_an_office_list_gives_its_names_and_is_checked() -> None:
    rows = [OfficeUnit("青羊区教育局", ("教育局",)), OfficeUnit("青羊区人力资源和社会保障局", ("人社局",)),
            OfficeUnit("青羊区少城街道办事处", ("少城街道",), duties="少城片区 宽窄巷子 街区更新"),
            OfficeUnit("青羊区发展和改革局", ("发改局",))]
    office = catalogue_from_rows(rows, "district", 2023, government="青羊区")
    result = analyse(_report(DISTRICT), catalogue=office)
    leads = {t.lead for t in result.tasks if t.lead}
    assert "人社局" in leads  # the office's short name, not the standard 区人社局
    assert not leads & {"区人社局", "区发改局"}
    with pytest.raises(ValidationFailed) as failed:
        catalogue_from_rows([OfficeUnit("区教育局"), OfficeUnit("区教育局"),
                             OfficeUnit("区某某中心", parent="区不存在局")], source="名录.xlsx")
    message = str(failed.value)
    assert "名录.xlsx" in message and "重复" in message and "不在名录中" in message
    lenient = catalogue_from_rows([OfficeUnit("区某某中心"), OfficeUnit("区教育局")], strict=False)
    assert [u.name for u in lenient] == ["区教育局"]  # no duties and no standard match: left out


def test_a_ledger_list_is_an_office_list_and_pending_rows_say_why() -> None:
    standard = load_catalogue("district")
    ledger = Catalogue([Department(d.key, d.name, d.short, d.function) for d in standard])
    result = analyse(_report(DISTRICT), catalogue=ledger)
    assert all(t.lead is None or ledger.find(t.lead) is not None for t in result.tasks)
    for task in result.tasks:
        if task.pending:
            assert task.why.startswith("待定")
        elif task.lead:
            assert task.lead in task.why or "报告写明" in task.why
