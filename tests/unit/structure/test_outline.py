"""The outline of a report: the report proper inside a scraped page, its glossary, part kinds."""
from __future__ import annotations

from duban.extract import extract
from duban.ingest import report_from_text
from duban.structure import build_outline

_REVIEW = "过去一年，全县地区生产总值完成86.4亿元，增长6.1%，城镇新增就业2860人。"
_PLAN = "今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业2500人以上。"
_CLOSING = "各位代表！新征程催人奋进。让我们团结一心，为建设美丽幸福家园而不懈奋斗！"


def _report(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _page(after_closing: list[str]) -> str:
    return _report([
        "首页 > 政务公开 > 政府工作报告",
        "来源：县人民政府网  发布时间：2026-01-15",
        "内容摘要：各位代表：现在，我代表县人民政府向大会报告工作。" + _REVIEW,
        "2026年某县政府工作报告",
        "——2026年1月9日在某县第五届人民代表大会第六次会议上",
        "各位代表：",
        "现在，我代表县人民政府向大会报告工作，请予审议。",
        "一、2025年工作回顾", _REVIEW,
        "二、2026年工作安排", _PLAN,
        _CLOSING, *after_closing])


def test_the_report_proper_runs_from_its_title_to_the_closing_and_its_annex() -> None:
    original = _page(["附件：2026年县级民生实事工作目标", "一、建成农村互助养老服务点20个。",
                      "附件2 名词解释", "1.专精特新：指专业化、精细化的中小企业，全县共28家。",
                      "2.“放管服”：简政放权、放管结合、优化服务，取消审批事项12项。",
                      "相关链接：", "某县2025年政府工作报告"])
    result = extract(report_from_text(original, "page.txt", "txt"))
    assert result.report_range is not None
    start, end = result.report_range
    assert original[start:].startswith("2026年某县政府工作报告")
    assert original[:end].rstrip().endswith("建成农村互助养老服务点20个。")
    assert [t.text for t in result.glossary] == ["专精特新", "“放管服”"]
    quotes = [q.quote for q in result.quantities]
    assert quotes.count("86.4亿元") == 1  # not again from the summary
    assert "28家" not in quotes and "12项" not in quotes  # nothing from the glossary
    annex = [q for q in result.quantities if q.quote == "20个"]
    assert [q.role for q in annex] == ["target"]  # an annex of this year's targets
    json = result.to_json()
    assert json["report_range"] == {"start": start, "end": end}
    assert [g["text"] for g in json["glossary"]] == ["专精特新", "“放管服”"]  # type: ignore[index]


def test_a_list_of_projects_after_the_closing_belongs_to_the_report() -> None:
    original = _page(["2026年十件民生实事", "一、新建公办幼儿园3所，新增学位900个。",
                      "名词注解：", "三个走在前列：指在全省发展中走在前列的三项工作。"])
    result = extract(report_from_text(original, "page.txt", "txt"))
    roles = {q.quote: q.role for q in result.quantities}
    assert roles["3所"] == roles["900个"] == "target"
    assert [t.text for t in result.glossary] == ["三个走在前列"]


def test_a_report_without_a_page_around_it_is_all_report() -> None:
    original = _report(["各位代表：", "一、2025年工作回顾", _REVIEW, "二、2026年工作安排", _PLAN,
                        _CLOSING])
    result = extract(report_from_text(original, "plain.txt", "txt"))
    assert result.report_range == (0, len(original.rstrip()))
    assert result.glossary == ()


def test_a_later_delegates_line_is_no_opening_when_a_part_came_first() -> None:
    # the report opens on its first part; 各位代表 in its review is not where it starts
    text = _report(["政府工作报告", "一、2018年政府工作回顾", _REVIEW, "各位代表，成绩来之不易。",
                    "二、2019年政府工作安排", _PLAN])
    outline = build_outline(text)
    assert outline.body_start == 0
    assert [p.kind for p in outline.parts] == ["review", "plan"]


def test_a_part_titled_with_the_year_before_is_a_review() -> None:
    text = _report(["各位代表：", "一、2013年主要工作", _REVIEW, "二、2014年工作总体要求", _PLAN,
                    "三、2014年重点工作", _PLAN])
    kinds = [(p.title, p.kind) for p in build_outline(text).parts]
    assert kinds == [("2013年主要工作", "review"), ("2014年工作总体要求", "targets"),
                     ("2014年重点工作", "plan")]


def test_a_vision_year_does_not_make_this_years_work_a_review() -> None:
    text = _report(["各位代表：", "一、2020年工作回顾", _REVIEW,
                    "二、2035年远景目标和“十四五”主要目标任务", _PLAN, "三、2021年重点工作", _PLAN])
    assert [p.kind for p in build_outline(text).parts] == ["review", "targets", "plan"]


def test_a_title_broken_over_two_lines_and_plan_periods_under_review() -> None:
    text = _report(["各位代表：", "一、2020年和“十三五”", "工作回顾", _REVIEW,
                    "二、“十一五”规划执行情况", _REVIEW, "三、2021年主要工作", _PLAN])
    assert [p.kind for p in build_outline(text).parts] == ["review", "review", "plan"]


def test_a_report_whose_figures_all_have_one_role_says_so() -> None:
    review = "一、2025年工作回顾\n" + _REVIEW * 12
    original = "各位代表：\n" + review + "\n二、2025年工作情况\n" + _REVIEW * 6 + "\n"
    result = extract(report_from_text(original, "one-sided.txt", "txt"))
    assert len(result.quantities) >= 30
    assert any("role balance implausible" in w for w in result.warnings)


def test_a_summary_that_repeats_the_opening_lines_is_passed_over() -> None:
    opening = ["各位代表：", "现在，我代表县人民政府向大会报告工作，请予审议。"]
    text = _report(["内容摘要：", *opening, "来源：县融媒体中心", "2026年某县政府工作报告", *opening,
                    "一、2025年工作回顾", _REVIEW, "二、2026年工作安排", _PLAN, _CLOSING])
    outline = build_outline(text)
    assert text[outline.report_start:].startswith("2026年某县政府工作报告")
    assert text[outline.body_start:].startswith("各位代表：\n现在，我代表县人民政府向大会报告工作，请予审议。\n一、")


def test_a_markdown_page_its_front_matter_headings_and_a_marked_up_glossary() -> None:
    original = "\n".join([
        "---", "title: 2026年某县政府工作报告", "source: https://example.gov.cn/a.html", "---", "",
        "# 2026年某县政府工作报告", "", "各位代表：", "", "## 一、2025年工作回顾", "", _REVIEW, "",
        "## 二、2026年工作安排", "", _PLAN, "", _CLOSING, "", "**名词解释**", "",
        "1. **专精特新**：指专业化、精细化的中小企业，全县共28家。", ""])
    result = extract(report_from_text(original, "page.md", "md"))
    assert result.report_range is not None
    start, end = result.report_range
    assert original[start:].startswith("2026年某县政府工作报告")  # after the "# " mark
    assert original[:end].endswith("而不懈奋斗！")
    assert [t.text for t in result.glossary] == ["专精特新"]
    assert "28家" not in [q.quote for q in result.quantities]
    assert {q.quote: q.role for q in result.quantities}["2500人"] == "target"


def test_a_part_titled_with_an_ended_plan_period_or_its_achievements_is_a_review() -> None:
    text = _report(["2016年某市政府工作报告", "各位代表：", "一、跨越赶超的“十二五”", _REVIEW,
                    "二、创新转型的“十三五”", _PLAN, "三、2016年重点工作", _PLAN])
    assert [p.kind for p in build_outline(text).parts] == ["review", "targets", "plan"]
    text = _report(["各位代表：", "一、“十一五”时期经济社会发展取得重大成就", _REVIEW,
                    "二、“十二五”时期经济社会发展的主要任务", _PLAN])
    assert [p.kind for p in build_outline(text).parts] == ["review", "targets"]


def test_glossary_headings_are_worded_in_many_ways() -> None:
    for heading in ("《政府工作报告》释义", "名词解释和说明", "有关词语解释", "**名词注解：**"):
        original = _report(["各位代表：", "一、2025年工作回顾", _REVIEW, "二、2026年工作安排", _PLAN,
                            _CLOSING, heading, "1.两重：国家重大战略实施和重点领域安全能力建设，共8项。"])
        result = extract(report_from_text(original, "g.md", "md"))
        assert [t.text for t in result.glossary] == ["两重"], heading
        assert "8项" not in [q.quote for q in result.quantities]


def test_a_last_exclamation_on_a_line_of_its_own_still_closes_the_report() -> None:
    original = _report(["各位代表：", "一、2025年工作回顾", _REVIEW, "二、2026年工作安排", _PLAN,
                        _CLOSING, "美好的明天一定会到来！", "来源：某县融媒体中心"])
    result = extract(report_from_text(original, "c.txt", "txt"))
    assert result.report_range is not None
    assert original[:result.report_range[1]].endswith("美好的明天一定会到来！")
