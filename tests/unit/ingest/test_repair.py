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


# --- reports stored without line breaks (issue 10) ---

_PARAGRAPH = "全年完成固定资产投资120亿元，增长8.5%，其中工业投资增长12%，民间投资占比提高到55%。"
_PLAN = "新增就业1.2万人以上，城镇调查失业率控制在5.5%左右，粮食产量稳定在50万吨以上。"


def _one_line(sep: str) -> str:
    paragraphs = ["2026年某县政府工作报告", "各位代表：", "现在，我代表县人民政府向大会报告工作。",
                  "一、2025年工作回顾", "过去一年，全县经济稳中有进。", *[_PARAGRAPH] * 12,
                  "（一）产业发展提质增效。" + _PARAGRAPH, "二、2026年工作安排",
                  "2026年是“十五五”开局之年。", *[_PLAN] * 12,
                  "各位代表！让我们团结一心，为建设美丽幸福家园而努力奋斗！"]
    return sep.join(paragraphs)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


def test_a_report_on_one_line_with_spaces_between_paragraphs_gets_its_lines_back() -> None:
    original = _one_line("  ")
    report = _report(original)
    lines = _lines(report.text)
    assert lines[:5] == ["2026年某县政府工作报告", "各位代表：", "现在，我代表县人民政府向大会报告工作。",
                         "一、2025年工作回顾", "过去一年，全县经济稳中有进。"]
    assert "（一）产业发展提质增效。" + _PARAGRAPH in lines
    assert "二、2026年工作安排" in lines
    # one for one: every character of the repaired text is the original's (a space became \n)
    for i, ch in enumerate(report.text):
        assert original[report.offsets.to_original(i)] in (ch, " ")


def test_a_report_joined_with_nothing_is_broken_at_headings_and_after_part_titles() -> None:
    original = _one_line("")
    report = _report(original)
    lines = _lines(report.text)
    assert "一、2025年工作回顾" in lines  # the title ran into 过去一年
    assert "二、2026年工作安排" in lines  # … and into 2026年是
    assert "各位代表！让我们团结一心，为建设美丽幸福家园而努力奋斗！" in lines
    assert any(line.startswith("（一）产业发展提质增效。") for line in lines)
    # a line break put in maps to the character after it; every other character is the original's
    for i, ch in enumerate(report.text):
        if ch != "\n":
            assert original[report.offsets.to_original(i)] == ch
    i = report.text.index("1.2万人")
    s, e = report.span(i, i + len("1.2万人"))
    assert original[s:e] == "1.2万人"


def test_a_long_paragraph_with_lines_around_it_is_left_alone() -> None:
    # a real long paragraph (one line of many) is not a run-on report: nothing is broken
    paragraph = "一是" + "推进重点项目建设，完成投资50亿元。" * 150 + "（一）不是标题"
    original = "一、2025年工作回顾\n" + ("过去一年，经济平稳运行。\n" * 80) + paragraph
    assert _report(original).text.count("\n") == original.count("\n")


def test_a_space_inside_a_sentence_of_a_run_on_line_stays_a_join() -> None:
    original = "一、2025年工作回顾  " + "新增学位 1200 个，建成 幼儿园4所。" * 100
    report = _report(original)
    assert "新增学位1200个，建成幼儿园4所。" in report.text
    assert report.text.startswith("一、2025年工作回顾\n")


# --- marks a web copy leaves inside lines ---

def test_footnote_markers_go_and_an_enumeration_stays() -> None:
    original = "制定“湾区标准”[1]91项，劳动生产率^[6]为11774元，坚持发展思路①，攻坚。主要是：①实施海绵城市。"
    report = _report(original)
    assert report.text == "制定“湾区标准”91项，劳动生产率为11774元，坚持发展思路，攻坚。主要是：①实施海绵城市。"
    i = report.text.index("91项")
    s, e = report.span(i, i + 3)
    assert original[s:e] == "91项"


def test_question_mark_runs_go() -> None:
    assert _report("????\n各位代表：新增就业1万人？？？。").text == "各位代表：新增就业1万人。"


# --- traditional characters ---

def test_a_traditional_report_is_read_in_simplified_characters_one_for_one() -> None:
    original = "一、2025年工作回顧\n城鎮新增就業1.6萬人，糧食產量穩定在500萬噸以上。"
    report = read_report(original.encode("big5"), "t.txt")
    assert report.text == "一、2025年工作回顾\n城镇新增就业1.6万人，粮食产量稳定在500万吨以上。"
    assert len(report.text) == len(original)  # one for one: offsets unchanged
    assert report.original == original


def test_a_simplified_report_with_a_traditional_name_is_left_as_it_is() -> None:
    # (a name in the old forms, among a few hundred characters of simplified text)
    original = "新增就业1.6万人，完成投资12亿元。" * 20 + "支持“鄉村振興”示范点建设。"
    assert _report(original).text == original
