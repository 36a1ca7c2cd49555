"""Markdown reports: front matter as metadata, markup out, headings kept as heading lines, and
every offset still pointing into the .md file as given."""
from __future__ import annotations

from pathlib import Path

import pytest

from duban import analyse
from duban.errors import EmptyInput
from duban.ingest import FORMATS, front_matter, load_report, read_report
from duban.structure import build_outline

REPORT = """---
source: https://www.example.gov.cn/art/2024/1/30/art_1.html
title: "2024年宁波市政府工作报告"
tags:
  - 报告
---

**政府工作报告**

——2024年1月30日在宁波市第十六届人民代表大会第四次会议上

<!-- 来源：宁波日报 -->

各位代表：

现在，我代表宁波市人民政府向大会报告工作[^1]，请予审议。

[^1]: 这是注释，
    不是报告的文字。

## 一、2023年工作回顾

过去一年，全市地区生产总值增长**6.2%**，城镇新增就业14.6万人，居民消费价格上涨0.3&permil;。

---

**二、2024年工作安排** 今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，
一般公共预算收入增长5%。

### （一）扎实推进高质量发展

- 新建[5G基站](https://example.org/5g)3000个以上。

| 指标 | 目标 |
| --- | --- |
| 粮食产量 | 100万吨 |

![图](images/a.png)
"""


def _report(tmp_path: Path, text: str = REPORT, name: str = "2024.md"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_report(path)


def test_markdown_is_a_report_type() -> None:
    assert FORMATS[".md"] == FORMATS[".markdown"] == "md"


def test_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    fields, body = front_matter(REPORT)
    assert fields == {"source": "https://www.example.gov.cn/art/2024/1/30/art_1.html",
                      "title": "2024年宁波市政府工作报告", "tags": ""}
    assert REPORT[body:].startswith("\n**政府工作报告**")
    report = _report(tmp_path)
    assert "source" not in report.text and "title" not in report.text
    assert front_matter("各位代表：\n---\n") == ({}, 0)  # a rule later on is no front matter


def test_markup_goes_and_headings_stay_heading_lines(tmp_path: Path) -> None:
    text = _report(tmp_path).text
    for markup in ("**", "##", "<!--", "[^1]", "这是注释", "](", "![", "|", "---", "- 新建"):
        assert markup not in text, markup
    lines = text.split("\n")
    assert "政府工作报告" in lines
    assert "一、2023年工作回顾" in lines
    assert "二、2024年工作安排" in lines  # the run-in bold heading is a line of its own
    assert "（一）扎实推进高质量发展" in lines
    assert "新建5G基站3000个以上。" in lines
    assert "粮食产量；100万吨" in lines  # cells parted, the rule row gone
    assert "0.3‰" in text  # an entity becomes its character
    outline = build_outline(text)
    assert [(p.number, p.kind) for p in outline.parts] == [("一", "review"), ("二", "plan")]


def test_offsets_point_into_the_file_as_given(tmp_path: Path) -> None:
    report = _report(tmp_path)
    original = report.original
    assert original == REPORT
    replaced = {("*", "\n"), ("|", "；"), ("&", "‰")}
    for i, char in enumerate(report.text):
        source = original[report.offsets.to_original(i)]
        assert source == char or (source, char) in replaced, (i, source, char)
    result = analyse(report, assign=False)
    quotes = {q.quote for q in result.quantities}
    assert {"6.2%", "5.5%", "14.6万人", "3000个"} <= quotes
    for q in result.quantities:
        assert original[q.start:q.end] == q.quote
    for t in result.tasks:
        assert original[t.start:t.end] == t.quote


def test_a_markdown_file_reads_the_same_as_its_plain_text(tmp_path: Path) -> None:
    plain = "各位代表：\n\n一、2023年工作回顾\n\n地区生产总值增长6%。\n\n二、2024年工作安排\n\n地区生产总值增长5%左右。\n"
    marked = ("---\ntitle: 报告\n---\n各位代表：\n\n## 一、2023年工作回顾\n\n地区生产总值增长**6%**。\n\n"
              "**二、2024年工作安排**\n\n地区生产总值增长5%左右。\n")
    a = analyse(read_report(plain.encode(), "r.txt"), assign=False)
    b = analyse(read_report(marked.encode(), "r.md"), assign=False)
    assert [(q.quote, q.role, q.indicator) for q in a.quantities] == \
        [(q.quote, q.role, q.indicator) for q in b.quantities]
    assert [(s.title, s.kind) for s in a.outline] == [(s.title, s.kind) for s in b.outline]


def test_stars_that_are_not_markup_stay(tmp_path: Path) -> None:
    text = _report(tmp_path, "各位代表：\n入选“千*计划”，5\\*2\n").text
    assert "千*计划" in text and "5*2" in text


def test_front_matter_alone_is_an_empty_report(tmp_path: Path) -> None:
    with pytest.raises(EmptyInput):
        analyse(_report(tmp_path, "---\ntitle: 空\n---\n\n<!-- 无 -->\n"), assign=False)
