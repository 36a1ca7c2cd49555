from __future__ import annotations

from duban.ingest import read_report, repair_text


def _report(text: str, fmt: str = "txt"):
    return read_report(text.encode("utf-8"), "t.txt", fmt)


def test_spaces_inside_words_and_numbers_are_removed_and_mapped() -> None:
    original = "实施 “家门 口 的好学校”建设工程,新增 学位 12930 个,力争新增就业 1.6 万人。加快 “K- 15”学区"
    report = _report(original)
    assert "“家门口的好学校”" in report.text
    assert "新增学位12930个" in report.text
    assert "“K-15”" in report.text
    i = report.text.index("1.6万人")
    s, e = report.span(i, i + len("1.6万人"))
    assert original[s:e] == "1.6 万人"


def test_latin_words_keep_one_space() -> None:
    report = _report("使用 Windows  Server 系统")
    assert report.text == "使用Windows Server系统"


def test_full_width_digits_and_signs() -> None:
    report = _report("增长７．５％，达到１２３４亿元")
    assert report.text == "增长7.5%，达到1234亿元"
    assert report.offsets.to_original(2) == 2  # one for one


def test_web_furniture_lines_are_dropped() -> None:
    original = "下载\n打印\n【字体：大 中 小】\n分享\n2026年政府工作报告\n各位代表：\n新增就业1万人。"
    report = _report(original)
    assert report.text.startswith("2026年政府工作报告\n各位代表：")
    i = report.text.index("1万人")
    s, e = report.span(i, i + 3)
    assert original[s:e] == "1万人"


def test_page_numbers_and_hard_wraps_of_a_pdf_copy() -> None:
    line = "这是一行被排版软件折断的很长的句子内容它没有句号结尾所以应该和下一行"
    pages = []
    for n in range(1, 5):
        body = [f"第{n}页{i}" + line for i in range(3)]
        pages.append("\n".join([*body[:2], body[2] + "。", f"- {n} -", "某某区人民政府"]))
    line = "第1页0" + line + "第1页1" + line + "第1页2" + line
    line = line[: -1]
    original = "\f".join(pages)
    text, offsets = repair_text(original, "pdf")
    assert "- 1 -" not in text
    assert "某某区人民政府" not in text  # running footer
    assert line + "行。" in text  # wraps joined
    assert original[offsets.to_original(text.index("。"))] == "。"


def test_offsets_round_trip_every_character() -> None:
    original = "一、 2013年 工作回顾\n\n全年 地区生产总值 完成 253.7 亿元 ,增长 10.1%。"
    report = _report(original)
    for i, ch in enumerate(report.text):
        assert original[report.offsets.to_original(i)] == ch


def test_zero_width_characters_and_the_inline_breaks_they_mark_go() -> None:
    original = "国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%。\n\n全年\u200b降低企业税负5700亿元。"
    report = _report(original)
    assert "国内生产总值达到74.4万亿元，增长6.7%。\n\n全年降低企业税负5700亿元。" == report.text
    i = report.text.index("74.4万亿元")
    s, e = report.span(i, i + len("74.4万亿元"))
    assert original[s:e] == "74.4\n\u200b\n万亿元"


def test_a_subscript_on_a_line_of_its_own_is_joined() -> None:
    report = _report("细颗粒物（PM\n2.5\n）浓度下降，广义货币M\n2\n增长8%。\n\n2025年\n目标")
    assert report.text.startswith("细颗粒物（PM2.5）浓度下降，广义货币M2增长8%。")
    assert "\n\n2025年\n目标" in report.text
