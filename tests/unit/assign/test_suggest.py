"""Suggestion by what a task is about: its own words against every unit's duties."""
from __future__ import annotations

import pytest

from duban.assign._catalogues import catalogue_for
from duban.assign._suggest import normalise, suggest

CITY = catalogue_for("city", 2025)


def lead_of(text: str, context: str | tuple[str, ...] = (), level: str = "city",
            year: int | None = 2025, region: str | None = None) -> str | None:
    lead = suggest(text, context, catalogue_for(level, year, region)).lead
    return lead.function if lead else None


@pytest.mark.parametrize(("text", "function"), [
    # the object decides, even where 农村 is agriculture's word
    ("新改建农村公路200公里以上", "交通"),
    ("巩固提升农村饮水安全保障水平", "水务"),
    ("实施农村电网巩固提升工程", "供电"),
    ("完成农村危房改造1200户", "住建"),
    ("推进农村生活污水治理", "生态环境"),
    ("建设高标准农田30万亩", "农业"),
    ("农村寄递物流综合服务站点覆盖率达90%", "邮政"),
    # fields beyond the government's departments
    ("新增残疾人就业800人", "残联"),
    ("建设户外劳动者服务站点50个", "总工会"),
    ("开展应急救护培训2万人次", "红十字会"),
    ("做好征兵工作", "人武部"),
    ("深入开展全国文明城市创建", "宣传"),
    ("推进党建引领基层治理", "社会工作部"),
])
def test_the_object_of_a_task_decides(text: str, function: str) -> None:
    assert lead_of(text) == function


def test_a_heading_is_weak_context() -> None:
    heading = "坚持创新驱动，加快建设科技强市"
    # the task's own words name another field: the heading does not send it to 科技
    for text, function in [("深入推进税收征管改革", "税务"), ("健全社会信用体系", "发改"),
                           ("严厉打击电信网络诈骗犯罪", "公安"), ("推进信访工作法治化", "信访")]:
        assert lead_of(text, heading) == function
    # a task without a word of any unit's duty takes the heading's, but stays 待定
    suggestion = suggest("持续推进各项工作落实落地", "加快推进农村饮水安全", CITY)
    assert suggestion.lead is not None and suggestion.lead.function == "水务"
    assert suggestion.pending


def test_nothing_clear_is_pending_with_the_top_three_and_why() -> None:
    nothing = suggest("坚决完成全年目标任务", (), CITY)
    assert nothing.lead is None and nothing.pending and nothing.candidates == ()
    assert nothing.why().startswith("待定")
    mixed = suggest("统筹推进教育、医疗、养老", (), CITY)
    assert len(mixed.candidates) == 3
    assert mixed.pending and mixed.why().startswith("待定（候选：")
    clear = suggest("新增普惠托位3500个", (), CITY)
    assert not clear.pending and clear.confidence >= 0.6
    assert clear.lead is not None and clear.candidates[0].unit == clear.lead
    assert "普惠托位" in clear.candidates[0].words
    assert clear.why() == f"{clear.lead.display}（普惠托位）"


def test_co_responsible_units_where_the_text_names_more_than_one_field() -> None:
    suggestion = suggest("加快养老服务设施建设，推进医养结合，新建社区嵌入式养老服务中心和社区卫生服务站",
                         (), CITY)
    assert suggestion.lead is not None
    functions = {suggestion.lead.function, *(u.function for u in suggestion.co)}
    assert {"民政", "卫健"} <= functions
    alone = suggest("新建公办幼儿园5所", (), CITY)
    assert alone.co == ()


def test_names_follow_the_year_and_region() -> None:
    catalogue = catalogue_for("district", 2018, "海拉尔区")
    lead = suggest("加强安全生产监管执法", (), catalogue).lead
    assert lead is not None and lead.display == "区安监局"
    lead = suggest("深入开展脱贫攻坚", (), catalogue).lead
    assert lead is not None and lead.display == "区扶贫办"
    lead = suggest("扩大牛羊养殖规模", (), catalogue).lead
    assert lead is not None and lead.display == "区农牧业局"
    national = catalogue_for("national", 2025)
    lead = suggest("推进公共数据资源开发利用", (), national).lead
    assert lead is not None and lead.display == "国家数据局"
    lead = suggest("加强中小银行风险处置", (), national).lead
    assert lead is not None and lead.display == "金融监管总局"


def test_stop_words_and_digit_codes() -> None:
    # 高质量发展 is no quality work of 市场监管; 主题教育 is no school work
    assert lead_of("推动开发区高质量发展") == "开发区"
    assert lead_of("扎实开展主题教育") is None
    # the hotline 12345 is a word; 123456 is no hotline
    assert lead_of("优化12345政务服务便民热线") in {"政府办", "政务服务"}
    assert suggest("完成123456户", (), CITY).lead is None


def test_normalise() -> None:
    assert normalise("“两业” 融合") == "两业融合"
    assert normalise("充(换)电桩") == "充换电桩"
    assert normalise("ＡＢＣ１２") == "ABC12"
